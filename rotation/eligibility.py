"""Who may be rotated in plan year Y (符合交流条件), and in words why not."""

from __future__ import annotations

from dataclasses import dataclass

from rotation.models import Dataset, Teacher
from rotation.policy import Policy
from rotation.retirement import teacher_retirement, within_window
from rotation.roles import school_role


@dataclass(frozen=True, slots=True)
class Eligibility:
    teacher_id: str
    eligible: bool
    reasons: tuple[str, ...]  # why not, in Chinese; empty when eligible
    school_sends: bool = True  # whether the teacher's school is a sender

    @property
    def meets_conditions(self) -> bool:
        """Tenure, retirement, exemption and cooldown met, whatever the school's role
        (the 2017 evaluation item's 符合交流条件, counted over all compulsory schools)."""
        return len(self.reasons) == (0 if self.school_sends else 1)

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def ineligibility_reasons(
    teacher: Teacher, *, school_sends: bool, year: int, policy: Policy
) -> list[str]:
    """Every rule the teacher fails, in the words an HR officer uses (empty = eligible)."""
    reasons: list[str] = []
    if not school_sends:
        reasons.append("所在学校不是派出学校")
    tenure = year - teacher.school_start_year
    if tenure < policy.min_tenure_years:
        reasons.append(f"在本校任教未满{policy.min_tenure_years}年（{max(tenure, 0)}年）")
    retires = teacher_retirement(teacher, policy)
    if within_window(retires, year, policy.retirement_exempt_years):
        reasons.append(
            f"距退休不足{policy.retirement_exempt_years}年（{retires.year}年{retires.month}月退休）"
        )
    if teacher.exempt.strip():
        reasons.append(f"已申请免交流：{teacher.exempt.strip()}")
    if teacher.position.leads and not policy.principals_in_teacher_quota:
        reasons.append(f"{teacher.position.label_zh}按校长交流规则另行安排，不计入教师交流比例")
    last = teacher.last_exchange_end
    if teacher.on_exchange_in(year):
        end = f"，{teacher.exchange_end_year}学年期满" if teacher.exchange_end_year else ""
        reasons.append(f"正在交流期内（在{teacher.exchange_school_id}{end}）")
    elif last is not None and year - last < policy.exchange_cooldown_years:
        reasons.append(f"上次交流结束未满{policy.exchange_cooldown_years}年（{last}年结束）")
    return reasons


def eligibility(teacher: Teacher, dataset: Dataset, year: int, policy: Policy) -> Eligibility:
    sends = school_role(dataset.school[teacher.school_id], policy.urban_areas).sends
    reasons = ineligibility_reasons(teacher, school_sends=sends, year=year, policy=policy)
    return Eligibility(teacher.teacher_id, not reasons, tuple(reasons), sends)


def eligibility_table(dataset: Dataset, year: int, policy: Policy) -> dict[str, Eligibility]:
    sends = {s.school_id: school_role(s, policy.urban_areas).sends for s in dataset.schools}
    out: dict[str, Eligibility] = {}
    for t in dataset.teachers:
        reasons = ineligibility_reasons(
            t, school_sends=sends[t.school_id], year=year, policy=policy
        )
        out[t.teacher_id] = Eligibility(
            t.teacher_id, not reasons, tuple(reasons), sends[t.school_id]
        )
    return out


def eligible_teachers(dataset: Dataset, year: int, policy: Policy) -> list[Teacher]:
    table = eligibility_table(dataset, year, policy)
    return [t for t in dataset.teachers if table[t.teacher_id].eligible]
