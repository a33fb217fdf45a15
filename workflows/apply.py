"""Apply the adopted plan: next school year's roster, checked and read back (issue 15 item 3).

The plan file is checked first (``check_plan_file``: every hard rule, as for an edited plan);
a plan with violations is not applied. The new roster is written to a scratch folder beside
``out``, read back through the importer and compared, and only then moved into place, so a
failure leaves nothing half-written. ``apply_plan`` is the service's way in: a stored plan,
written as the plan.csv an officer would download and applied exactly as that file. It
reports each step (``ApplyPhase``) and, between steps, asks ``should_stop``: a stop raises
``ApplyStopped`` with nothing written outside its scratch folder.

The principal exchange (校长交流) is applied too: the one ``check_plan_file`` read and
checked beside the plan file (principal_exchanges.csv next to a plan.csv, the 校长交流 sheet
of a plan.xlsx; ``read_and_check_plan_file``), or for a stored plan the run's. It is checked
against the principals' rules first (``rotation.checker.check_principals``; a finding
stops the apply like any other) and carried into the roster by ``rotation.leader_moves``.
Without it the leaders stay as they are (``ApplyOutcome.principals_from`` is None). A
school the plan leaves without a principal is a ``vacancy`` row of the file.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rotation.apply_plan import AppliedYear, apply_moves
from rotation.checker import check_principals
from rotation.exchange_forms import ShadowingPlacement
from rotation.io import read_dataset, write_dataset
from rotation.io.plan_files import write_plan_csv
from rotation.io.plan_forms import PRINCIPALS
from rotation.io.principal_files import PRINCIPAL_FILE
from rotation.leader_moves import leaders_moved_by_teacher_plan
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.plan import Assignment, Plan
from rotation.policy import Policy
from rotation.principals import PrincipalExchange, recounted
from workflows.check import PlanFileCheck, PlanFinding, read_and_check_plan_file
from workflows.progress import StopFn


class ApplyPhase(StrEnum):
    """The steps of applying a plan, in order. ``STORE`` is the caller's last step (the
    service stores the roster as a new snapshot); the others are ``apply_plan``'s."""

    CHECK = "check"
    BUILD = "build"
    READ_BACK = "read_back"
    STORE = "store"

    @property
    def words(self) -> str:
        return PHASE_WORDS[self]

    @property
    def step(self) -> int:
        """1-based place among the steps (for "step 2 of 4")."""
        return list(ApplyPhase).index(self) + 1


PHASE_WORDS: dict[ApplyPhase, str] = {
    ApplyPhase.CHECK: "校验方案 / checking the plan",
    ApplyPhase.BUILD: "生成下一学年名单 / building next year's roster",
    ApplyPhase.READ_BACK: "读回核对名单 / reading the roster back",
    ApplyPhase.STORE: "保存为新的名册快照 / storing the new snapshot",
}

ApplyProgressFn = Callable[[ApplyPhase], None]


class ApplyStopped(RuntimeError):
    """``should_stop`` said stop between two steps: nothing was applied or kept."""


class ApplyOutcome(BaseModel):
    """The plan file's verdict and, when it was clean, what applying it did."""

    model_config = ConfigDict(frozen=True)

    verdict: PlanFileCheck
    applied: AppliedYear | None = None
    folder: str | None = None
    principals_from: str | None = None  # the principal exchange applied: its file, or None


class RoundTripError(RuntimeError):
    """The written roster did not read back to the same records (a bug, never data)."""


@dataclass(frozen=True, slots=True)
class AppliedRoster:
    """Applying a plan held in memory: the verdict and counts, and when it was clean next
    year's roster as read back from the written files, with those files' checksum."""

    outcome: ApplyOutcome
    roster: Dataset | None = None
    checksum: str = ""


def apply_plan_file(
    dataset: Dataset,
    plan_path: Path,
    policy: Policy,
    out: Path,
    *,
    locks: Locks | None = None,
    year: int | None = None,
) -> ApplyOutcome:
    """Next year's roster from ``dataset`` and the adopted plan, written to ``out``."""
    return _apply(dataset, plan_path, policy, out, locks=locks, year=year)[0]


