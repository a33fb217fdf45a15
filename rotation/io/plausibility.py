"""Values that read cleanly but cannot be right for the plan year: warnings, or errors with ``--strict``.

A roster can be well-formed and still wrong: a birth date typed as 1800 or 2030, an
arrival year after the plan year, a school with teachers and no students (it would
silently leave the indicators), a need of 100,000, a plan year far from the data.
Each finding is a ``Problem`` of kind ``implausible``, located by file and row when
the roster was just read (``RosterImport.where``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from rotation.io.errors import Problem
from rotation.models import Dataset

Locate = Callable[[str, str], tuple[str, int | None]]  # (table, id) -> (file, row)


class PlausibleRanges(BaseModel):
    """What a plausible roster looks like for plan year Y (every bound a field)."""

    model_config = ConfigDict(frozen=True)

    min_age: int = Field(default=18, description="youngest plausible teacher at 1 September Y")
    max_age: int = Field(default=70, description="oldest plausible teacher at 1 September Y")
    min_start_age: int = Field(default=18, description="youngest age at which a teacher starts")
    years_after_data: int = Field(
        default=3, description="how far the plan year may lie after the latest arrival year"
    )


def _nowhere(table: str, ident: str) -> tuple[str, int | None]:
    return (f"{table}", None)


def plausibility_problems(
    dataset: Dataset, year: int, locate: Locate = _nowhere, ranges: PlausibleRanges | None = None
) -> list[Problem]:
    """Every implausible value of ``dataset`` for plan year ``year``.

    A declared need is implausible when it exceeds both the school's teachers and its
    posts by the staffing norms (``rotation.staffing``).
    """
    r = ranges or PlausibleRanges()
    out: list[Problem] = []
    school_start = date(year, 9, 1)

    def add(table: str, ident: str, column: str | None, value: str, zh: str, en: str) -> None:
        file, row = locate(table, ident) if ident else ("--year", None)
        out.append(
            Problem(
                file=file,
                row=row,
                column=column,
                value=value,
                expected=zh,
                expected_en=en,
                kind="implausible",
                table=table if column else "",
            )  # fmt: skip
        )

    for t in dataset.teachers:
        b = t.birth_date
        age = (
            school_start.year - b.year - ((school_start.month, school_start.day) < (b.month, b.day))
        )
        birth_ok = False
        if b > school_start:
            add("teachers", t.teacher_id, "birth_date", b.isoformat(),
                f"出生日期晚于方案年度 {year} 年", f"a birth date after the plan year {year}")  # fmt: skip
        elif not r.min_age <= age <= r.max_age:
            add("teachers", t.teacher_id, "birth_date", b.isoformat(),
                f"{year}年9月1日时年龄为 {age} 岁，不在 {r.min_age}–{r.max_age} 岁之间",
                f"aged {age} on 1 September {year}, outside {r.min_age}–{r.max_age}")  # fmt: skip
        else:
            birth_ok = True
        if t.school_start_year > year:
            add("teachers", t.teacher_id, "school_start_year", str(t.school_start_year),
                f"到校年份晚于方案年度 {year}", f"an arrival year after the plan year {year}")  # fmt: skip
        elif birth_ok and t.school_start_year - b.year < r.min_start_age:
            add("teachers", t.teacher_id, "school_start_year", str(t.school_start_year),
                f"到校时年仅 {t.school_start_year - b.year} 岁（出生于 {b.year} 年），不足 {r.min_start_age} 岁",
                f"arrived aged {t.school_start_year - b.year} (born {b.year}), under {r.min_start_age}")  # fmt: skip
        if t.last_exchange_year is not None and t.last_exchange_year > year:
            add("teachers", t.teacher_id, "last_exchange_year", str(t.last_exchange_year),
                f"上次交流结束年份晚于方案年度 {year}", f"a last exchange after the plan year {year}")  # fmt: skip

    staff = {sid: len(ts) for sid, ts in dataset.teachers_by_school.items()}
    if dataset.has_data("schools.students"):
        for s in dataset.schools:
            if s.students == 0 and staff[s.school_id] > 0:
                add("schools", s.school_id, "students", "0",
                    f"在校生数为 0，但有 {staff[s.school_id]} 名教师（该校将不计入优质均衡指标）",
                    f"no students but {staff[s.school_id]} teachers (the school would leave the indicators)")  # fmt: skip
    if dataset.needs_declared and not dataset.needs and dataset.teachers:
        file, _ = locate("needs", "")
        out.append(
            Problem(
                file="needs.csv" if file == "needs" else file,
                row=None,
                column=None,
                value="0",
                expected="岗位需求表没有任何需求：按此名单规划将无人交流；请填报岗位需求，"
                "或删除该文件以按编制标准推算",
                expected_en="the needs file declares no post: a plan on this roster would move "
                "nobody; declare the posts, or delete the file to derive them from the staffing norms",
                kind="implausible",
                table="needs",
            )
        )
    if dataset.needs_declared and dataset.needs:
        from rotation.staffing import staffing_table

        posts = {
            row.school_id: sum(s.posts for s in row.subjects) for row in staffing_table(dataset)
        }
        for n in dataset.needs:
            size = max(staff[n.school_id], posts.get(n.school_id, 0))
            if n.count > size:
                file, row = locate("needs", f"{n.school_id}/{n.stage.value}/{n.subject.value}")
                out.append(
                    Problem(
                        file=file,
                        row=row,
                        column="count",
                        value=str(n.count),
                        expected=f"学校 {n.school_id} 的需求 {n.count} 人，多于该校现有教师"
                        f"（{staff[n.school_id]} 人）和按编制标准的岗位数（{posts.get(n.school_id, 0)} 个）",
                        expected_en=f"a need of {n.count} at school {n.school_id}, more than its "
                        f"{staff[n.school_id]} teachers and its {posts.get(n.school_id, 0)} posts by the norms",
                        kind="implausible",
                        table="needs",
                    )  # fmt: skip
                )

    if dataset.teachers:
        latest = max(t.school_start_year for t in dataset.teachers)
        if year < latest:
            add("teachers", "", None, str(year),
                f"方案年度 {year} 早于名册中最晚的到校年份 {latest}",
                f"the plan year {year} is before the roster's latest arrival year {latest}")  # fmt: skip
        elif year > latest + r.years_after_data:
            add("teachers", "", None, str(year),
                f"方案年度 {year} 比名册中最晚的到校年份 {latest} 晚 {year - latest} 年，名册可能已过时",
                f"the plan year {year} is {year - latest} years after the roster's latest arrival "
                f"year {latest}: the roster may be out of date")  # fmt: skip
    return out
