"""The codes the API answers with, and their Chinese labels (stage, subject, title, ...)."""

from __future__ import annotations

from rotation.enums import (
    Area,
    BackboneLevel,
    Degree,
    Gender,
    LabelledEnum,
    Priority,
    QuotaScope,
    Role,
    SchoolStage,
    Stage,
    Subject,
    Title,
)

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
}


def vocabulary() -> dict[str, dict[str, str]]:
    """{vocabulary: {code: Chinese label}}, in the enumerations' own order."""
    return {name: {m.value: m.label_zh for m in enum} for name, enum in VOCABULARIES.items()}
