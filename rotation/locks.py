"""Locks: the officer's fixed decisions, part of a plan's input.

A locks file is a CSV with the columns ``kind, teacher_id, school_id, note``
(Chinese headers 类型, 教师编号, 学校编号, 备注 are accepted):

- ``assign`` (指定): this teacher goes to that school;
- ``stay`` (留任): this teacher is not moved this year;
- ``block_school`` (不接收): nobody is sent to that school this year.

``validate_locks`` checks a set of locks against the roster, the year and the policy
before anything is solved, and returns every problem at once, each with the lock's
row, in Chinese and English (``LockProblem``).
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rotation.eligibility import eligibility_table
from rotation.models import Dataset
from rotation.policy import Policy
from rotation.roles import school_role


class LockKind(StrEnum):
    ASSIGN = "assign"
    STAY = "stay"
    BLOCK_SCHOOL = "block_school"


LOCK_KIND_ZH: dict[str, LockKind] = {
    "指定": LockKind.ASSIGN,
    "指定交流": LockKind.ASSIGN,
    "留任": LockKind.STAY,
    "不交流": LockKind.STAY,
    "不接收": LockKind.BLOCK_SCHOOL,
    "禁止接收": LockKind.BLOCK_SCHOOL,
}


class Lock(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: LockKind
    teacher_id: str = ""
    school_id: str = ""
    note: str = ""
    row: int | None = None  # the lock file's row (header = 1); None when not read from a file


class Locks(BaseModel):
    model_config = ConfigDict(frozen=True)

    items: tuple[Lock, ...] = ()

    @property
    def assigned(self) -> dict[str, str]:
        return {x.teacher_id: x.school_id for x in self.items if x.kind is LockKind.ASSIGN}

    @property
    def staying(self) -> frozenset[str]:
        return frozenset(x.teacher_id for x in self.items if x.kind is LockKind.STAY)

    @property
    def blocked_schools(self) -> frozenset[str]:
        return frozenset(x.school_id for x in self.items if x.kind is LockKind.BLOCK_SCHOOL)


LOCK_HEADERS: dict[str, str] = {
    "kind": "kind", "类型": "kind", "锁定类型": "kind",
    "teacher_id": "teacher_id", "教师编号": "teacher_id",
    "school_id": "school_id", "学校编号": "school_id", "学校代码": "school_id",
    "note": "note", "备注": "note",
}  # fmt: skip


def read_locks(path: str | Path, dataset: Dataset) -> Locks:
    """Read a locks CSV (any accepted encoding); every bad row reported at once."""
    from rotation.io.errors import DatasetError, Problem
    from rotation.io.sources import read_csv_rows

    p = Path(path)
    name = p.name
    if not p.is_file():
        raise DatasetError([Problem(name, None, None, str(p), "锁定文件 (CSV)", kind="bad_path", expected_en="a locks CSV file")])
    rows = read_csv_rows(p) or [[]]
    header = [LOCK_HEADERS.get(h.strip().lower(), LOCK_HEADERS.get(h.strip(), "")) for h in rows[0]]
    problems: list[Problem] = []
    for col in ("kind", "teacher_id", "school_id"):
        if col not in header:
            problems.append(Problem(name, 1, col, "", f"列 {col}", kind="missing_column", expected_en=f"column {col}"))
    if problems:
        raise DatasetError(problems)
    items: list[Lock] = []
    kinds = {k.value: k for k in LockKind} | LOCK_KIND_ZH
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rec = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        kind = kinds.get(rec["kind"])
        if kind is None:
            problems.append(Problem(name, number, "kind", rec["kind"], "指定(assign)、留任(stay)、不接收(block_school)", expected_en="assign, stay or block_school"))
            continue
        if kind in (LockKind.ASSIGN, LockKind.STAY) and rec["teacher_id"] not in dataset.teacher:
            problems.append(Problem(name, number, "teacher_id", rec["teacher_id"], "名单中的教师编号", expected_en="a teacher_id of the roster"))
        if kind in (LockKind.ASSIGN, LockKind.BLOCK_SCHOOL) and rec["school_id"] not in dataset.school:
            problems.append(Problem(name, number, "school_id", rec["school_id"], "已登记的学校编号", kind="unknown_school", expected_en="a known school_id"))
        items.append(Lock(kind=kind, teacher_id=rec["teacher_id"], school_id=rec["school_id"], note=rec.get("note", ""), row=number))
    if problems:
        raise DatasetError(problems)
    return Locks(items=tuple(items))


# ---------------------------------------------------------------- validation
class LockProblemKind(StrEnum):
    UNKNOWN_TEACHER = "unknown_teacher"
    UNKNOWN_SCHOOL = "unknown_school"
    MISSING_TEACHER = "missing_teacher"
    MISSING_SCHOOL = "missing_school"
    NOT_ELIGIBLE = "not_eligible"
    BLOCKED_SCHOOL = "blocked_school"
    NOT_RECEIVING = "not_receiving"
    STAGE_NOT_OFFERED = "stage_not_offered"
    OWN_SCHOOL = "own_school"
    NO_MATCHING_NEED = "no_matching_need"
    OVER_NEED_COUNT = "over_need_count"
    TWO_DESTINATIONS = "two_destinations"
    STAY_AND_ASSIGN = "stay_and_assign"
    DUPLICATE = "duplicate"


class LockProblem(BaseModel):
    """One thing wrong with a lock, located at its row; an error refuses the plan, a
    warning is reported with it."""

    model_config = ConfigDict(frozen=True)

    row: int | None  # the lock file's row (header = 1), or None
    number: int  # the lock's position among the locks, from 1 (the API's list)
    kind: LockProblemKind
    severity: Literal["error", "warning"] = "error"
    teacher_id: str = ""
    school_id: str = ""
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        where_zh = f"锁定文件第{self.row}行" if self.row is not None else f"第{self.number}条锁定"
        where_en = f"locks row {self.row}" if self.row is not None else f"lock {self.number}"
        en = f"{where_en}: {self.message_en}"
        return en if lang == "en" else f"{where_zh}：{self.message_zh} / {en}"


class LockError(ValueError):
    """Locks that cannot be carried out: every problem, nothing solved."""

    def __init__(self, problems: list[LockProblem]) -> None:
        self.problems = problems
        super().__init__(self.report())

    def report(self, lang: str = "zh") -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        head = (
            f"Locks have {len(errors)} problem(s); nothing was planned or written"
            if lang == "en"
            else f"锁定有 {len(errors)} 处问题，未生成方案 / locks have {len(errors)} problem(s); nothing was planned"
        )
        return "\n".join([head, *(f"  {p.message(lang)}" for p in self.problems)])


def lock_errors(problems: list[LockProblem]) -> list[LockProblem]:
    return [p for p in problems if p.severity == "error"]


def _add_problem(
    problems: list[LockProblem],
    lock: Lock,
    number: int,
    kind: LockProblemKind,
    zh: str,
    en: str,
    severity: Literal["error", "warning"] = "error",
) -> None:
    problems.append(
        LockProblem(
            row=lock.row, number=number, kind=kind, severity=severity,
            teacher_id=lock.teacher_id, school_id=lock.school_id, message_zh=zh, message_en=en,
        )
    )  # fmt: skip


def validate_locks(dataset: Dataset, year: int, policy: Policy, locks: Locks) -> list[LockProblem]:
    """Every problem of the locks at once, in the order of their rows.

    Errors: an unknown or missing teacher or school; an ``assign`` of a teacher who is
    not eligible (with the reason), into a ``block_school`` school, into a school that
    does not receive exchange teachers or does not offer the teacher's stage, into the
    teacher's own school, or into a school without a matching declared need (a warning
    instead when the policy's ``locks_outside_needs`` allows it); more ``assign`` rows
    into a need than its count; two destinations for one teacher; ``stay`` and ``assign``
    for one teacher. A repeated row is a warning.
    """
    problems: list[LockProblem] = []
    table = eligibility_table(dataset, year, policy)
    blocked = {x.school_id for x in locks.items if x.kind is LockKind.BLOCK_SCHOOL}
    staying = {x.teacher_id for x in locks.items if x.kind is LockKind.STAY}
    needs = {(n.school_id, n.stage, n.subject): n.count for n in dataset.needs}
    destination: dict[str, tuple[str, int]] = {}  # teacher → (first school, its number)
    into_need: Counter[tuple[object, ...]] = Counter()
    seen: set[tuple[str, str, str]] = set()

    for number, lock in enumerate(locks.items, start=1):
        add = partial(_add_problem, problems, lock, number)
        key = (lock.kind.value, lock.teacher_id, lock.school_id)
        if key in seen:
            add(LockProblemKind.DUPLICATE, "与前面的锁定重复", "repeats an earlier lock", "warning")
            continue
        seen.add(key)
        wants_teacher = lock.kind in (LockKind.ASSIGN, LockKind.STAY)
        wants_school = lock.kind in (LockKind.ASSIGN, LockKind.BLOCK_SCHOOL)
        teacher = dataset.teacher.get(lock.teacher_id)
        school = dataset.school.get(lock.school_id)
        if wants_teacher and not lock.teacher_id:
            add(LockProblemKind.MISSING_TEACHER, "缺少教师编号", "teacher_id is required")
        elif wants_teacher and teacher is None:
            add(
                LockProblemKind.UNKNOWN_TEACHER,
                f"教师 {lock.teacher_id} 不在名单中",
                f"teacher {lock.teacher_id} is not in the roster",
            )
        if wants_school and not lock.school_id:
            add(LockProblemKind.MISSING_SCHOOL, "缺少学校编号", "school_id is required")
        elif wants_school and school is None:
            add(
                LockProblemKind.UNKNOWN_SCHOOL,
                f"学校 {lock.school_id} 不存在",
                f"school {lock.school_id} does not exist",
            )
        if lock.kind is not LockKind.ASSIGN or teacher is None or school is None:
            continue

        tid, sid = teacher.teacher_id, school.school_id
        who = f"教师 {tid}"
        if tid in destination and destination[tid][0] != sid:
            first, first_number = destination[tid]
            add(
                LockProblemKind.TWO_DESTINATIONS,
                f"{who} 已在第{first_number}条锁定交流到 {first}，不能再锁定到 {sid}",
                f"teacher {tid} is already locked to {first} (lock {first_number}); a second destination {sid}",
            )
            continue
        destination.setdefault(tid, (sid, number))
        if tid in staying:
            add(
                LockProblemKind.STAY_AND_ASSIGN,
                f"{who} 同时被锁定留任和指定交流",
                f"teacher {tid} is locked both to stay and to move",
            )
        elig = table[tid]
        if not elig.eligible:
            add(
                LockProblemKind.NOT_ELIGIBLE,
                f"{who} 不符合交流条件：{elig.reason_text}",
                f"teacher {tid} is not eligible for exchange ({elig.reason_text})",
            )
        if sid in blocked:
            add(
                LockProblemKind.BLOCKED_SCHOOL,
                f"{school.name}（{sid}）已锁定为本年不接收",
                f"school {sid} is blocked this year",
            )
        if sid == teacher.school_id:
            add(
                LockProblemKind.OWN_SCHOOL,
                f"{who} 锁定交流到本校 {sid}",
                f"teacher {tid} is locked to the own school {sid}",
            )
            continue
        if not school_role(school).receives:
            add(
                LockProblemKind.NOT_RECEIVING,
                f"{school.name}（{sid}）不是接收学校",
                f"school {sid} does not receive exchange teachers",
            )
        if not school.offers(teacher.stage):
            add(
                LockProblemKind.STAGE_NOT_OFFERED,
                f"{school.name}（{sid}）没有{teacher.stage.label_zh}学段，{who} 任教{teacher.stage.label_zh}",
                f"school {sid} does not offer the {teacher.stage.value} stage teacher {tid} teaches",
            )
            continue
        post = (sid, teacher.stage, teacher.subject)
        post_zh = f"{teacher.stage.label_zh}{teacher.subject.label_zh}"
        if post not in needs:
            outside = policy.locks_outside_needs
            add(
                LockProblemKind.NO_MATCHING_NEED,
                f"{school.name}（{sid}）没有{post_zh}岗位需求"
                + (
                    "（政策允许锁定到需求之外）"
                    if outside
                    else "（可在政策中设置 locks_outside_needs=true 允许）"
                ),
                f"school {sid} declares no {teacher.stage.value} {teacher.subject.value} need"
                + (
                    " (allowed by the policy)"
                    if outside
                    else " (set locks_outside_needs=true to allow)"
                ),
                "warning" if outside else "error",
            )
            continue
        if any(p.number == number and p.severity == "error" for p in problems):
            continue  # a lock refused already takes no post
        into_need[post] += 1
        if into_need[post] > needs[post]:
            add(
                LockProblemKind.OVER_NEED_COUNT,
                f"锁定交流到 {school.name}（{sid}）{post_zh}岗位的已有 {into_need[post]} 人，需求只有 {needs[post]} 人",
                f"{into_need[post]} teachers locked into the {teacher.stage.value} {teacher.subject.value} need of {sid}, "
                f"which asks for {needs[post]}",
            )
    return problems
