"""跟岗学习 in the model: one variable per (applicant, host school), each placement covered.

An applicant (``rotation.exchange_forms.shadowing_applicant``) may be placed at one of the
nearest ``Policy.shadowing_hosts_per_teacher`` urban or quality schools of the stage that
teach the subject (``shadowing_host_problem``), within the distance limit, never at a
blocked school, never when locked to stay. Two hard rules, each under its one name:

- ``SHADOWING_HOST``: at most one placement per applicant, and none for an applicant the
  plan also moves; at most ``Policy.shadowing_per_host`` per host school;
- ``SHADOWING_COVER``: the placements out of a rural school's stage and subject are no
  more than the moves into that very post in the same plan (no 跟岗 without cover).

Neither ever forbids a transfer (placements only ride on the moves), so neither adds
rows to a quota's diagnosis nor a test to the greedy office plan. Applicants whose post
no candidate move can cover get no variable. After the solve, ``placements`` reads the
chosen ones and adds any further placement the chosen moves cover (a rounded plan may
have left them at zero), so the plan places every applicant it can.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from rotation.enums import Stage, Subject
from rotation.exchange_forms import (
    ShadowingPlacement,
    hosts_shadowing,
    mentor_groups,
    shadowing_applicant,
    shadowing_covers,
    shadowing_host_problem,
    shadowing_reason,
)
from rotation.models import School, Teacher
from rotation.plan import Assignment
from solver.aux_columns import AuxBlock
from solver.candidates import Candidates
from solver.linear_model import INF

if TYPE_CHECKING:
    from solver.rules import ModelContext

IntArray = npt.NDArray[np.int64]
BLOCK = "shadowing"
Group = tuple[str, Stage, Subject]


@dataclass(frozen=True)
class ShadowingArcs:
    """The possible placements as parallel arrays."""

    applicants: list[Teacher]  # canonical order, only those whose post a move could cover
    arc_applicant: IntArray  # index into applicants
    arc_host: list[str]
    arc_distance: list[float | None]
    unplaceable: dict[str, str]  # teacher_id → why no placement is possible (Chinese)

    @property
    def num_arcs(self) -> int:
        return len(self.arc_applicant)


def _coverable_groups(c: Candidates) -> set[Group]:
    return {
        (c.arc_school[a], t.stage, t.subject)
        for a, i in enumerate(c.arc_teacher.tolist())
        for t in (c.teachers[i],)
    }


def shadowing_arcs(c: Candidates) -> ShadowingArcs:
    """The placements the model may choose (computed once per candidate set)."""
    cached = c.cache.get(BLOCK)
    if isinstance(cached, ShadowingArcs):
        return cached
    ds, policy = c.dataset, c.policy
    staying, blocked = c.locks.staying, c.locks.blocked_schools
    coverable = _coverable_groups(c)
    mentors = mentor_groups(ds)
    limit = policy.max_distance_km
    able = [s for s in ds.schools if hosts_shadowing(s, policy) and s.school_id not in blocked]
    applicants: list[Teacher] = []
    arc_a: list[int] = []
    arc_h: list[str] = []
    arc_d: list[float | None] = []
    unplaceable: dict[str, str] = {}
    if policy.shadowing_per_host > 0:
        for t in ds.teachers:
            if not shadowing_applicant(t, ds):
                continue
            if t.teacher_id in staying:
                unplaceable[t.teacher_id] = "已锁定留任"
                continue
            if (t.school_id, t.stage, t.subject) not in coverable:
                unplaceable[t.teacher_id] = (
                    f"无{t.stage.label_zh}{t.subject.label_zh}交流教师可到原校补位"
                )
                continue
            hosts: list[tuple[float, str, float | None]] = []
            for s in able:
                if shadowing_host_problem(t, s, ds, policy, mentors):
                    continue
                d = ds.distance_km(t.school_id, s.school_id)
                if limit is not None and d is not None and d > limit:
                    continue
                hosts.append((d if d is not None else float("inf"), s.school_id, d))
            if not hosts:
                unplaceable[t.teacher_id] = "无同学段同学科的城镇或优质学校可跟岗"
                continue
            i = len(applicants)
            applicants.append(t)
            for _, school_id, d in sorted(hosts)[: policy.shadowing_hosts_per_teacher]:
                arc_a.append(i)
                arc_h.append(school_id)
                arc_d.append(d)
    out = ShadowingArcs(applicants, np.asarray(arc_a, dtype=np.int64), arc_h, arc_d, unplaceable)
    c.cache[BLOCK] = out
    return out


def shadowing_vars(ctx: ModelContext) -> AuxBlock:
    """The placement variables, made once, valued at the policy's weight less distance.
    They start at 0 (no completion: a point's arcs never require a placement)."""
    block = ctx.aux.get(BLOCK)
    if block is not None:
        return block
    from solver.rules import OBJECTIVE_SCALE

    s = shadowing_arcs(ctx.cands)
    w = ctx.cands.policy.weights
    value = np.array(
        [w.shadowing - (w.distance_per_km * d if d is not None else 0.0) for d in s.arc_distance],
        dtype=np.float64,
    )
    coef = np.maximum(1, np.rint(value * OBJECTIVE_SCALE)).astype(np.int64)
    # all the placements can add: one shortfall outweighs it, unless the policy fixes the
    # shortfall penalty (then it is taken as given)
    bound = 0 if w.shortfall_penalty > 0 else int(np.abs(coef).sum())
    return ctx.aux.add(
        ctx.model, BLOCK, s.num_arcs, lb=0.0, ub=1.0, obj=coef, integer=True, penalty_bound=bound
    )


def _cover_arcs(c: Candidates) -> dict[Group, list[int]]:
    """The transfer arcs into each (school, stage, subject)."""
    out: dict[Group, list[int]] = {}
    for a, i in enumerate(c.arc_teacher.tolist()):
        t = c.teachers[i]
        out.setdefault((c.arc_school[a], t.stage, t.subject), []).append(a)
    return out


def shadowing_host(ctx: ModelContext) -> None:
    """One placement per applicant and none for one the plan moves; hosts within their limit."""
    c = ctx.cands
    s = shadowing_arcs(c)
    y = shadowing_vars(ctx)
    if not s.num_arcs:
        return
    index = {t.teacher_id: k for k, t in enumerate(s.applicants)}
    rows: list[int] = []
    cols: list[int] = []
    rows.extend(s.arc_applicant.tolist())
    cols.extend((y.columns.start + np.arange(s.num_arcs)).tolist())
    for a, i in enumerate(c.arc_teacher.tolist()):
        k = index.get(c.teachers[i].teacher_id)
        if k is not None:  # an applicant who could also be sent: one or the other
            rows.append(k)
            cols.append(ctx.x.start + a)
    one_each = ctx.model.add_rows(
        "shadowing_one_each",
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.ones(len(rows), dtype=np.int64),
        lower=-INF,
        upper=1.0,
        count=len(s.applicants),
        labels=[t.teacher_id for t in s.applicants],
    )
    hosts = sorted(set(s.arc_host))
    host_row = {h: k for k, h in enumerate(hosts)}
    per_host = ctx.model.add_rows(
        "shadowing_per_host",
        np.array([host_row[h] for h in s.arc_host], dtype=np.int64),
        y.columns.start + np.arange(s.num_arcs),
        np.ones(s.num_arcs, dtype=np.int64),
        lower=-INF,
        upper=float(c.policy.shadowing_per_host),
        count=len(hosts),
        labels=hosts,
    )
    y.stands_in(one_each, per_host)


def shadowing_cover(ctx: ModelContext) -> None:
    """Placements out of a post ≤ moves into it: Σ y(post) − Σ x(into post) ≤ 0."""
    c = ctx.cands
    s = shadowing_arcs(c)
    y = shadowing_vars(ctx)
    if not s.num_arcs:
        return
    covers = _cover_arcs(c)
    groups = sorted({(t.school_id, t.stage, t.subject) for t in s.applicants})
    row_of = {g: k for k, g in enumerate(groups)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    for a, i in enumerate(s.arc_applicant.tolist()):
        t = s.applicants[i]
        rows.append(row_of[(t.school_id, t.stage, t.subject)])
        cols.append(y.columns.start + a)
        vals.append(1)
    for g, k in row_of.items():
        for a in covers.get(g, ()):
            rows.append(k)
            cols.append(ctx.x.start + a)
            vals.append(-1)
    cover = ctx.model.add_rows(
        "shadowing_cover",
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(vals, dtype=np.int64),
        lower=-INF,
        upper=0.0,
        count=len(groups),
        labels=["/".join((g[0], g[1].value, g[2].value)) for g in groups],
    )
    y.stands_in(cover)


def placements(
    ctx: ModelContext, values: npt.NDArray[np.float64] | None, moves: list[Assignment], year: int
) -> list[ShadowingPlacement]:
    """The chosen placements, then more where the plan's moves still cover one, nearest first;
    each told with the cover who fills the post."""
    c = ctx.cands
    s = shadowing_arcs(c)
    block = ctx.aux.get(BLOCK)
    chosen: list[int] = []
    if values is not None and block is not None and block.columns.size:
        chosen = np.flatnonzero(block.values(values) > 0.5).tolist()
    moved = {m.teacher_id for m in moves}
    inbound = Counter((m.to_school_id, m.stage, m.subject) for m in moves)  # covers per post
    used: dict[Group, int] = {}
    per_host: dict[str, int] = {}
    placed: dict[int, int] = {}  # applicant → arc

    def take(a: int) -> bool:
        i = int(s.arc_applicant[a])
        t = s.applicants[i]
        g = (t.school_id, t.stage, t.subject)
        if (
            i in placed
            or t.teacher_id in moved
            or used.get(g, 0) >= inbound[g]
            or per_host.get(s.arc_host[a], 0) >= c.policy.shadowing_per_host
        ):
            return False
        placed[i] = a
        used[g] = used.get(g, 0) + 1
        per_host[s.arc_host[a]] = per_host.get(s.arc_host[a], 0) + 1
        return True

    for a in chosen:
        take(a)
    order = sorted(
        range(s.num_arcs),
        key=lambda a: (
            s.applicants[int(s.arc_applicant[a])].teacher_id,
            s.arc_distance[a] if s.arc_distance[a] is not None else float("inf"),
            s.arc_host[a],
        ),
    )
    for a in order:
        take(a)
    rows: list[tuple[ShadowingPlacement, Teacher, School]] = []
    for i, a in sorted(placed.items(), key=lambda kv: s.applicants[kv[0]].teacher_id):
        t = s.applicants[i]
        host = c.dataset.school[s.arc_host[a]]
        d = s.arc_distance[a]
        placement = ShadowingPlacement(
            teacher_id=t.teacher_id,
            name=t.name,
            from_school_id=t.school_id,
            host_school_id=host.school_id,
            stage=t.stage,
            subject=t.subject,
            year=year,
            term=c.policy.shadowing_term,
            distance_km=None if d is None else round(d, 2),
        )
        rows.append((placement, t, host))
    # the cover each placement names is the pairing the console and the checker read
    cover_of = shadowing_covers([p for p, _, _ in rows], moves)
    out = []
    for p, t, host in rows:
        cover = cover_of[p.teacher_id]
        assert cover is not None  # take() placed no more out of a post than move into it
        home = c.dataset.school[t.school_id]
        reasons = shadowing_reason(t, host, home, [cover.name], c.policy)
        out.append(p.model_copy(update={"reasons": reasons}))
    return out


def shadowing_note(ctx: ModelContext, placed: list[ShadowingPlacement]) -> str | None:
    """How many applied and were placed, and why the rest were not (Chinese)."""
    c = ctx.cands
    applied = [t for t in c.dataset.teachers if shadowing_applicant(t, c.dataset)]
    if not applied:
        return None
    s = shadowing_arcs(c)
    done = {p.teacher_id for p in placed}
    not_placed = [t for t in applied if t.teacher_id not in done]
    why: dict[str, int] = {}
    for t in not_placed:
        reason = s.unplaceable.get(
            t.teacher_id, "本方案交流到原校的同学科教师已为他人补位或跟岗学校已满"
        )
        why[reason] = why.get(reason, 0) + 1
    rest = "；".join(f"{r}{n}人" for r, n in sorted(why.items(), key=lambda kv: (-kv[1], kv[0])))
    zh = f"跟岗学习：申请{len(applied)}人，安排{len(placed)}人" + (f"；未安排：{rest}" if rest else "")
    return f"{zh} / shadowing: {len(applied)} applied, {len(placed)} placed"
