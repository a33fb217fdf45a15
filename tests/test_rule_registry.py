"""Every hard rule has every face, under its one name: a forgotten twin fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rotation.checker import CHECKS, ITINERANT_CHECKS
from rotation.rule_names import HARD_RULES, ITINERANT_RULES, RuleName
from solver.itinerant import ITINERANT_CONSTRAINTS
from solver.rule_faces import FACES, missing_faces, rule_faces

ROOT = Path(__file__).resolve().parent.parent


def test_every_hard_rule_has_a_constraint_words_diagnosis_rows_and_a_greedy_test() -> None:
    assert missing_faces() == []
    assert set(rule_faces()) == set(HARD_RULES)


def test_every_rule_has_a_solver_free_check() -> None:
    assert set(CHECKS) | set(ITINERANT_CHECKS) == set(RuleName)
    assert not set(CHECKS) & set(ITINERANT_CHECKS)


def test_every_itinerant_rule_has_its_constraint_and_its_check_and_no_transfer_face() -> None:
    assert ITINERANT_RULES
    assert set(ITINERANT_CONSTRAINTS) == set(ITINERANT_CHECKS) == set(ITINERANT_RULES)
    for table in FACES.values():
        assert not set(ITINERANT_RULES) & set(table)


def test_only_hard_rules_have_solver_faces_and_integrity_rules_are_the_checkers_alone() -> None:
    integrity = {r for r in RuleName if not r.hard}
    assert integrity == {RuleName.ROSTER, RuleName.TERM, RuleName.COMPLIANCE}
    for table in FACES.values():
        assert not integrity & set(table)


def test_every_rule_has_a_chinese_and_an_english_label() -> None:
    for rule in RuleName:
        assert rule.label_zh and rule.label_en and rule.label_zh != rule.label_en
    assert len({r.label_zh for r in RuleName}) == len(RuleName)


def test_missing_faces_names_a_rule_whose_face_was_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    greedy = dict(FACES["greedy"])
    del greedy[RuleName.DISTANCE_LIMIT]
    monkeypatch.setitem(FACES, "greedy", greedy)
    assert missing_faces() == [(RuleName.DISTANCE_LIMIT, "greedy")]


def test_the_checker_imports_neither_the_solver_nor_the_database() -> None:
    for path in (ROOT / "rotation").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in {"solver", "api", "sqlmodel", "sqlalchemy", "bench"}, (
                    f"{path}: imports {name}"
                )


def test_every_principal_rule_has_its_constraint_in_the_principals_model_and_a_check() -> None:
    from rotation.rule_names import PRINCIPAL_RULES
    from solver.principal_exchange import PRINCIPAL_CONSTRAINTS

    assert set(PRINCIPAL_CONSTRAINTS) == set(PRINCIPAL_RULES)
    assert set(PRINCIPAL_RULES) <= set(CHECKS)
    assert not set(PRINCIPAL_RULES) & set(HARD_RULES)  # the teachers' model has no face of them
    for table in FACES.values():
        assert not set(PRINCIPAL_RULES) & set(table)
