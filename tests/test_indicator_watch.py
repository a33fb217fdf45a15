"""A plan that raises a county CV of the 2017 teacher indicators says so: which, how much, why.

Source: 《县域义务教育优质均衡发展督导评估办法》(2017), CV limits 0.50 (primary) and 0.45 (junior).
"""

from __future__ import annotations

from builders import county, math_teachers, rural, school

from rotation.enums import BackboneLevel
from rotation.indicator_watch import indicator_warnings
from rotation.policy import Policy


def test_a_move_that_spreads_an_indicator_is_reported_with_the_amount_and_the_schools() -> None:
    # two equal schools with one backbone teacher each: moving U1's to R1 spreads the indicator
    u1 = math_teachers(5, "U1", prefix="U") + math_teachers(
        1, "U1", prefix="UB", backbone=BackboneLevel.COUNTY
    )
    r1 = math_teachers(5, "R1", prefix="R") + math_teachers(
        1, "R1", prefix="RB", backbone=BackboneLevel.COUNTY
    )
    d = county([school("U1"), rural("R1")], u1 + r1, [])
    notes = indicator_warnings(d, {"UB000": "R1"}, Policy())
    assert len(notes) == 1
    assert notes[0].startswith("小学县级及以上骨干教师数差异系数由 0.000 升至 1.000（+1.000）")
    assert "学校U1（0.10→0.00）" in notes[0] and "学校R1（0.10→0.20）" in notes[0]


def test_a_move_that_evens_an_indicator_out_says_nothing() -> None:
    u1 = math_teachers(4, "U1", prefix="U", backbone=BackboneLevel.COUNTY)
    d = county([school("U1"), rural("R1")], u1 + math_teachers(4, "R1", prefix="R"), [])
    assert indicator_warnings(d, {"U000": "R1", "U001": "R1"}, Policy()) == []
