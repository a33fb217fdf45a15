"""The independent checker's verdict on a plan, as a typed result every layer reads the
same way (CLI summary, ``summary.json``, the workbook, the API, the benchmark)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass

from rotation.rule_names import RuleName


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule (by its one name), whom it concerns, what is wrong in
    Chinese, and the move's row in plan.csv when one move is at fault."""

    rule: RuleName
    subject: str  # the teacher, school or unit concerned
    message: str  # Chinese, for the officer
    row: int | None = None  # plan.csv row (1 = header); the form file's for a form's rule

    def text(self) -> str:
        where = f"第{self.row}行 " if self.row is not None else ""
        return f"[{self.rule.value}] {where}{self.subject}: {self.message}"


class CheckReport(BaseModel):
    """Every violation the checker found, and the rules it checked."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    violations: list[Violation] = Field(default_factory=list)
    checked_rules: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as summary.json and the API have always written it."""
        return self.model_dump(mode="json")

    def summary_zh(self) -> str:
        if self.ok:
            return f"独立校验通过：{len(self.checked_rules)} 项规则均满足 / checker: all rules hold"
        head = f"独立校验发现 {len(self.violations)} 处违规 / checker found {len(self.violations)} violations"
        return "\n".join([head, *(f"  {v.text()}" for v in self.violations[:50])])
