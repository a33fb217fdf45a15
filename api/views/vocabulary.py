"""The codes the API answers with, and their Chinese labels (stage, subject, title, ...)."""

from __future__ import annotations

from api.audit import ACTION_LABELS, OBJECT_LABELS
from rotation.enums import (
    Area,
    BackboneLevel,
    Degree,
    ExchangeForm,
    Gender,
    LabelledEnum,
    Position,
    Priority,
    QuotaScope,
    Role,
    SchoolStage,
    ShadowingTerm,
    Stage,
    Subject,
    Title,
    Weekday,
)
from rotation.indicators import INDICATOR_LABELS_ZH
from rotation.locks import LOCK_KIND_ZH
from rotation.plan import UnfilledCause
from rotation.principals import LeaderMove

VOCABULARIES: dict[str, type[LabelledEnum]] = {
    "area": Area,
    "school_stage": SchoolStage,
    "stage": Stage,
    "subject": Subject,
    "title": Title,
    "backbone": BackboneLevel,
    "gender": Gender,
    "degree": Degree,
    "priority": Priority,
    "role": Role,
    "quota_scope": QuotaScope,
    "unfilled_cause": UnfilledCause,
    # the forms of exchange besides the transfer (issue 18)
    "exchange_form": ExchangeForm,
    "position": Position,
    "leader_move": LeaderMove,
    "weekday": Weekday,
    "shadowing_term": ShadowingTerm,
}


def vocabulary() -> dict[str, dict[str, str]]:
    """{vocabulary: {code: Chinese label}}, in the enumerations' own order; also the 2017
    indicators, the kinds of lock, and the audit log's actions and objects."""

    out = {name: {m.value: m.label_zh for m in enum} for name, enum in VOCABULARIES.items()}
    out["indicator"] = dict(INDICATOR_LABELS_ZH)
    lock_kinds: dict[str, str] = {}
    for zh, kind in LOCK_KIND_ZH.items():  # the first Chinese name of each kind
        lock_kinds.setdefault(kind.value, zh)
    out["lock_kind"] = lock_kinds
    out["audit_action"] = {str(k): v for k, v in ACTION_LABELS.items()}
    out["audit_object"] = dict(OBJECT_LABELS)
    return out
