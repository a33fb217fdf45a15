"""The form files beside a plan (issue 18), read back for ``check-plan``: one mechanism for
跟岗学习, 校长交流 and 走教安排.

Beside a plan.csv each form is a CSV in the same folder (跟岗学习.csv,
principal_exchanges.csv, itinerant_schedule.csv); in a plan.xlsx it is the workbook's sheet
(跟岗学习, 校长交流, 走教安排, or their English names). A form whose file or sheet is absent
has nothing to check (a plan folder from before the form stays valid); ``PlanForms`` says
which forms were found and where.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from rotation.exchange_forms import ShadowingPlacement
from rotation.io import form_files, itinerant_files, principal_files
from rotation.io.errors import DatasetError, Problem
from rotation.io.form_reading import FormTable, read_csv_table, read_sheet_table
from rotation.itinerant import ItinerantVisit
from rotation.principals import PrincipalMove, PrincipalNotMoved

T = TypeVar("T")


@dataclass(frozen=True)
class FormFile(Generic[T]):
    """Where a form stands beside a plan and how its rows are read."""

    key: str
    name_zh: str
    name_en: str
    file: str  # the CSV beside plan.csv
    sheets: tuple[str, str]  # the sheet of plan.xlsx, Chinese and English
    required: tuple[str, ...]
    sheet_headers: Mapping[str, str]  # the sheet's headers → the CSV's columns
    read: Callable[[FormTable, Mapping[str, str]], list[tuple[int, T]]]  # (table, schools)
    subjects: Callable[[T], tuple[str, ...]]  # the teacher and schools a row concerns
    positional_rows: bool = False  # its checks number rows by position (k + 2), not as read

    def rows_of(self, read: FormRead[T], subject: str) -> list[int]:
        """The rows of a teacher or school (a violation's subject)."""
        return [k for k, x in read.rows if subject in self.subjects(x)]

    def row_of(self, read: FormRead[T], row: int) -> int:
        """The file's row of a check's row number."""
        at = row - 2
        if self.positional_rows and 0 <= at < len(read.rows):
            return read.rows[at][0]
        return row


@dataclass(frozen=True)
class FormRead(Generic[T]):
    """A form as found beside the plan: under which name, and every row read."""

    form: FormFile[T]
    label: str  # 跟岗学习.csv, plan.xlsx[校长交流]
    rows: list[tuple[int, T]]

    @property
    def items(self) -> list[T]:
        return [x for _, x in self.rows]


def _principal_subjects(x: principal_files.PrincipalRow) -> tuple[str, ...]:
    if isinstance(x, PrincipalMove):
        return (x.teacher_id, x.from_school_id, x.to_school_id)
    if isinstance(x, PrincipalNotMoved):
        return (x.teacher_id, x.school_id)
    return (x.school_id,)


SHADOWING: FormFile[ShadowingPlacement] = FormFile(
    "shadowing", "跟岗学习", "shadowing", form_files.SHADOWING_FILE, form_files.SHEETS["shadowing"],
    form_files.SHADOWING_REQUIRED, form_files.SHADOWING_SHEET_HEADERS,
    lambda table, _schools: form_files.read_shadowing_rows(table),
    lambda p: (p.teacher_id, p.from_school_id, p.host_school_id),
    positional_rows=True,  # the 跟岗学习 checks count placements in the plan's order
)  # fmt: skip
PRINCIPALS: FormFile[principal_files.PrincipalRow] = FormFile(
    "principals", "校长交流", "principal exchange", principal_files.PRINCIPAL_FILE,
    principal_files.SHEET, principal_files.REQUIRED, principal_files.SHEET_HEADERS,
    principal_files.read_principal_rows, _principal_subjects,
)  # fmt: skip
ITINERANT: FormFile[ItinerantVisit] = FormFile(
    "itinerant", "走教安排", "itinerant teaching", itinerant_files.ITINERANT_FILE,
    itinerant_files.SHEET, itinerant_files.REQUIRED, itinerant_files.SHEET_HEADERS,
    lambda table, _schools: itinerant_files.read_itinerant_rows(table),
    lambda v: (v.teacher_id, v.home_school_id, v.school_id),
)  # fmt: skip
FORMS: tuple[FormFile[Any], ...] = (SHADOWING, PRINCIPALS, ITINERANT)


@dataclass(frozen=True)
class PlanForms:
    """The forms found beside one plan file; None where a form's file or sheet is absent."""

    shadowing: FormRead[ShadowingPlacement] | None = None
    principals: FormRead[principal_files.PrincipalRow] | None = None
    itinerant: FormRead[ItinerantVisit] | None = None
    near_misses: tuple[str, ...] = ()  # a sheet or file named almost as a form's ("中文 / English")

    def found(self) -> dict[str, FormRead[Any]]:
        reads: dict[str, FormRead[Any] | None] = {
            SHADOWING.key: self.shadowing,
            PRINCIPALS.key: self.principals,
            ITINERANT.key: self.itinerant,
        }
        return {k: r for k, r in reads.items() if r is not None}


def _read_beside_csv(
    form: FormFile[T], plan: Path, schools: Mapping[str, str]
) -> FormRead[T] | None:
    path = plan.parent / form.file
    if not path.is_file():
        return None
    table = read_csv_table(path, form.required)
    return FormRead(form, table.label, form.read(table, schools))


def _read_sheet(
    form: FormFile[T], wb: Any, label: str, schools: Mapping[str, str]
) -> FormRead[T] | None:
    named = [n for n in form.sheets if n in wb.sheetnames]
    if not named:
        return None
    table = read_sheet_table(
        wb[named[0]], f"{label}[{named[0]}]", form.sheet_headers, form.required
    )
    return FormRead(form, table.label, form.read(table, schools))


def near_miss(form: FormFile[Any], names: list[str], label: str) -> str | None:
    """A note when ``form`` is absent but one of ``names`` (the workbook's sheets, or the CSV
    files beside the plan) is named almost as it is: a renamed sheet or a copied file would
    otherwise leave the form's rules unchecked in silence."""
    wanted = [form.file.removesuffix(".csv"), *form.sheets]
    for name in names:
        bare = name.strip().removesuffix(".csv").strip()
        if len(bare) >= 2 and bare not in wanted and any(bare in w or w in bare for w in wanted):
            return (
                f"{label} 中的“{name}”像是{form.name_zh}（应名为“{form.sheets[0]}”或 {form.file}），"
                f"但名称不符：{form.name_zh}未校验 / “{name}” in {label} looks like the "
                f"{form.name_en} (named “{form.sheets[1]}” or {form.file}) but its name differs: "
                "not checked"
            )
    return None


def read_plan_forms(
    plan: str | Path, schools: Mapping[str, str], *, label: str | None = None
) -> PlanForms:
    """Every form beside a plan file: the CSVs next to a plan.csv, the sheets of a
    plan.xlsx. ``schools`` maps the school names a sheet gives to ids. ``DatasetError``
    names the file, row and column of every cell that cannot be read, in every form."""
    p = Path(plan)
    problems: list[Problem] = []
    reads: dict[str, FormRead[Any] | None] = {}
    names: list[str] = []
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(p, read_only=True, data_only=True)
        names = list(wb.sheetnames)
        try:
            for form in FORMS:
                try:
                    reads[form.key] = _read_sheet(form, wb, label or p.name, schools)
                except DatasetError as exc:
                    problems.extend(exc.problems)
        finally:
            wb.close()
    else:
        if p.parent.is_dir():
            names = sorted(f.name for f in p.parent.glob("*.csv") if f.name != p.name)
        for form in FORMS:
            try:
                reads[form.key] = _read_beside_csv(form, p, schools)
            except DatasetError as exc:
                problems.extend(exc.problems)
    if problems:
        raise DatasetError(problems)
    is_book = p.suffix.lower() in (".xlsx", ".xlsm")
    where = (label or p.name) if is_book else f"{p.parent.name or '.'}/"
    misses = [
        note
        for form in FORMS
        if reads.get(form.key) is None and (note := near_miss(form, names, where))
    ]
    return PlanForms(
        shadowing=reads.get(SHADOWING.key),
        principals=reads.get(PRINCIPALS.key),
        itinerant=reads.get(ITINERANT.key),
        near_misses=tuple(misses),
    )
