"""The console's reading of a plan's principal exchange and 跟岗学习, without the service: a
viewer reads why a leader stays without the retirement month, and each 跟岗学习 placement
is paired with the move into its post as the solver tells it."""

from __future__ import annotations

import re
from datetime import date

from builders import county, rural, school, teacher

from api.views.plan_forms import plan_leaders, plan_shadowing
from rotation.enums import Position, Subject
from rotation.exchange_forms import ShadowingPlacement
from rotation.plan import Assignment
from rotation.policy import Policy
from rotation.principals import PrincipalExchange


def test_a_viewer_reads_why_a_leader_stays_without_the_retirement_month() -> None:
    data = county(
        [school("U1"), rural("R1")],
        [
            teacher("P1", "U1", position=Position.PRINCIPAL, post_start_year=2024),
            teacher(
                "P2",
                "R1",
                position=Position.PRINCIPAL,
                post_start_year=2010,
                birth_date=date(1967, 3, 1),
            ),
        ],  # fmt: skip
        [],
    )
    exchange = PrincipalExchange(principals=2)
    officer = plan_leaders(exchange, data, 2026, Policy(), personal=True)
    viewer = plan_leaders(exchange, data, 2026, Policy(), personal=False)
    why = {r.teacher_id: r for r in officer.stays}
    assert "未满2届" in why["P1"].reason_zh and "2 of 6 years" in why["P1"].reason_en
    assert "退休" in why["P2"].reason_zh and re.search(r"\d{4}年\d{1,2}月", why["P2"].reason_zh)
    seen = {r.teacher_id: r for r in viewer.stays}
    assert "退休" in seen["P2"].reason_zh and "retirement" in seen["P2"].reason_en
    assert not re.search(
        r"\d{4}年\d{1,2}月|\d{4}-\d{2}", seen["P2"].reason_zh + seen["P2"].reason_en
    )


def test_each_shadowing_placement_is_paired_with_the_move_into_its_post() -> None:
    data = county(
        [school("U1"), rural("R1")],
        [
            teacher("A1", "R1", seeks_shadowing=True),
            teacher("A2", "R1", seeks_shadowing=True),
            teacher("A3", "R1", seeks_shadowing=True, subject=Subject.CHINESE),
            teacher("M2", "U1"),
            teacher("M1", "U1"),
        ],
        [],
    )
    moves = [Assignment.of(data.teacher[t], "R1", 2026, 3) for t in ("M2", "M1")]
    placed = [
        ShadowingPlacement(
            teacher_id=t, name=data.teacher[t].name, from_school_id="R1", host_school_id="U1",
            stage=data.teacher[t].stage, subject=data.teacher[t].subject, year=2026,
        )
        for t in ("A2", "A1", "A3")
    ]  # fmt: skip
    view = plan_shadowing(tuple(placed), moves, data)
    cover = {r.teacher_id: r.cover_teacher_id for r in view.placements}
    assert cover == {"A1": "M1", "A2": "M2", "A3": None}, "k-th placement, k-th move, by id"
    assert (
        view.placements[0].host_school == "学校U1"
        and view.placements[0].cover_from_school == "学校U1"
    )
    assert (view.applicants, view.placed) == (3, 3)
