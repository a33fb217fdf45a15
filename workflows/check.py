"""Check a plan: the independent checker's verdict, whoever made the plan."""

from __future__ import annotations

from rotation.check_report import CheckReport
from rotation.checker import check_plan
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy


def check_existing_plan(
    dataset: Dataset, plan: Plan, policy: Policy, locks: Locks | None = None
) -> CheckReport:
    """Every hard rule re-verified from the roster, the policy and the locks alone."""
    return check_plan(dataset, plan, policy, locks)
