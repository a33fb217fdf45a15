"""The policy as a form: each parameter's kind, limits, choices and description, taken from
``rotation.policy.Policy`` itself; and a check of typed values, parameter by parameter."""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, Literal

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, Field, ValidationError
from pydantic.fields import FieldInfo

from rotation.enums import LabelledEnum
from rotation.policy import ObjectiveWeights, Policy, PolicyError

Kind = Literal["int", "float", "choice", "choices", "text"]

GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "eligibility",
        "交流资格",
        ("min_tenure_years", "retirement_age_male", "retirement_age_female",
         "retirement_exempt_years", "exchange_cooldown_years"),
    ),
    (
        "quotas",
        "交流比例与骨干",
        ("rotation_rate", "max_rotation_rate", "backbone_share", "backbone_min_level",
         "quota_stages", "quota_scope"),
    ),
    (
        "exchange",
        "交流安排",
        ("term_years", "max_group_leave_share", "max_distance_km",
         "candidate_schools_per_teacher", "title_tilt", "shortage_subjects", "locks_outside_needs"),
    ),
    (
        "principals",
        "校长交流",
        ("principal_term_years", "principal_terms", "principal_exchange_rate",
         "principals_in_teacher_quota"),
    ),
    (
        "indicators",
        "优质均衡指标（2017）",
        ("degree_required_primary", "degree_required_junior", "degree_target_primary",
         "degree_target_junior", "backbone_target", "arts_pe_target", "cv_limit_primary",
         "cv_limit_junior"),
    ),
    (
        "itinerant",
        "走教",
        ("itinerant_subjects", "itinerant_max_weekly_hours", "itinerant_max_schools",
         "itinerant_max_km", "itinerant_max_daily_hours", "itinerant_full_load_hours",
         "itinerant_reading", "itinerant_gap", "itinerant_time_limit",
         "itinerant_candidates_per_school"),
    ),
)  # fmt: skip
WEIGHTS_GROUP = ("weights", "目标权重（越大越优先）")


class Choice(BaseModel):
    value: str
    label: str


class FormField(BaseModel):
    name: str = Field(description="参数名，覆盖时使用 / the override key")
    group: str
    label: str = Field(description="中文名（说明的第一部分）/ Chinese label")
    description: str = Field(description="参数说明（中文 / English）")
    kind: Kind
    optional: bool = Field(False, description="可留空（不限）/ may be left empty (no limit)")
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: list[Choice] = Field(default_factory=list)


class FormGroup(BaseModel):
    key: str
    label: str
    fields: list[FormField]


class FieldCheck(BaseModel):
    ok: bool
    errors: dict[str, str] = Field(
        default_factory=dict, description="参数名 → 问题（中文 / English）"
    )
    policy_error: str | None = Field(None, description="参数之间的问题 / a problem between values")


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if (origin is typing.Union or origin is types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return annotation, False


def _limits(info: FieldInfo) -> tuple[float | None, float | None, bool]:
    low: float | None = None
    high: float | None = None
    exclusive = False
    for m in info.metadata:
        if isinstance(m, Ge):
            low = float(m.ge)  # type: ignore[arg-type]
        elif isinstance(m, Gt):
            low, exclusive = float(m.gt), True  # type: ignore[arg-type]
        elif isinstance(m, Le):
            high = float(m.le)  # type: ignore[arg-type]
        elif isinstance(m, Lt):
            high = float(m.lt)  # type: ignore[arg-type]
    return low, high, exclusive


def _field(name: str, group: str, info: FieldInfo, default: Any) -> FormField:
    annotation, optional = _strip_optional(info.annotation)
    choices: list[Choice] = []
    origin = typing.get_origin(annotation)
    kind: Kind
    if origin is tuple:
        member = typing.get_args(annotation)[0]
        kind = "choices"
        if isinstance(member, type) and issubclass(member, LabelledEnum):
            choices = [Choice(value=m.value, label=m.label_zh) for m in member]
    elif isinstance(annotation, type) and issubclass(annotation, LabelledEnum):
        kind = "choice"
        choices = [Choice(value=m.value, label=m.label_zh) for m in annotation]
    elif annotation is bool:
        kind = "choice"
        choices = [Choice(value="false", label="否"), Choice(value="true", label="是")]
        default = "true" if default else "false"
    elif annotation is int:
        kind = "int"
    elif annotation is float:
        kind = "float"
    else:
        kind = "text"
    description = info.description or name
    low, high, exclusive = _limits(info)
    return FormField(
        name=name,
        group=group,
        label=description.split(" / ")[0].strip(),
        description=description,
        kind=kind,
        optional=optional,
        default=default,
        minimum=low,
        maximum=high,
        exclusive_minimum=exclusive,
        choices=choices,
    )


@functools.cache
def policy_form() -> list[FormGroup]:
    """Every parameter of the policy, grouped as the policy reads (computed once)."""
    defaults = Policy().model_dump(mode="json")
    fields = Policy.model_fields
    groups = [
        FormGroup(
            key=key,
            label=label,
            fields=[_field(n, key, fields[n], defaults[n]) for n in names],
        )
        for key, label, names in GROUPS
    ]
    listed = {n for _, _, names in GROUPS for n in names} | {"weights"}
    rest = [n for n in fields if n not in listed]
    if rest:  # a parameter added to the policy later still shows, in its own group
        groups.append(
            FormGroup(
                key="other",
                label="其他",
                fields=[_field(n, "other", fields[n], defaults[n]) for n in rest],
            )
        )
    wkey, wlabel = WEIGHTS_GROUP
    groups.append(
        FormGroup(
            key=wkey,
            label=wlabel,
            fields=[
                _field(f"weights.{n}", wkey, info, defaults["weights"][n])
                for n, info in ObjectiveWeights.model_fields.items()
            ],
        )
    )
    return groups


ZH_ERRORS: dict[str, str] = {
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "enum": "应为以下之一：{expected}",
    "extra_forbidden": "没有这个参数",
    "tuple_type": "应为若干选项",
    "missing": "不能为空",
}


def _zh(error: dict[str, Any]) -> str:
    """One pydantic error in Chinese, with the English after it."""
    template = ZH_ERRORS.get(error["type"])
    english = str(error.get("msg", ""))
    if error["type"] == "value_error":  # the policy's own check, already in both languages
        return english.removeprefix("Value error, ")
    if template is None:
        return f"取值无效 / {english}"
    try:
        text = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        text = template.split("{")[0].rstrip("：")
    return f"{text} / {english}"


def _one(key: str, value: Any) -> str | None:
    """The problem with one override on its own, in Chinese and English, or None."""
    data = Policy().model_dump(mode="json")
    head, _, rest = key.partition(".")
    if head not in data or (rest and (head != "weights" or rest not in data["weights"])):
        return "没有这个参数 / no such parameter"
    if rest:
        data["weights"][rest] = value
    else:
        data[head] = value
    try:
        Policy.model_validate(data)
    except ValidationError as exc:
        return "；".join(_zh(e) for e in exc.errors())  # type: ignore[arg-type]
    return None


def check_overrides(overrides: dict[str, Any]) -> FieldCheck:
    """Each override on its own against the defaults, then all of them together."""
    errors = {k: problem for k, v in overrides.items() if (problem := _one(k, v)) is not None}
    if errors:
        return FieldCheck(ok=False, errors=errors)
    try:
        Policy().with_overrides(overrides)
    except (PolicyError, TypeError, AttributeError, KeyError) as exc:
        return FieldCheck(ok=False, policy_error=str(exc))
    return FieldCheck(ok=True)
