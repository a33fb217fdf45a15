"""The columns beside the arcs (跟岗学习 placements, capped indicator columns, CV steps) are
one kind of thing: blocks in ``ModelContext.aux`` that know their columns, their rows, how a
point's arcs set them and how far their objective can move. A column added any other way
is refused before it can silently loosen the rows the arcs see."""

from __future__ import annotations

import numpy as np
import pytest
from builders import YEAR, county, math_teachers, need, rural, school

from rotation.enums import BackboneLevel
from rotation.locks import Locks
from rotation.policy import Policy
from solver.build import build_model
from solver.candidates import build_candidates
from solver.rules import ModelContext


def _ctx() -> ModelContext:
    """R1 lacks a backbone teacher; U1 has three to send: one capped indicator block."""
    teachers = math_teachers(3, "U1", backbone=BackboneLevel.COUNTY) + math_teachers(
        4, "R1", prefix="R"
    )
    d = county([school("U1", students=300), rural("R1", students=100)], teachers, [need("R1", 1)])
    return build_model(build_candidates(d, YEAR, Policy(), Locks()))


def test_every_column_beside_the_arcs_and_slack_is_a_registered_block() -> None:
    ctx = _ctx()
    aux = ctx.aux.mask(ctx.model.num_vars)
    arcs = np.zeros(ctx.model.num_vars, dtype=bool)
    arcs[ctx.x.slice] = True
    slack = np.zeros(ctx.model.num_vars, dtype=bool)
    slack[[s.column for s in ctx.slacks]] = True
    assert not (aux & (arcs | slack)).any()
    assert (aux | arcs | slack).all()
    capped = ctx.aux.get("indicator:backbone")
    assert capped is not None and capped.rows == ["indicator_cap:backbone"]
    assert capped.complete is not None and capped.penalty_bound > 0
    assert ctx.aux.get("shadowing") is not None


def test_a_column_added_outside_the_registry_is_refused() -> None:
    ctx = _ctx()
    ctx.arc_row_upper()  # a registered model passes
    ctx.model.add_vars("stray", 2, lb=-1.0, ub=0.0, obj=0)
    with pytest.raises(RuntimeError, match="ModelContext.aux"):
        ctx.arc_row_upper()
