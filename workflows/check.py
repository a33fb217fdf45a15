"""Check a plan: the independent checker's verdict, whoever made the plan — the solver,
or an officer who edited the exported plan by hand before the bureau's meeting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rotation.check_report import CheckReport, Violation
from rotation.checker import ITINERANT_CHECKS, check_itinerant, check_plan
from rotation.compliance import COUNTY_ROW_ID, compliance_rows
from rotation.exchange_forms import term_years_of
from rotation.io.itinerant_files import weekly_hours_warnings
from rotation.io.plan_forms import (
    ITINERANT,
    PRINCIPALS,
    SHADOWING,
    FormRead,
    PlanForms,
    read_plan_forms,
)
from rotation.io.plan_reading import PlanRow, read_plan_rows
from rotation.io.principal_files import exchange_of, school_lookup
from rotation.itinerant import ItinerantSchedule
from rotation.leader_moves import leaders_moved_by_teacher_plan
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.plan import Assignment, ComplianceRow, Plan
from rotation.plan_results import Shortfall, ShortfallCause
from rotation.policy import Policy
from rotation.principal_checks import PRINCIPAL_CHECKS
from rotation.principals import PrincipalExchange, recounted
from rotation.quotas import senior_tilt
from rotation.rule_names import RuleName

# the checker's rule names, as an officer reads them
RULE_ZH: dict[str, str] = {
    "roster": "与名单一致",
    "term": "交流期限",
    "one_school_per_teacher": "一人只去一所学校",
    "eligibility": "符合交流条件",
    "destination": "接收学校",
    "distance": "距离上限",
    "need": "对口岗位需求",
    "need_not_overfilled": "岗位需求人数",
    "rotation_maximum": "交流人数上限",
    "compliance": "达标情况",
    "rotation_quota": "交流比例未达标须说明原因",
    "backbone_share": "骨干比例未达标须说明原因",
    "group_leave_limit": "同校同学科交流上限",
    "senior_title_tilt": "高级职称倾斜",
    "support_destination": "支教去往农村或薄弱学校",
    "shadowing_host": "跟岗学习学校",
    "shadowing_cover": "跟岗学习须有补位",
    "principal_due": "任职期满方可交流",
    "principal_destination": "校长交流去向",
    "one_principal_per_school": "每校一名校长",
    "vice_principal_posts": "副校长职数",
    "principal_quota": "校长交流人数",
    "itinerant_home_post": "走教教师本校岗位",
    "itinerant_weekly_hours": "每周走教课时上限",
    "itinerant_schools": "走教学校数上限",
    "itinerant_distance": "走教距离上限",
    "itinerant_hours_not_overcovered": "走教课时不超过需求",
    "itinerant_days": "走教日安排",
    "lock_assign": "锁定：指定交流",
    "lock_stay": "锁定：留任",
    "lock_block_school": "锁定：不接收",
    "plan_file": "方案文件",
}
EDITED_NOTE = "人工调整后的方案"


def check_existing_plan(
    dataset: Dataset, plan: Plan, policy: Policy, locks: Locks | None = None
) -> CheckReport:
    """Every hard rule re-verified from the roster, the policy and the locks alone."""
    return check_plan(dataset, plan, policy, locks)


class PlanFinding(BaseModel):
    """One violation, located in the plan file where it can be."""

    model_config = ConfigDict(frozen=True)

    rows: list[int] = Field(
        default_factory=list, description="the rows (header = row 1) of ``file``"
    )
    file: str = Field(
        "", description="the form file the rows are in (跟岗学习.csv, plan.xlsx[校长交流]); "
        "blank: the plan file",
    )  # fmt: skip
    rule: str
    rule_zh: str
    subject: str
    message: str
    message_en: str = ""

    def line(self, file: str, lang: str = "zh") -> str:
        """The finding as a user reads it; in English the rule's words stand in for a
        checker message that exists in Chinese only."""
        file = self.file or file
        if lang == "en":
            where = f"{file} row {', '.join(map(str, self.rows))}" if self.rows else file
            return f"{where} [{self.rule}] {self.subject}: {self.message_en or _rule_en(self.rule)}"
        where = f"{file} 第{'、'.join(map(str, self.rows))}行" if self.rows else file
        return f"{where} [{self.rule_zh} {self.rule}] {self.subject}：{self.message}"


def _rule_en(rule: str) -> str:
    named = next((r for r in RuleName if r.value == rule), None)
    return f"breaks the rule: {named.label_en}" if named is not None else f"breaks the rule {rule}"


class FormChecked(BaseModel):
    """One form beside the transfer and whether the check found it beside the plan."""

    model_config = ConfigDict(frozen=True)

    form: str  # shadowing, principals, itinerant
    name_zh: str
    name_en: str
    file: str = Field("", description="where it was read; blank: absent, nothing to check")
    rows: int = 0

    @property
    def checked(self) -> bool:
        return bool(self.file)


class PlanFileCheck(BaseModel):
    """The verdict on a plan file, and the compliance recomputed from it."""

    model_config = ConfigDict(frozen=True)

    file: str
    year: int
    moves: int
    findings: list[PlanFinding] = Field(default_factory=list)
    compliance: list[ComplianceRow] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(
        default_factory=list,
        description='what was read but not checked as written ("中文 / English"), not a shortfall',
    )
    checked_rules: list[str] = Field(default_factory=list)
    forms: list[FormChecked] = Field(
        default_factory=list,
        description="the forms beside the transfer: which were found beside the plan and checked",
    )

    @property
    def ok(self) -> bool:
        return not self.findings

    def forms_line(self, lang: str = "zh") -> str:
        """Which forms were checked, and which were absent (nothing to check)."""
        found = [f for f in self.forms if f.checked]
        absent = [f for f in self.forms if not f.checked]
        if lang == "en":
            parts = [f"{f.name_en} {f.file} ({f.rows} rows)" for f in found]
            line = "forms checked: " + ("; ".join(parts) or "none")
            if absent:
                line += "; not beside the plan: " + ", ".join(f.name_en for f in absent)
            return line
        parts = [f"{f.name_zh} {f.file}（{f.rows} 行）" for f in found]
        line = "已校验的交流形式 / forms checked：" + ("；".join(parts) or "无")
        if absent:
            line += "；方案旁未提供（不校验）：" + "、".join(f.name_zh for f in absent)
        return line

    def plan(self, assignments: tuple[Assignment, ...] = ()) -> Plan:
        return Plan(year=self.year, assignments=assignments, compliance=tuple(self.compliance))


def _finding(
    rows: list[int], rule: str, subject: str, message: str, message_en: str = ""
) -> PlanFinding:
    return PlanFinding(
        rows=rows,
        rule=rule,
        rule_zh=RULE_ZH.get(rule, rule),
        subject=subject,
        message=message,
        message_en=message_en,
    )


def _plan_year(rows: list[PlanRow], year: int | None) -> int | None:
    if year is not None:
        return year
    starts = Counter(r.start_year for r in rows if r.start_year is not None)
    return starts.most_common(1)[0][0] if starts else None


def _assignments(
    dataset: Dataset, rows: list[PlanRow], year: int, policy: Policy
) -> tuple[list[Assignment], dict[str, list[int]], list[PlanFinding]]:
    by_name = {s.name: s.school_id for s in dataset.schools}
    moves: list[Assignment] = []
    rows_of: dict[str, list[int]] = {}  # teacher, school or group key → rows
    findings: list[PlanFinding] = []
    for r in rows:
        teacher = dataset.teacher.get(r.teacher_id)
        if teacher is None:
            findings.append(
                _finding(
                    [r.row],
                    "roster",
                    r.teacher_id,
                    "名单中无此教师，请核对教师编号",
                    "no such teacher in the roster: check the teacher id",
                )  # fmt: skip
            )
            continue
        to = r.to_school_id or by_name.get(r.to_school_name, "")
        if r.to_school_id and r.to_school_name and by_name.get(r.to_school_name, to) != to:
            findings.append(
                _finding(
                    [r.row], "plan_file", r.teacher_id,
                    f"交流学校编号 {r.to_school_id} 与交流学校名称 {r.to_school_name} 不一致，请改为同一所学校",
                    f"school id {r.to_school_id} and school name {r.to_school_name} disagree: name one school",
                )
            )  # fmt: skip
            continue
        if to not in dataset.school:
            shown = r.to_school_id or r.to_school_name or "（空）"
            findings.append(
                _finding(
                    [r.row],
                    "roster",
                    r.teacher_id,
                    f"交流学校 {shown} 不存在，请填写名单中的学校编号",
                    f"no school {r.to_school_id or r.to_school_name or '(blank)'}: give a school id of the roster",
                )
            )
            continue
        start = r.start_year if r.start_year is not None else year
        move = Assignment.of(
            teacher, to, start, term_years_of(r.form, policy),
            reasons=r.reasons, distance_km=dataset.distance_km(teacher.school_id, to), form=r.form,
        )  # fmt: skip
        if r.end_year is not None:
            move = move.model_copy(update={"end_year": r.end_year})
        moves.append(move)
        for key in (
            r.teacher_id,
            teacher.school_id,  # a sending school's quota unit
            f"{to}/{teacher.stage.value}/{teacher.subject.value}",  # a need
            f"{teacher.school_id}/{teacher.stage.value}/{teacher.subject.value}",  # a group
        ):
            rows_of.setdefault(key, []).append(r.row)
    return moves, rows_of, findings


def _shortfall_words(r: ComplianceRow) -> str:
    parts = []
    if r.rotated < r.required:
        parts.append(f"应交流{r.required}人，实际{r.rotated}人")
    if r.backbone_rotated < r.backbone_required:
        parts.append(f"骨干教师应交流{r.backbone_required}人，实际{r.backbone_rotated}人")
    return f"{EDITED_NOTE}未达标：" + "；".join(parts or ["请核对"])


def read_and_check_plan_file(
    dataset: Dataset,
    path: Path,
    policy: Policy,
    locks: Locks | None = None,
    year: int | None = None,
    *,
    label: str | None = None,
) -> CheckedPlanFile:
    """``check_plan_file``'s verdict with the plan it read, for a caller that goes on to use
    the plan (apply, notices) without reading the files again."""
    rows = read_plan_rows(path)
    file = label or path.name
    plan_year = _plan_year(rows, year)
    if plan_year is None:
        raise ValueError(
            "方案文件中没有开始年份，请用 --year 指明方案年度 / no start year in the plan: give --year"
        )
    moves, rows_of, findings = _assignments(dataset, rows, plan_year, policy)
    compliance = [
        r if r.met else r.model_copy(update={"shortfall_reason": _shortfall_words(r)})
        for r in compliance_rows(
            dataset, {a.teacher_id: a.to_school_id for a in moves}, plan_year, policy
        )
    ]
    warnings = [f"{r.school_id} {r.name}：{r.shortfall_reason}" for r in compliance if not r.met]
    notes: tuple[str, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    tilt = senior_tilt(dataset, moves, policy)
    if not tilt.met:
        note = f"高级职称倾斜未达目标：{tilt.words()}（{EDITED_NOTE}）"
        notes = (note,)
        cause = ShortfallCause(
            code="senior_tilt_short", zh=note, en=f"{tilt.words(zh=False)} (edited plan)"
        )
        shortfalls = (
            Shortfall(
                rule=RuleName.SENIOR_TITLE_TILT, unit=COUNTY_ROW_ID, name="全县", causes=[cause]
            ),
        )
        warnings.append(note)
    forms = read_plan_forms(path, school_lookup(dataset), label=file)
    plan = Plan(
        year=plan_year, assignments=tuple(moves), compliance=tuple(compliance), notes=notes, shortfalls=shortfalls,
        shadowing=tuple(forms.shadowing.items) if forms.shadowing else (),
        principals=_recounted(dataset, forms, moves, plan_year, policy),
    )  # fmt: skip
    report = check_plan(dataset, plan, policy, locks)
    violations = list(report.violations)
    found = forms.found()
    form_notes: list[str] = list(forms.near_misses)
    checked = [r for r in report.checked_rules if r not in _absent_rules(found)]
    if forms.itinerant:
        schedule = ItinerantSchedule(year=plan_year, visits=tuple(forms.itinerant.items))
        itinerant = check_itinerant(
            dataset, plan_year, policy, plan.moves, schedule, [k for k, _ in forms.itinerant.rows]
        )
        violations.extend(itinerant.violations)
        checked.extend(itinerant.checked_rules)
        form_notes += weekly_hours_warnings(forms.itinerant.label, forms.itinerant.rows)
    findings.extend(_located(v, rows_of, found) for v in violations)
    verdict = PlanFileCheck(
        file=file,
        year=plan_year,
        moves=len(moves),
        findings=sorted(findings, key=lambda f: (f.file, not f.rows, f.rows[:1], f.rule)),
        compliance=compliance,
        warnings=warnings,
        notes=form_notes,
        checked_rules=checked,
        forms=[
            FormChecked(
                form=form.key, name_zh=form.name_zh, name_en=form.name_en,
                file=found[form.key].label if form.key in found else "",
                rows=len(found[form.key].rows) if form.key in found else 0,
            )
            for form in (SHADOWING, PRINCIPALS, ITINERANT)
        ],
    )  # fmt: skip
    return CheckedPlanFile(verdict=verdict, plan=plan)


@dataclass(frozen=True)
class CheckedPlanFile:
    """A plan file's verdict and the plan read from it: the moves, the 跟岗学习 placements
    and the principal exchange beside it (its figures recounted from the roster)."""

    verdict: PlanFileCheck
    plan: Plan


def check_plan_file(
    dataset: Dataset,
    path: Path,
    policy: Policy,
    locks: Locks | None = None,
    year: int | None = None,
    *,
    label: str | None = None,
) -> PlanFileCheck:
    """Every violation of an edited plan file, with its row, rule and words to act on.

    Raises ``rotation.io.DatasetError`` when the file itself cannot be read.
    """
    return read_and_check_plan_file(dataset, path, policy, locks, year, label=label).verdict


def _recounted(
    dataset: Dataset, forms: PlanForms, moves: list[Assignment], year: int, policy: Policy
) -> PrincipalExchange | None:
    """The principal exchange beside the plan, its figures (not in the file) recounted."""
    if forms.principals is None:
        return None
    leaving = leaders_moved_by_teacher_plan(dataset, [a.teacher_id for a in moves], policy)
    return recounted(exchange_of(forms.principals.rows), dataset, year, policy, leaving)


SHADOWING_RULES = (RuleName.SHADOWING_HOST, RuleName.SHADOWING_COVER)
# each form's rules: a violation of one is located in the form's file
FORM_RULES: dict[str, tuple[RuleName, ...]] = {
    SHADOWING.key: SHADOWING_RULES,
    PRINCIPALS.key: tuple(PRINCIPAL_CHECKS),
    ITINERANT.key: tuple(ITINERANT_CHECKS),
}


def _absent_rules(found: dict[str, FormRead[Any]]) -> set[str]:
    """The rules of the forms not beside the plan: nothing of theirs was checked."""
    return {r.value for key, rules in FORM_RULES.items() if key not in found for r in rules}


def _form_rows(v: Violation, read: FormRead[Any]) -> list[int]:
    """The form file's rows a violation concerns: its own row, else the rows of the teacher
    or school it names."""
    if v.row is not None:
        return [read.form.row_of(read, v.row)]
    return read.form.rows_of(read, v.subject)


def _located(
    v: Violation, rows_of: dict[str, list[int]], found: dict[str, FormRead[Any]]
) -> PlanFinding:
    """A violation with the rows it concerns: in the form's file for a form's rule, else in
    the plan file (the teacher's row, or those of the moves into a need, out of a group or
    out of a school)."""
    for key, rules in FORM_RULES.items():
        if v.rule in rules and key in found:
            f = _finding(_form_rows(v, found[key]), v.rule, v.subject, v.message)
            return f.model_copy(update={"file": found[key].label})
    return _finding(sorted(set(rows_of.get(v.subject, []))), v.rule, v.subject, v.message)
