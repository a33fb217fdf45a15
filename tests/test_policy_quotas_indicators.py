"""The policy object, the quota arithmetic and the 2017 indicators on hand-computed cases."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from builders import county, math_teachers, rural, school, teacher

from rotation.eligibility import eligible_teachers
from rotation.enums import BackboneLevel, Degree, QuotaScope, SchoolStage, Stage, Subject
from rotation.indicators import county_indicators, weighted_cv
from rotation.policy import Policy, PolicyError
from rotation.quotas import COUNTY, ceil_share, quotas

YEAR = 2026


# ---------------------------------------------------------------- policy
def test_defaults_are_the_contracts() -> None:
    p = Policy()
    assert (p.min_tenure_years, p.retirement_age_male, p.retirement_age_female) == (6, 60, 55)
    assert (p.retirement_exempt_years, p.exchange_cooldown_years) == (5, 6)
    assert (p.rotation_rate, p.backbone_share, p.backbone_min_level) == (0.10, 0.20, BackboneLevel.COUNTY)
    assert p.quota_stages == (Stage.PRIMARY, Stage.JUNIOR) and p.quota_scope is QuotaScope.SCHOOL


def test_toml_then_overrides(tmp_path: Path) -> None:
    f = tmp_path / "policy.toml"
    f.write_text('[policy]\nrotation_rate = 0.15\nquota_scope = "county"\n[policy.weights]\npreference = 40\n', encoding="utf-8")
    p = Policy.load(f, ["rotation_rate=0.2", "weights.distance_per_km=1.5", "quota_stages=primary"])
    assert p.rotation_rate == 0.2 and p.quota_scope is QuotaScope.COUNTY
    assert p.weights.preference == 40 and p.weights.distance_per_km == 1.5
    assert p.quota_stages == (Stage.PRIMARY,)


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ("rotation_rate=1.5", "rotation_rate"),
        ("no_such_rule=1", "no_such_rule"),
        ("max_rotation_rate=0.05", "max_rotation_rate"),  # below the 10% minimum
        ("weights.fill_need=-1", "weights.fill_need"),
        ("rotation_rate", "key=value"),
    ],
)
def test_bad_parameters_are_refused_by_name(override: str, named: str) -> None:
    with pytest.raises(PolicyError) as err:
        Policy.load(overrides=[override])
    assert named in str(err.value)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text("rotation_rate = = 1", encoding="utf-8")
    with pytest.raises(PolicyError, match="bad.toml"):
        Policy.load(f)


def test_every_parameter_is_described_in_chinese() -> None:
    rows = Policy.describe()
    assert {r["name"] for r in rows} >= {"rotation_rate", "weights.fill_need", "title_tilt"}
    assert all(r["description"] and any("\u4e00" <= ch <= "\u9fff" for ch in r["description"]) for r in rows)


# ---------------------------------------------------------------- quotas
@pytest.mark.parametrize(("e", "required"), [(0, 0), (1, 1), (10, 1), (11, 2), (30, 3), (31, 4)])
def test_required_is_ceil_of_ten_percent(e: int, required: int) -> None:
    assert ceil_share(0.10, e) == required == math.ceil(round(0.1 * e, 9))


def test_quotas_count_only_quota_stage_eligible_teachers_per_school() -> None:
    teachers = (
        math_teachers(12, "U1")
        + math_teachers(3, "U1", prefix="Y", school_start_year=2023)  # not eligible
        + [teacher("K1", "U1", stage=Stage.SENIOR, subject=Subject.MATH)]  # not a quota stage
        + math_teachers(5, "U2", prefix="V", backbone=BackboneLevel.COUNTY)
    )
    schools = [school("U1", stage=SchoolStage.TWELVE_YEAR), school("U2"), rural("R1")]
    d = county(schools, teachers, [])
    q = quotas(d, eligible_teachers(d, YEAR, Policy()), Policy())
    assert (q["U1"].eligible, q["U1"].required, q["U1"].maximum) == (12, 2, 4)
    assert (q["U2"].eligible, q["U2"].eligible_backbone, q["U2"].backbone_required) == (5, 5, 1)
    assert "R1" not in q
    county_q = quotas(d, eligible_teachers(d, YEAR, Policy()), Policy(quota_scope=QuotaScope.COUNTY))
    assert list(county_q) == [COUNTY] and county_q[COUNTY].eligible == 17 and county_q[COUNTY].required == 2


# ---------------------------------------------------------------- indicators
def test_weighted_cv_by_hand() -> None:
    # values 1 and 3 weighted 1:3 → mean 2.5, variance (1·2.25 + 3·0.25)/4 = 0.75
    mean, cv = weighted_cv([1.0, 3.0], [1.0, 3.0])
    assert mean == pytest.approx(2.5) and cv == pytest.approx(math.sqrt(0.75) / 2.5)


def test_indicators_per_hundred_students_by_hand() -> None:
    # 200 students; 4 teachers: 2 with a bachelor's (above 中专), 1 county backbone, 1 PE teacher
    teachers = [
        teacher("A", "P1", degree=Degree.BACHELOR),
        teacher("B", "P1", degree=Degree.BACHELOR, backbone=BackboneLevel.COUNTY),
        teacher("C", "P1", degree=Degree.SECONDARY, subject=Subject.PE),
        teacher("D", "P1", degree=None),
    ]
    d = county([school("P1", students=200)], teachers, [])
    (row,) = county_indicators(d, Policy()).schools
    assert row.values == pytest.approx({"degree": 1.0, "backbone": 0.5, "arts_pe": 0.5})
    assert row.met == {"degree": False, "backbone": False, "arts_pe": False}


def test_moves_change_the_indicators_after() -> None:
    teachers = [teacher("A", "P1", subject=Subject.MUSIC), teacher("B", "P2")]
    d = county([school("P1", students=100), rural("P2", students=100)], teachers, [])
    before = county_indicators(d, Policy())
    after = county_indicators(d, Policy(), {"A": "P2"})
    arts = {r.school_id: r.values["arts_pe"] for r in before.schools}
    arts_after = {r.school_id: r.values["arts_pe"] for r in after.schools}
    assert arts == {"P1": 1.0, "P2": 0.0} and arts_after == {"P1": 0.0, "P2": 1.0}
