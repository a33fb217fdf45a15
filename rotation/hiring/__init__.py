"""县管校聘: the three hiring rounds, and the independent check of their result.

- Round 1, 校内竞聘 (``kept``): every school keeps its own teachers, post by post (a post
  is a school's section and subject, with the count from ``rotation.staffing``), best
  evaluated first, up to its posts.
- Round 2, 跨校竞聘 (``cross``): the teachers not kept apply to schools with a vacancy in
  their section and subject, in their preference order, and only to schools whose level
  is no higher than their own school's (``HiringPolicy.level_rule``). Schools rank the
  applicants by the same evaluation. Teacher-proposing deferred acceptance, so the result
  is stable and the best stable outcome for the teachers.
- Round 3, 组织调剂 (``assigned``): the bureau places those still unplaced into the
  remaining vacancies of their section (same level rule): their own subject, or, by 转岗
  (``HiringPolicy.allow_subject_change``), another subject of the same section that the
  compatibility rule allows (``subject_change_kind``: a 相近学科 pair, or a post that any
  teacher of the section may take, e.g. 小学体育/音乐/美术/科学/道德与法治). 县管校聘 schemes
  place teachers not hired in rounds 1–2 by 转岗 with 转岗培训; which subjects count as
  compatible is the county's choice, so the table is a policy parameter. The objective:
  each placement is worth ``fill_gain``, more at priority / weak / rural schools and in
  shortage subjects ("priority shortages first"), less by ``related_change_cost`` or
  ``open_change_cost`` for a 转岗 ("own subject first"), less ``cost_per_km`` per km
  ("short distances"). A 转岗 into a vacancy of the teacher's own school (校内转岗) is
  allowed and costs no distance. Teachers of one school, section and subject are
  interchangeable for the bureau (``RoundThreeGroup``); within a group the better-evaluated
  are placed first and get the better vacancies (``round_three_candidates`` may cap each
  group's list to its best vacancies; off by default: it loses placements). The optimisation itself is injected
  (``RoundThreeSolver``): ``solver.assign_unplaced`` solves it with CP-SAT;
  ``greedy_round_three`` here is a solver-free fallback. Anyone left goes to the 待岗培训
  list (``unplaced``) with the reason, which says when the county as a whole has more
  teachers of that section (or subject) than posts (结构性超编): no allocation can place them.

Evaluation order and school levels: ``ranking`` and ``levels``.

Modules: ``policy`` (``HiringPolicy``), ``posts`` (post keys and labels), ``levels``,
``ranking``, ``subject_change`` (the 转岗 rule), ``rounds`` (rounds 1 and 2, deferred
acceptance), ``round_three`` (the problem and the greedy fallback), ``balance`` (结构性超编),
``results`` (the result models), ``allocation`` (end to end, with every teacher's reason)
and ``check`` (``check_allocation``). Everything public is re-exported here.
"""

from __future__ import annotations

from rotation.hiring.allocation import finish_allocation, run_allocation
from rotation.hiring.balance import CountyBalance
from rotation.hiring.check import AllocationViolation, check_allocation
from rotation.hiring.levels import may_move, school_level, school_level_label
from rotation.hiring.policy import DEFAULT_OPEN_SUBJECTS, DEFAULT_RELATED_SUBJECTS, HiringPolicy
from rotation.hiring.posts import PostKey, post_label
from rotation.hiring.ranking import merit_key, merit_order
from rotation.hiring.results import (
    AllocationResult,
    AllocationRound,
    AllocationRow,
    SchoolAllocationSummary,
)
from rotation.hiring.round_three import (
    RoundThreeArc,
    RoundThreeGroup,
    RoundThreeProblem,
    RoundThreeSolution,
    RoundThreeSolver,
    RoundThreeVacancy,
    greedy_round_three,
    place_groups,
    round_three_problem,
    vacancy_gain,
)
from rotation.hiring.rounds import (
    H,
    RoundsState,
    T,
    deferred_acceptance,
    round_one,
    round_two_preferences,
    rounds_one_and_two,
    vacancies_after_round_one,
)
from rotation.hiring.subject_change import (
    CHANGE_ZH,
    OPEN_CHANGE,
    RELATED_CHANGE,
    subject_change_cost,
    subject_change_kind,
)

__all__ = [
    "AllocationResult",
    "AllocationRound",
    "AllocationRow",
    "AllocationViolation",
    "CHANGE_ZH",
    "CountyBalance",
    "DEFAULT_OPEN_SUBJECTS",
    "DEFAULT_RELATED_SUBJECTS",
    "H",
    "HiringPolicy",
    "OPEN_CHANGE",
    "PostKey",
    "RELATED_CHANGE",
    "RoundThreeArc",
    "RoundThreeGroup",
    "RoundThreeProblem",
    "RoundThreeSolution",
    "RoundThreeSolver",
    "RoundThreeVacancy",
    "RoundsState",
    "SchoolAllocationSummary",
    "T",
    "check_allocation",
    "deferred_acceptance",
    "finish_allocation",
    "greedy_round_three",
    "may_move",
    "merit_key",
    "merit_order",
    "place_groups",
    "post_label",
    "round_one",
    "round_three_problem",
    "round_two_preferences",
    "rounds_one_and_two",
    "run_allocation",
    "school_level",
    "school_level_label",
    "subject_change_cost",
    "subject_change_kind",
    "vacancies_after_round_one",
    "vacancy_gain",
]
