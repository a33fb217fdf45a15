"""A stored plan as the console reads it: its moves with school names (filtered, sorted,
paged in the database), its indicators per school before and after, its moves as a
picture drawn from the schools' coordinates, and how it differs from another plan."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from rotation.indicators import INDICATORS, county_indicators, target
from rotation.models import Dataset
from rotation.policy import Policy
from rotation.roles import school_role

SORTABLE = (
    "teacher_id",
    "name",
    "from_school_id",
    "to_school_id",
    "stage",
    "subject",
    "title",
    "backbone",
    "distance_km",
    "preference_rank",
)


class MoveRow(BaseModel):
    teacher_id: str
    name: str
    from_school_id: str
    from_school: str
    to_school_id: str
    to_school: str
    to_town: str
    stage: str
    subject: str
    title: str
    backbone: str
    start_year: int
    end_year: int
    reasons: str
    distance_km: float | None
    preference_rank: int | None
    form: str = Field("transfer", description="transfer 交流 · support 支教（一年后返回）")


class IndicatorChange(BaseModel):
    indicator: str
    before: float
    after: float
    target: float
    met_before: bool
    met_after: bool


class SchoolIndicatorChange(BaseModel):
    school_id: str
    name: str
    stage: str
    values: list[IndicatorChange]


class PlanIndicators(BaseModel):
    county: list[dict[str, object]] = Field(
        description="全县：各学段各指标的均值、差异系数（前/后）与上限 / county CVs before and after"
    )
    schools: list[SchoolIndicatorChange]
    warnings: list[str] = Field(
        default_factory=list,
        description="交流后变差的全县指标：哪一项、升了多少、哪些学校 / indicators the plan worsens",
    )


class MapSchool(BaseModel):
    school_id: str
    name: str
    role: str
    lon: float
    lat: float
    sent: int
    received: int


class MapFlow(BaseModel):
    from_school_id: str
    to_school_id: str
    teachers: int


class UnplacedSchool(BaseModel):
    school_id: str
    name: str
    sent: int
    received: int


class PlanMap(BaseModel):
    schools: list[MapSchool] = Field(description="有坐标的学校 / schools with coordinates")
    flows: list[MapFlow] = Field(
        description="两校之间的交流人数 / teachers from one school to another"
    )
    without_coordinates: list[UnplacedSchool] = Field(
        description="没有坐标、未画出的学校（有交流的）/ schools with moves but no coordinates"
    )


def plan_indicators(
    dataset: Dataset,
    policy: Policy,
    moves: dict[str, str],
    county: list[dict[str, object]],
    warnings: list[str],
) -> PlanIndicators:
    before = county_indicators(dataset, policy)
    after = county_indicators(dataset, policy, moves)
    after_by = {(r.school_id, r.stage): r for r in after.schools}
    rows = []
    for b in before.schools:
        a = after_by.get((b.school_id, b.stage))
        if a is None:
            continue
        rows.append(
            SchoolIndicatorChange(
                school_id=b.school_id,
                name=dataset.school[b.school_id].name,
                stage=b.stage.value,
                values=[
                    IndicatorChange(
                        indicator=k,
                        before=round(b.values[k], 3),
                        after=round(a.values[k], 3),
                        target=target(policy, b.stage, k),
                        met_before=b.met[k],
                        met_after=a.met[k],
                    )
                    for k in INDICATORS
                ],
            )
        )
    return PlanIndicators(county=county, schools=rows, warnings=warnings)


def plan_map(dataset: Dataset, moves: list[tuple[str, str]]) -> PlanMap:
    """``moves``: (from_school_id, to_school_id) per teacher moved."""
    flows = Counter(moves)
    sent = Counter(f for f, _ in moves)
    received = Counter(t for _, t in moves)
    placed, missing = [], []
    for s in dataset.schools:
        if s.lat is not None and s.lon is not None:
            placed.append(
                MapSchool(
                    school_id=s.school_id,
                    name=s.name,
                    role=school_role(s).value,
                    lon=s.lon,
                    lat=s.lat,
                    sent=sent[s.school_id],
                    received=received[s.school_id],
                )
            )
        elif sent[s.school_id] or received[s.school_id]:
            missing.append(
                UnplacedSchool(
                    school_id=s.school_id,
                    name=s.name,
                    sent=sent[s.school_id],
                    received=received[s.school_id],
                )
            )
    return PlanMap(
        schools=placed,
        flows=[
            MapFlow(from_school_id=f, to_school_id=t, teachers=n)
            for (f, t), n in sorted(flows.items())
        ],
        without_coordinates=missing,
    )
