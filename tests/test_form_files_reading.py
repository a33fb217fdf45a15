"""The forms beside a plan read back (issue 18): what ``rotation plan`` writes for 校长交流,
走教安排 and 跟岗学习 — the CSVs next to plan.csv and the sheets of plan.xlsx, in Chinese
and in English — reads back to the same records, and a cell that cannot be read is named
by file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import YEAR
from openpyxl import Workbook
from principal_cases import leaders_county, move, stays

from rotation.enums import ShadowingTerm, Stage, Subject, Weekday
from rotation.exchange_forms import ShadowingPlacement
from rotation.io import DatasetError
from rotation.io.cell_safety import save_workbook
from rotation.io.form_files import shadowing_sheet, write_shadowing_csv
from rotation.io.itinerant_files import ITINERANT_FILE, itinerant_sheet, write_itinerant_csv
from rotation.io.plan_forms import PlanForms, read_plan_forms
from rotation.io.principal_files import (
    PRINCIPAL_FILE,
    exchange_of,
    principal_sheet,
    school_lookup,
    write_principal_csv,
)
from rotation.itinerant import ItinerantSchedule, ItinerantVisit, in_file_order
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.principals import LeaderMove, PrincipalExchange, PrincipalVacancy


def written_plan() -> tuple[Dataset, Plan]:
    """A plan with every kind of row: two principal moves (one name a spreadsheet would take
    for a formula), a due vice-principal explained, a vacancy; 走教 days out of file order;
    one 跟岗学习."""
    d = leaders_county()
    p1 = move(d, "P1", "R2", LeaderMove.PRINCIPAL).model_copy(
        update={
            "name": "=HYPERLINK(1)",
            "years_in_post": 11,
            "distance_km": 5.57,
            "reasons": "-期满",
        }
    )
    p4 = move(d, "P4", "U1", LeaderMove.PRINCIPAL)
    exchange = PrincipalExchange(
        moves=(p1, p4),
        not_moved=(stays(d, "V1"),),
        vacancies=(
            PrincipalVacancy(
                school_id="R1", name=d.school["R1"].name, reason_zh="无可提任者", reason_en="none"
            ),
        ),
    )
    visit = ItinerantVisit(
        teacher_id="T9", name="+李", home_school_id="U1", school_id="R1", stage=Stage.PRIMARY,
        subject=Subject.MUSIC, day=Weekday.WED, hours=3, distance_km=5.6,
    )  # fmt: skip
    visits = (
        visit,
        visit.model_copy(update={"day": Weekday.MON, "school_id": "R2", "hours": 2}),
        visit.model_copy(update={"teacher_id": "T1", "name": "王"}),
    )
    placement = ShadowingPlacement(
        teacher_id="S1", name="@赵", from_school_id="R1", host_school_id="U1",
        stage=Stage.PRIMARY, subject=Subject.MATH, year=YEAR, term=ShadowingTerm.YEAR,
        reasons="=补位", distance_km=4.5,
    )  # fmt: skip
    plan = Plan(
        year=YEAR, assignments=(), principals=exchange, shadowing=(placement,),
        itinerant=ItinerantSchedule(year=YEAR, visits=visits),
    )  # fmt: skip
    return d, plan


def write_folder(d: Dataset, plan: Plan, folder: Path) -> Path:
    assert plan.itinerant is not None
    folder.mkdir()
    write_principal_csv(plan, folder / PRINCIPAL_FILE)
    write_itinerant_csv(plan.itinerant, d, folder / ITINERANT_FILE)
    write_shadowing_csv(plan, folder / "跟岗学习.csv")
    return folder / "plan.csv"


def write_workbook(d: Dataset, plan: Plan, path: Path, lang: str) -> Path:
    assert plan.itinerant is not None
    wb = Workbook()
    principal_sheet(wb, plan, d, lang)
    itinerant_sheet(wb, plan.itinerant, d, lang)
    shadowing_sheet(wb, plan, d, lang)
    return save_workbook(wb, path)


def assert_same(forms: PlanForms, plan: Plan, *, distance_kept: bool, lang: str = "zh") -> None:
    assert plan.principals is not None and plan.itinerant is not None
    assert forms.principals and forms.itinerant and forms.shadowing
    ex = exchange_of(forms.principals.rows)
    # the files hold the Chinese reason only; the figures are the checker's to recompute
    assert ex.moves == plan.principals.moves
    assert ex.not_moved == tuple(
        n.model_copy(update={"reason_en": ""}) for n in plan.principals.not_moved
    )
    assert ex.vacancies == tuple(  # the English sheet gives a vacancy's English reason
        v.model_copy(
            update={"reason_zh": v.reason_en if lang == "en" else v.reason_zh, "reason_en": ""}
        )
        for v in plan.principals.vacancies
    )
    assert ex.move_rows == (2, 3)
    # each row also reads back the weekly figure it was written with: its day rows' sum
    read = forms.itinerant.items
    weekly = plan.itinerant.weekly_hours()
    assert [v.stated_weekly_hours for v in read] == [
        weekly[(v.teacher_id, v.school_id, v.subject)] for v in read
    ]
    assert [v.model_copy(update={"stated_weekly_hours": None}) for v in read] == in_file_order(
        plan.itinerant.visits
    )
    assert [k for k, _ in forms.itinerant.rows] == [2, 3, 4]
    expected = [
        p if distance_kept else p.model_copy(update={"distance_km": None}) for p in plan.shadowing
    ]
    assert forms.shadowing.items == expected


def test_the_csvs_beside_plan_csv_read_back_to_what_was_written(tmp_path: Path) -> None:
    d, plan = written_plan()
    forms = read_plan_forms(write_folder(d, plan, tmp_path / "plan"), school_lookup(d))
    assert_same(forms, plan, distance_kept=False)  # 跟岗学习.csv has no distance column
    assert forms.principals and forms.principals.label == PRINCIPAL_FILE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbooks_sheets_read_back_to_what_was_written(tmp_path: Path, lang: str) -> None:
    d, plan = written_plan()
    forms = read_plan_forms(write_workbook(d, plan, tmp_path / "plan.xlsx", lang), school_lookup(d))
    assert_same(forms, plan, distance_kept=True, lang=lang)
    sheet = "校长交流" if lang == "zh" else "Principals"
    assert forms.principals and forms.principals.label == f"plan.xlsx[{sheet}]"


def test_an_old_plan_folder_has_no_forms_to_read(tmp_path: Path) -> None:
    (tmp_path / "plan.csv").write_text("teacher_id\n", encoding="utf-8")
    assert read_plan_forms(tmp_path / "plan.csv", {}).found() == {}
    wb = Workbook()
    wb.active.title = "交流名单"  # type: ignore[union-attr]
    assert read_plan_forms(save_workbook(wb, tmp_path / "plan.xlsx"), {}).found() == {}


def test_unreadable_cells_are_named_by_file_row_and_column_in_every_form(tmp_path: Path) -> None:
    d, plan = written_plan()
    path = write_folder(d, plan, tmp_path / "plan")
    principals = (path.parent / PRINCIPAL_FILE).read_text(encoding="utf-8").splitlines()
    cells = principals[2].split(",")
    cells[4] = "校长调动"  # the kind, row 3
    principals[2] = ",".join(cells)
    (path.parent / PRINCIPAL_FILE).write_text("\n".join(principals), encoding="utf-8")
    visits = (path.parent / ITINERANT_FILE).read_text(encoding="utf-8").splitlines()
    visits[1] = visits[1].replace(",wed,", ",sun,")  # row 2: a Sunday
    (path.parent / ITINERANT_FILE).write_text("\n".join(visits), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_plan_forms(path, school_lookup(d))
    where = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert where == {(PRINCIPAL_FILE, 3, "kind"), (ITINERANT_FILE, 2, "day")}
    report = caught.value.report()
    assert "校长交流(principal)" in report and "周一(mon)" in report  # what was expected
    assert "expected: principal, vice_principal" in caught.value.report("en")
