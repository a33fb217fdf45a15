"""Forms of exchange beside the full transfer: 支教 (one year, then back) and 跟岗学习.

Named by the 2014 opinion (教师〔2014〕4号) and common county practice:

- 交流 (transfer): the teacher's post moves for the policy's term (``Policy.term_years``).
- 支教 (support): one year (``Policy.support_term_years``) at a rural or weak school, then
  back. The policy chooses it for the teachers who seek a senior title and lack the
  rural or weak-school service that title needs (``support_due``); a 支教 counts toward
  the 10% quota like a transfer (the county's reading; the default).
- 跟岗学习 (shadowing): a rural teacher who asked for it (``seeks_shadowing``) spends a term
  (``Policy.shadowing_term``) at an urban or high-quality school of the same stage that
  teaches the same subject; each is paired with an inbound move of the same stage and
  subject into the rural school in the same plan, so the school is not left short.

The solver-free rules live here; ``rotation.checker`` judges plans with them and the
solver builds its moves from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from rotation.areas import is_rural
from rotation.enums import ExchangeForm, ShadowingTerm, Stage, Subject
from rotation.models import Dataset, School, Teacher
from rotation.policy import Policy
from rotation.roles import school_role

if TYPE_CHECKING:
    from rotation.plan import Assignment


def serves_rural_or_weak(school: School, policy: Policy) -> bool:
    """A school where service counts for the senior-title rule: 农村 or weak."""
    return is_rural(school, policy.rural_areas) or school.weak


def lacks_rural_service(teacher: Teacher, dataset: Dataset, policy: Policy) -> bool:
    """An urban teacher with less rural or weak-school service than the title rule asks."""
    home = dataset.school[teacher.school_id]
    if serves_rural_or_weak(home, policy):
        return False  # teaching at a rural or weak school is that service
    return teacher.rural_service_years < policy.rural_service_required_years


def support_due(teacher: Teacher, dataset: Dataset, policy: Policy) -> bool:
    """Whether the policy sends this teacher on 支教 (one year) rather than a transfer."""
    return (
        policy.support_for_promotion
        and teacher.seeks_promotion
        and lacks_rural_service(teacher, dataset, policy)
    )


def support_counted_out(teacher: Teacher, dataset: Dataset, policy: Policy) -> bool:
    """A 支教 the county does not count toward the 10% (``support_counts_toward_quota`` off):
    its move is left out of the rotated counts, never out of the eligible base."""
    return not policy.support_counts_toward_quota and support_due(teacher, dataset, policy)


def form_of_move(teacher: Teacher, dataset: Dataset, policy: Policy) -> ExchangeForm:
    """The form of an outbound move of this teacher under the policy."""
    return ExchangeForm.SUPPORT if support_due(teacher, dataset, policy) else ExchangeForm.TRANSFER


def term_years_of(form: ExchangeForm, policy: Policy) -> int:
    """A move's length in school years: 支教 its own, a transfer the policy's term."""
    return policy.support_term_years if form is ExchangeForm.SUPPORT else policy.term_years


def support_reason(policy: Policy) -> str:
    years = policy.support_term_years
    return (
        f"支教{years}年后返回原校：本人拟申报高级职称，"
        f"尚缺{policy.rural_service_required_years}年农村或薄弱学校任教经历"
    )


# ------------------------------------------------------------------ 跟岗学习


def shadowing_applicant(teacher: Teacher, dataset: Dataset) -> bool:
    """A teacher of a receiving (rural, weak or 三所) school who asked for 跟岗学习."""
    if not teacher.seeks_shadowing or teacher.exempt or teacher.exchange_school_id:
        return False
    return school_role(dataset.school[teacher.school_id]).receives


def mentor_groups(dataset: Dataset) -> set[tuple[str, Stage, Subject]]:
    """(school, stage, subject) of every group with at least one teacher (a mentor)."""
    return {(t.school_id, t.stage, t.subject) for t in dataset.teachers}


def hosts_shadowing(school: School, policy: Policy) -> bool:
    """A school that may take 跟岗学习 teachers at all: an urban (sending) or quality school,
    not a weak one."""
    return (school_role(school, policy.urban_areas).sends or school.quality) and not school.weak


def shadowing_host_problem(
    teacher: Teacher,
    host: School,
    dataset: Dataset,
    policy: Policy,
    mentors: set[tuple[str, Stage, Subject]] | None = None,
) -> str:
    """Why ``host`` cannot take this 跟岗学习 teacher (Chinese), or "" when it can."""
    if host.school_id == teacher.school_id:
        return "跟岗学校不能是本校"
    if not hosts_shadowing(host, policy):
        return f"{host.name} 不是城镇（派出）学校或优质学校"
    if not host.offers(teacher.stage):
        return f"{host.name} 没有{teacher.stage.label_zh}学段"
    groups = mentors if mentors is not None else mentor_groups(dataset)
    if (host.school_id, teacher.stage, teacher.subject) not in groups:
        return f"{host.name} 没有{teacher.stage.label_zh}{teacher.subject.label_zh}教师可带教"
    return ""


class ShadowingPlacement(BaseModel):
    """One 跟岗学习: a row of 跟岗学习.csv."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    from_school_id: str
    host_school_id: str
    stage: Stage
    subject: Subject
    year: int
    term: ShadowingTerm = ShadowingTerm.SEMESTER
    reasons: str = Field("", description="为何安排、谁来补位，中文 / why, and who covers")
    distance_km: float | None = None

    @property
    def group(self) -> tuple[str, Stage, Subject]:
        """The home school's post the placement leaves open (and a cover must fill)."""
        return (self.from_school_id, self.stage, self.subject)


def shadowing_reason(
    teacher: Teacher, host: School, home: School, covers: list[str], policy: Policy
) -> str:
    term = policy.shadowing_term.label_zh
    who = "、".join(covers) if covers else "交流教师"
    return (
        f"本人申请跟岗学习，{term}在{host.name}（城镇/优质学校）跟岗{teacher.stage.label_zh}"
        f"{teacher.subject.label_zh}；{home.name}同学科由本方案交流到校的{who}补位"
    )


def shadowing_covers(
    placements: Iterable[ShadowingPlacement], moves: Iterable[Assignment]
) -> dict[str, Assignment | None]:
    """Each 跟岗学习 teacher → the move that covers the post left at the home school.

    The pairing the solver tells in each placement's reasons: within a post (home school,
    stage, subject), the k-th placement by teacher_id is covered by the k-th move into that
    post by teacher_id. None when the plan has no such move (the checker's
    ``shadowing_cover`` rule then reports the placement)."""
    into: dict[tuple[str, Stage, Subject], list[Assignment]] = {}
    for m in sorted(moves, key=lambda m: m.teacher_id):
        into.setdefault((m.to_school_id, m.stage, m.subject), []).append(m)
    taken: dict[tuple[str, Stage, Subject], int] = {}
    out: dict[str, Assignment | None] = {}
    for p in sorted(placements, key=lambda p: p.teacher_id):
        k = taken.get(p.group, 0)
        taken[p.group] = k + 1
        covers = into.get(p.group, [])
        out[p.teacher_id] = covers[k] if k < len(covers) else None
    return out
