"""Every hard rule's faces in the solver, gathered under the rule's one name.

A hard rule (``rotation.rule_names.HARD_RULES``) is written once per face, each in the
module whose job it is, and registered there under its name:

- its constraint in the model (``solver.rules.CONSTRAINTS``, with the single-move
  rules' masks in ``solver.arc_rules``);
- its words as a cause (``solver.explain.CAUSE_WORDS``);
- its rows in the shortfall diagnosis (``solver.diagnose.DIAGNOSIS_ROWS``);
- its test in the greedy office plan (``solver.greedy.GREEDY_TESTS``);

and its solver-free check in ``rotation.checker.CHECKS``, which shares nothing with
these. ``missing_faces`` lists what a rule lacks; the registry test fails on any.
"""

from __future__ import annotations

from dataclasses import dataclass

from rotation.rule_names import HARD_RULES, RuleName
from solver.diagnose import DIAGNOSIS_ROWS, DiagnosisRows
from solver.explain import CAUSE_WORDS, CauseWords
from solver.greedy import GREEDY_TESTS, GreedyTest
from solver.rules import CONSTRAINTS, HardRule

FACES: dict[str, dict[RuleName, object]] = {
    "constraint": dict(CONSTRAINTS),
    "explanation": dict(CAUSE_WORDS),
    "diagnosis": dict(DIAGNOSIS_ROWS),
    "greedy": dict(GREEDY_TESTS),
}


@dataclass(frozen=True)
class RuleFaces:
    name: RuleName
    constraint: HardRule
    explanation: CauseWords
    diagnosis: DiagnosisRows
    greedy: GreedyTest


def missing_faces() -> list[tuple[RuleName, str]]:
    """(rule, face) for every hard rule without that face, and every face registered
    under a name that is not a hard rule."""
    out = [
        (rule, face) for rule in HARD_RULES for face, table in FACES.items() if rule not in table
    ]
    out += [
        (rule, face) for face, table in FACES.items() for rule in table if rule not in HARD_RULES
    ]
    return out


def rule_faces() -> dict[RuleName, RuleFaces]:
    return {
        rule: RuleFaces(
            rule, CONSTRAINTS[rule], CAUSE_WORDS[rule], DIAGNOSIS_ROWS[rule], GREEDY_TESTS[rule]
        )
        for rule in HARD_RULES
    }
