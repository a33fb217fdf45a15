"""What a viewer may not see: teachers' ages and birth dates, and evaluation scores.

Officers see everything. A viewer sees the ineligibility reason without the age or date
that explains it (``距退休不足5年`` rather than ``距退休不足5年（54岁）``) and a job's
parameters without the evaluation scores (only how many teachers had one) or the name of
the officer who asked for it (the audit log's business, which viewers do not read).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel

from api.auth import Caller

# A parenthesis holding an age (54岁) or a date (2031-03, 2031年3月): personal data.
_PERSONAL_DETAIL = re.compile(
    r"\s*[（(][^（）()]*(?:\d+\s*岁|\d{4}-\d{1,2}|\d{4}年\d{1,2}月)[^（）()]*[）)]"
)

M = TypeVar("M", bound=BaseModel)
OFFICERS_ONLY = ("scores", "requested_by")  # job parameters a viewer does not see


def public_reason(reason: str) -> str:
    """The reason without the age or date in it."""
    return _PERSONAL_DETAIL.sub("", reason)


def reasons_for(caller: Caller, reasons: list[str]) -> list[str]:
    return reasons if caller.is_officer else [public_reason(r) for r in reasons]


def params_for(caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """A job's parameters; a viewer gets the number of scores instead of the scores, and
    not who asked for the job."""
    if caller.is_officer or not any(k in params for k in OFFICERS_ONLY):
        return params
    shown = {k: v for k, v in params.items() if k not in OFFICERS_ONLY}
    if "scores" in params:
        shown["scores_count"] = len(params.get("scores") or {})
    return shown


def job_for(caller: Caller, job: M) -> M:
    """A job as the caller may see it (its ``params`` without scores for a viewer)."""
    params = getattr(job, "params", None)
    if caller.is_officer or not isinstance(params, dict):
        return job
    return job.model_copy(update={"params": params_for(caller, params)})
