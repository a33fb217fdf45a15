"""Locks: the officer's fixed decisions, part of a plan's input.

A locks file is a CSV with the columns ``kind, teacher_id, school_id, note``
(Chinese headers 类型, 教师编号, 学校编号, 备注 are accepted):

- ``assign`` (指定): this teacher goes to that school;
- ``stay`` (留任): this teacher is not moved this year;
- ``block_school`` (不接收): nobody is sent to that school this year.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


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
