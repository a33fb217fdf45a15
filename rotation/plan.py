"""The exchange plan (交流轮岗方案): assignments with reasons, compliance, metrics."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rotation.check_report import CheckReport
from rotation.enums import BackboneLevel, LabelledEnum, Role, Stage, Subject, Title
from rotation.itinerant import ItinerantSchedule
from rotation.models import Teacher
from rotation.plan_results import PlanMetrics, Shortfall, SolveStats, flat_figures
from rotation.principals import PrincipalExchange


class Assignment(BaseModel):
    """One teacher's move: a row of plan.csv."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    from_school_id: str
    to_school_id: str
    stage: Stage
    subject: Subject
    title: Title
    backbone: BackboneLevel
    start_year: int
    end_year: int
    reasons: str = Field("", description="为何选派此人、去往此校，中文 / why, in words")
    distance_km: float | None = None
    preference_rank: int | None = Field(None, description="1 = the teacher's first choice")

    @classmethod
    def of(
        cls,
        teacher: Teacher,
        to_school_id: str,
        year: int,
        term_years: int,
        *,
        reasons: str = "",
        distance_km: float | None = None,
    ) -> Assignment:
        """A move of ``teacher`` for a term starting in school year ``year``."""
        prefs = teacher.preferences
        return cls(
            teacher_id=teacher.teacher_id,
            name=teacher.name,
            from_school_id=teacher.school_id,
            to_school_id=to_school_id,
            stage=teacher.stage,
            subject=teacher.subject,
            title=teacher.title,
            backbone=teacher.backbone,
            start_year=year,
            end_year=year + term_years - 1,
            reasons=reasons,
            distance_km=None if distance_km is None else round(distance_km, 2),
            preference_rank=(prefs.index(to_school_id) + 1) if to_school_id in prefs else None,
        )


class ComplianceRow(BaseModel):
    """One quota unit's standing: a row of compliance.csv."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    role: Role | str
    eligible: int
    required: int
    rotated: int
    backbone_required: int
    backbone_rotated: int
    met: bool
    shortfall_reason: str = ""


class UnfilledCause(LabelledEnum):
    """Why a declared need stays open (the first that holds, in this order)."""

    NOT_OPEN = "not_open", "学校不接收该学段交流教师"
    LOCKS = "locks", "锁定"
    NO_ELIGIBLE_TEACHER = "no_eligible_teacher", "全县无符合条件的该学段学科教师"
    DISTANCE_LIMIT = "distance_limit", "距离上限"
    NEEDED_ELSEWHERE = "needed_elsewhere", "可交流教师另有更需要的去处"


class UnfilledNeed(BaseModel):
    """A declared need the plan leaves (partly) open, and why."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    school_name: str
    stage: Stage
    subject: Subject
    count: int
    filled: int
    cause: UnfilledCause
    reason_zh: str
    reason_en: str

    @property
    def open(self) -> int:
        return self.count - self.filled


class Plan(BaseModel):
    """A year's plan: what the solver (or the greedy baseline) produced, and how it fares.

    ``check`` is the independent checker's verdict, set by whoever called the solver
    (``workflows``), never by the solver itself.
    """

    model_config = ConfigDict(frozen=True)

    year: int
    assignments: tuple[Assignment, ...]
    compliance: tuple[ComplianceRow, ...] = ()
    metrics: PlanMetrics = Field(default_factory=PlanMetrics)
    solve: SolveStats | None = None
    check: CheckReport | None = None
    status: str = "unknown"  # optimal / feasible / no_solution / greedy / ...
    backend: str = ""
    notes: tuple[str, ...] = ()
    shortfalls: tuple[Shortfall, ...] = Field((), description="quotas not met, with their causes")
    interrupted: bool = Field(False, description="stopped by the user (已中断) before the end")
    unfilled: tuple[UnfilledNeed, ...] = Field((), description="needs left open, with their causes")
    principals: PrincipalExchange | None = Field(
        None, description="校长交流: the principals' and vice-principals' moves (own rules)"
    )
    itinerant: ItinerantSchedule | None = Field(
        None, description="走教安排 (issue 18): only when the roster states hour needs"
    )

    @property
    def moves(self) -> dict[str, str]:
        return {a.teacher_id: a.to_school_id for a in self.assignments}

    def figures(self) -> dict[str, Any]:
        """The flat figures ``summary.json`` and the API have always carried under
        ``metrics`` (the plan's, the solve's, and the checker's verdict as ``check``)."""
        out = flat_figures(self.metrics, self.solve)
        if self.interrupted:
            out["interrupted"] = True
        if self.check is not None:
            out["check"] = self.check.to_dict()
        out["shortfalls"] = [s.model_dump(mode="json") for s in self.shortfalls]
        out["unfilled_needs"] = [u.model_dump(mode="json") for u in self.unfilled]
        if self.principals is not None:
            out["principal_exchange"] = self.principals.model_dump(mode="json")
        if self.itinerant is not None:
            out["itinerant"] = self.itinerant.model_dump(mode="json")
        return out

    @staticmethod
    def principals_from_figures(figures: dict[str, Any]) -> PrincipalExchange | None:
        """The principal exchange back from ``figures`` (the API's store)."""
        raw = figures.get("principal_exchange")
        return PrincipalExchange.model_validate(raw) if isinstance(raw, dict) else None

    @staticmethod
    def itinerant_from_figures(figures: dict[str, Any]) -> ItinerantSchedule | None:
        """The 走教 schedule back from ``figures`` (the API's store), None when it had none."""
        data = figures.get("itinerant")
        return ItinerantSchedule.model_validate(data) if isinstance(data, dict) else None

    @staticmethod
    def reported_from_figures(
        figures: dict[str, Any],
    ) -> tuple[tuple[Shortfall, ...], tuple[UnfilledNeed, ...]]:
        """The shortfalls and unfilled needs back from ``figures`` (the API's store)."""
        shortfalls = tuple(Shortfall.model_validate(x) for x in figures.get("shortfalls") or ())
        unfilled = tuple(UnfilledNeed.model_validate(x) for x in figures.get("unfilled_needs") or ())
        return shortfalls, unfilled

    @classmethod
    def results_from_figures(
        cls, figures: dict[str, Any]
    ) -> tuple[PlanMetrics, SolveStats | None, CheckReport | None]:
        """The typed results back from a flat mapping written by ``figures`` (the API's store)."""
        metrics = PlanMetrics.model_validate(figures)
        solve = SolveStats.model_validate(figures) if "status" in figures else None
        check = figures.get("check")
        report = CheckReport.model_validate(check) if isinstance(check, dict) else None
        return metrics, solve, report


def in_file_order(assignments: tuple[Assignment, ...] | list[Assignment]) -> list[Assignment]:
    """The order of plan.csv and the workbook's list: by teacher, then destination."""
    return sorted(assignments, key=lambda a: (a.teacher_id, a.to_school_id))


def file_rows(plan: Plan) -> list[tuple[int, Assignment]]:
    """Each move with its row in plan.csv (row 1 is the header)."""
    return [(k + 2, a) for k, a in enumerate(in_file_order(plan.assignments))]