def apply_plan(
    dataset: Dataset,
    plan: Plan,
    policy: Policy,
    *,
    locks: Locks | None = None,
    progress: ApplyProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> AppliedRoster:
    """The service's equivalent of ``rotation apply``: ``plan`` (a stored plan) is written as
    the plan.csv an officer would download and applied exactly as the CLI applies that file
    (checked first, nothing applied when it breaks a rule), in a scratch folder.

    ``progress`` hears each step as it starts; ``should_stop`` is asked before each step
    after the first and, when it answers True, ``ApplyStopped`` is raised."""
    with tempfile.TemporaryDirectory(prefix="apply-") as tmp:
        plan_path = Path(tmp) / "plan.csv"
        write_plan_csv(plan, plan_path)
        out = Path(tmp) / "next"
        outcome, roster = _apply(
            dataset,
            plan_path,
            policy,
            out,
            locks=locks,
            year=plan.year,
            progress=progress,
            should_stop=should_stop,
            stored=plan.principals,
            stored_shadowing=plan.shadowing,
        )
        if roster is None:
            return AppliedRoster(outcome=outcome)
        digest = hashlib.sha256()
        for file in sorted(out.iterdir()):
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
        return AppliedRoster(outcome=outcome, roster=roster, checksum=digest.hexdigest())


def _apply(
    dataset: Dataset,
    plan_path: Path,
    policy: Policy,
    out: Path,
    *,
    locks: Locks | None,
    year: int | None,
    stored: PrincipalExchange | None = None,
    stored_shadowing: tuple[ShadowingPlacement, ...] | None = None,
    progress: ApplyProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> tuple[ApplyOutcome, Dataset | None]:
    def step(phase: ApplyPhase) -> None:
        if phase is not ApplyPhase.CHECK and should_stop is not None and should_stop():
            zh, _, en = phase.words.partition(" / ")
            raise ApplyStopped(f"已在“{zh}”之前停止 / stopped before {en}")
        if progress is not None:
            progress(phase)

    step(ApplyPhase.CHECK)
    checked = read_and_check_plan_file(dataset, plan_path, policy, locks, year)
    verdict, read = checked.verdict, checked.plan
    if not verdict.ok:
        return ApplyOutcome(verdict=verdict), None
    step(ApplyPhase.BUILD)
    moves = list(read.assignments)
    source, leaders = "方案记录 / stored plan", stored
    if leaders is None and read.principals is not None:
        # checked with the plan file above, where its findings name the file's rows
        beside = next(f.file for f in verdict.forms if f.form == PRINCIPALS.key and f.file)
        source, leaders = str(plan_path.parent / beside), read.principals
    elif leaders is not None:
        leaders, findings = _checked_leaders(dataset, moves, leaders, verdict.year, policy, locks)
        if findings:
            verdict = verdict.model_copy(update={"findings": [*verdict.findings, *findings]})
            return ApplyOutcome(verdict=verdict), None
    shadowing = stored_shadowing if stored_shadowing is not None else read.shadowing
    roster, applied = apply_moves(dataset, moves, verdict.year, policy, leaders, shadowing)
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        write_dataset(roster, scratch)
        step(ApplyPhase.READ_BACK)
        back = read_dataset(scratch)
        same = (back.schools, back.teachers) == (roster.schools, roster.teachers) and (
            not roster.needs_declared or back.needs == roster.needs
        )
        if not same:
            raise RoundTripError(
                "写出的名单读回后不一致 / the written roster does not read back the same"
            )
        if out.exists():
            shutil.rmtree(out)
        scratch.rename(out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return ApplyOutcome(
        verdict=verdict,
        applied=applied,
        folder=str(out),
        principals_from=source if leaders is not None else None,
    ), back


def _checked_leaders(
    dataset: Dataset,
    moves: list[Assignment],
    leaders: PrincipalExchange,
    year: int,
    policy: Policy,
    locks: Locks | None,
) -> tuple[PrincipalExchange, list[PlanFinding]]:
    """The principal exchange with its figures recounted from the roster, and every
    violation of the principals' rules as a finding on principal_exchanges.csv."""
    leaving = leaders_moved_by_teacher_plan(dataset, [a.teacher_id for a in moves], policy)
    leaders = recounted(leaders, dataset, year, policy, leaving)
    plan = Plan(year=year, assignments=tuple(moves), principals=leaders)
    report = check_principals(dataset, plan, policy, locks)
    return leaders, [
        PlanFinding(
            rule=v.rule.value,
            rule_zh=v.rule.label_zh,
            subject=v.subject,
            message=f"{PRINCIPAL_FILE}：{v.message}",
            message_en=f"{PRINCIPAL_FILE}: {v.rule.label_en}",
        )
        for v in report.violations
    ]
