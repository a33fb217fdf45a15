"""The results of a sweep (JSON-serialisable) and the progress reported as tasks finish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rotation.itinerant import ItinerantFigures
from rotation.outlook import OutlookAssumptions, OutlookState
from rotation.plan import Plan
from rotation.scenarios import Scenario


@dataclass(frozen=True, slots=True)
class SweepProgress:
    done: int
    total: int
    scenario_id: str
    label: str
    ok: bool
    attempts: int
    message: str = ""


class ItinerantYear(BaseModel):
    """One outlook year's 走教 figures (after that year's transfer plan)."""

    model_config = ConfigDict(frozen=True)

    year: int
    figures: ItinerantFigures


class OutlookResult(BaseModel):
    """One scenario's trajectory, year by year."""

    model_config = ConfigDict(frozen=True)

    from_year: int
    to_year: int
    assumptions: OutlookAssumptions
    years: list[dict[str, Any]] = Field(
        default_factory=list,
        description="per year: figures of the plan, events, indicators before and after",
    )
    first_year_meeting_standard: int | None = Field(
        None,
        description="the first year from which the teacher part of the 2017 standard holds and keeps holding",
    )
    standard_reading: str = ""  # the reading the verdict used (rotation.standard_2017.reading)
    itinerant: list[ItinerantYear] = Field(
        default_factory=list,
        description="走教 per year (issue 18), only when the roster states hour needs",
    )
    plans: list[Plan] = Field(default_factory=list)
    states: list[OutlookState] = Field(default_factory=list, exclude=True)


class ScenarioOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    scenario: Scenario
    ok: bool
    error: str = ""
    attempts: int = 1
    seconds: float = 0.0
    hinted: bool = Field(False, description="started from the neighbouring scenario's plan")
    row: dict[str, Any] = Field(default_factory=dict)
    plan: Plan | None = None
    outlook: OutlookResult | None = None
    itinerant: ItinerantFigures | None = Field(
        None, description="the what-if scenario's 走教 figures (issue 18), with hour needs only"
    )


class SweepResult(BaseModel):
    """Every scenario's outcome in grid order (JSON-serialisable)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["whatif", "outlook"] = "whatif"
    year: int
    executor: str
    workers: int
    base_policy: dict[str, Any]
    outcomes: list[ScenarioOutcome]
    wall_seconds: float

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [o.row for o in self.outcomes]

    @property
    def failed(self) -> list[ScenarioOutcome]:
        return [o for o in self.outcomes if not o.ok]
