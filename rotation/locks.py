"""Locks: the officer's fixed decisions, part of a plan's input.

A locks file is a CSV with the columns ``kind, teacher_id, school_id, note``
(Chinese headers 类型, 教师编号, 学校编号, 备注 are accepted):

- ``assign`` (指定): this teacher goes to that school;
- ``stay`` (留任): this teacher is not moved this year;
- ``block_school`` (不接收): nobody is sent to that school this year.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rotation.models import Dataset


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
        items.append(Lock(kind=kind, teacher_id=rec["teacher_id"], school_id=rec["school_id"], note=rec.get("note", "")))
    if problems:
        raise DatasetError(problems)
    return Locks(items=tuple(items))
