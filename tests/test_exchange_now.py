"""Teachers on exchange now: not eligible, counted where they teach, back at the term's end.

Source: 教师〔2014〕4号 (交流轮岗教师在交流期间…) and the data contract's cooldown rule
(shared/spec/data-format.md, "Eligibility"); the roster records the exchange in progress
in two optional columns, exchange_school_id and exchange_end_year.
"""

from __future__ import annotations

from builders import county, math_teachers, rural, school, teacher

from rotation.eligibility import eligibility
from rotation.enums import Stage
from rotation.indicators import county_indicators, staff_by_school
from rotation.io import read_dataset, write_dataset
from rotation.locks import LockKind
from rotation.outlook import OutlookAssumptions, OutlookState, roll_forward
from rotation.plan import Plan
from rotation.policy import Policy

YEAR = 2026


def away(**kw):
    return teacher("A1", exchange_school_id="R1", exchange_end_year=2027, **kw)


def test_a_teacher_on_exchange_is_not_eligible_and_the_reason_says_where() -> None:
    d = county([school("U1"), rural("R1")], [away()], [])
    e = eligibility(d.teacher["A1"], d, YEAR, Policy())
    assert not e.eligible and e.reasons == ("正在交流期内（在R1，2027学年期满）",)


def test_after_the_term_the_cooldown_counts_from_its_end() -> None:
    d = county([school("U1"), rural("R1")], [away()], [])
    e = eligibility(d.teacher["A1"], d, 2028, Policy())
    assert e.reasons == ("上次交流结束未满6年（2027年结束）",)
    assert eligibility(d.teacher["A1"], d, 2033, Policy()).eligible


def test_indicators_count_the_teacher_at_the_school_where_they_teach() -> None:
    d = county([school("U1"), rural("R1")], [away(), teacher("T2")], [])
    staff = staff_by_school(d)
    assert [t.teacher_id for t in staff["R1"]] == ["A1"]
    assert [t.teacher_id for t in staff["U1"]] == ["T2"]
    r1 = county_indicators(d, Policy()).for_school("R1")[0]
    assert r1.stage is Stage.PRIMARY and r1.teachers == 1


def test_the_columns_are_read_and_written_and_an_unknown_school_is_refused(tmp_path) -> None:
    d = county([school("U1"), rural("R1")], [away(), teacher("T2")], [])
    write_dataset(d, tmp_path)
    assert "exchange_school_id,exchange_end_year" in (tmp_path / "teachers.csv").read_text("utf-8")
    back = read_dataset(tmp_path)
    assert back.teacher["A1"].exchange_school_id == "R1"
    assert back.teacher["A1"].exchange_end_year == 2027
    text = (tmp_path / "teachers.csv").read_text("utf-8").replace(",R1,2027", ",R9,2027")
    (tmp_path / "teachers.csv").write_text(text, "utf-8")
    try:
        read_dataset(tmp_path)
    except ValueError as exc:
        assert "R9" in str(exc) and "第2行" in str(exc)
    else:
        raise AssertionError("an unknown exchange school was accepted")


def test_the_outlook_starts_with_the_teacher_away_and_brings_them_back_at_the_end() -> None:
    d = county(
        [school("U1"), rural("R1")],
        [away(), *math_teachers(3, prefix="S")],
        [],
    )
    state = OutlookState.start(d, YEAR)
    assert state.dataset.teacher["A1"].school_id == "R1"
    assert [e.teacher_id for e in state.exchanges] == ["A1"]
    assert [lk.kind for lk in state.stay_locks().items] == [LockKind.STAY]
    policy, assumptions = Policy(), OutlookAssumptions()
    state, events = roll_forward(state, Plan(year=YEAR, assignments=()), policy, assumptions)
    assert events.returned == () and state.dataset.teacher["A1"].school_id == "R1"
    state, events = roll_forward(state, Plan(year=2027, assignments=()), policy, assumptions)
    assert events.returned == ("A1",) and state.dataset.teacher["A1"].school_id == "U1"
