"""Teacher posts (编制) from the national staffing norms, and each school's surplus and shortage.

The norms (every number a field of ``StaffingNorms``):

- 中央编办 教育部 财政部《关于统一城乡中小学教职工编制标准的通知》(中央编办发〔2014〕72号):
  students per post 高中 12.5, 初中 13.5, 小学 19, the same in town and country; village
  primary schools and teaching points (村小学、教学点) are staffed by the student–teacher
  ratio combined with a class–teacher ratio (生师比与班师比相结合).
- 国务院办公厅《关于全面加强乡村小规模学校和乡镇寄宿制学校建设的指导意见》
  (国办发〔2018〕27号): a 乡村小规模学校 is a rural school with fewer than 100 students.
  Such a school (and any rural school with ``students < small_school_max_students``) gets
  at least ``classes × class_teacher_ratio`` posts.
- 教育部《幼儿园教职工配备标准（暂行）》(教师〔2013〕1号): a full-day kindergarten class
  has two full-time teachers (两教一保); we use 2 posts per class, and ``students /
  kindergarten_children_per_teacher`` (15, i.e. a 30-child class with two teachers) when
  the class count is missing.
- 特殊教育学校: the provinces' norms sit near one post per three students
  (``special_students_per_post`` = 3).

A 九年一贯制 / 十二年一贯制 school's enrolment is split between its sections in proportion
to their grade years (primary 6, junior 3, senior 3), assuming even cohorts. Posts are
rounded up (a fraction of a post is a post).

Mental-health posts (心理健康教育教师岗位) are not in the curriculum hours, but schools hold them:
教育部《中小学心理健康教育指导纲要（2012年修订）》(教基一〔2012〕15号) asks every school for at
least one full- or part-time mental-health teacher (每所学校至少配备一名专职或兼职心理健康教育教师),
and 教育部等十七部门《全面加强和改进新时代学生心理健康工作专项行动计划（2023—2025年）》
(教体艺〔2023〕1号) repeats "每所中小学至少配备1名专（兼）职心理健康教育教师". A part-time
(兼职) teacher holds another subject's post, so only full-time posts are counted here, by a
county-set rule (``StaffingNorms.mental_health_*``; the national texts give no number): a section
(学段) of ``mental_health_stages`` with at least ``mental_health_min_students`` students
(default 500) gets ``ceil(students / mental_health_students_per_post)`` full-time posts
(default one per 1,000 students, so 500–1,000 students → 1, 1,001–2,000 → 2). These posts are
taken from the section's posts before the rest is shared by the curriculum hours, so a section's
total still follows the ratios.

The other per-subject posts divide a section's posts in proportion to its weekly lesson periods per
subject (averaged over the section's grades), by the largest-remainder method, so that the
subjects add up to the section. The default periods follow 教育部《义务教育课程方案（2022年版）》
and《普通高中课程方案（2017年版2020年修订）》; a county may override them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from rotation.enums import Area, Stage, Subject
from rotation.models import ApprovedPost, Dataset, Need, School
from rotation.roles import school_role

_EPS = 1e-9

DEFAULT_PERIODS: dict[Stage, dict[Subject, float]] = {
    # weekly periods averaged over grades 1–6 (2022 compulsory-education plan)
    Stage.PRIMARY: {
        Subject.CHINESE: 7.0,
        Subject.MATH: 4.5,
        Subject.ENGLISH: 1.5,
        Subject.POLITICS: 2.0,
        Subject.SCIENCE: 1.5,
        Subject.PE: 4.0,
        Subject.MUSIC: 2.0,
        Subject.ART: 2.0,
        Subject.IT: 0.5,
    },
    # weekly periods averaged over grades 7–9
    Stage.JUNIOR: {
        Subject.CHINESE: 5.0,
        Subject.MATH: 5.0,
        Subject.ENGLISH: 4.0,
        Subject.PHYSICS: 2.0,
        Subject.CHEMISTRY: 1.0,
        Subject.BIOLOGY: 1.5,
        Subject.POLITICS: 2.0,
        Subject.HISTORY: 2.0,
        Subject.GEOGRAPHY: 1.5,
        Subject.PE: 3.0,
        Subject.MUSIC: 1.0,
        Subject.ART: 1.0,
        Subject.IT: 1.0,
    },
    # weekly periods averaged over grades 10–12 (2017/2020 senior-secondary plan)
    Stage.SENIOR: {
        Subject.CHINESE: 4.0,
        Subject.MATH: 4.0,
        Subject.ENGLISH: 4.0,
        Subject.PHYSICS: 2.5,
        Subject.CHEMISTRY: 2.0,
        Subject.BIOLOGY: 2.0,
        Subject.POLITICS: 2.0,
        Subject.HISTORY: 2.0,
        Subject.GEOGRAPHY: 2.0,
        Subject.PE: 2.0,
        Subject.MUSIC: 0.5,
        Subject.ART: 0.5,
        Subject.IT: 1.0,
    },
    Stage.KINDERGARTEN: {Subject.PRESCHOOL: 1.0},
    Stage.SPECIAL: {Subject.SPECIAL_ED: 1.0},
}


class StaffingNorms(BaseModel):
    """The staffing norms (编制标准); see the module docstring for each number's source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    students_per_post: dict[Stage, float] = Field(
        default_factory=lambda: {
            Stage.SENIOR: 12.5,
            Stage.JUNIOR: 13.5,
            Stage.PRIMARY: 19.0,
            Stage.SPECIAL: 3.0,
        },
        description="生师比 (中央编办发〔2014〕72号) / students per post",
    )
    kindergarten_teachers_per_class: float = Field(
        2.0, gt=0, description="幼儿园每班专任教师 (教师〔2013〕1号，两教一保) / teachers per class"
    )
    kindergarten_children_per_teacher: float = Field(
        15.0, gt=0, description="幼儿园无班数时每名教师对应幼儿数 / children per teacher"
    )
    small_school_max_students: int = Field(
        100,
        ge=0,
        description="乡村小规模学校人数上限 (国办发〔2018〕27号) / below this a rural school is small",
    )
    class_teacher_ratio: dict[Stage, float] = Field(
        default_factory=lambda: {Stage.PRIMARY: 1.7, Stage.JUNIOR: 2.8},
        description="乡村小规模学校、教学点班师比 / posts per class at small rural schools",
    )
    stage_years: dict[Stage, int] = Field(
        default_factory=lambda: {Stage.PRIMARY: 6, Stage.JUNIOR: 3, Stage.SENIOR: 3},
        description="一贯制学校按学段年级数拆分学生 / grade years, to split a multi-section school",
    )
    periods: dict[Stage, dict[Subject, float]] = Field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_PERIODS.items()},
        description="各学段各学科周课时 (2022 义务教育课程方案) / weekly periods per subject",
    )
    mental_health_stages: tuple[Stage, ...] = Field(
        (Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR),
        description="配专职心理健康教师的学段 (教基一〔2012〕15号) / sections with mental-health posts",
    )
    mental_health_min_students: int = Field(
        500,
        ge=0,
        description="学段学生数达到此数配专职心理健康教师（县定）/ students for a full-time post",
    )
    mental_health_students_per_post: float = Field(
        1000.0,
        gt=0,
        description="每多少名学生配1名专职心理健康教师（县定）/ students per mental-health post",
    )


class SubjectStaffing(BaseModel):
    """One school section's subject: posts, holders, surplus, shortage."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    stage: Stage
    subject: Subject
    posts: int
    holders: int

    @property
    def surplus(self) -> int:
        return max(self.holders - self.posts, 0)

    @property
    def shortage(self) -> int:
        return max(self.posts - self.holders, 0)


class SectionStaffing(BaseModel):
    """One section (学段) of a school: its share of students and its posts, explained."""

    model_config = ConfigDict(frozen=True)

    stage: Stage
    students: float
    classes: float
    posts: int
    explanation: str


class SchoolStaffing(BaseModel):
    """A school's posts from the norms and how its teachers fill them."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    sections: tuple[SectionStaffing, ...]
    subjects: tuple[SubjectStaffing, ...]

    @property
    def posts(self) -> int:
        return sum(s.posts for s in self.sections)

    @property
    def holders(self) -> int:
        return sum(s.holders for s in self.subjects)

    def post_count(self, stage: Stage, subject: Subject) -> int:
        for s in self.subjects:
            if s.stage is stage and s.subject is subject:
                return s.posts
        return 0


def _ceil(x: float) -> int:
    return math.ceil(x - _EPS)


def is_small_rural(school: School, norms: StaffingNorms) -> bool:
    """A 乡村小规模学校 or 教学点: rural and under the student limit."""
    return school.area is Area.RURAL and school.students < norms.small_school_max_students


def section_shares(school: School, norms: StaffingNorms) -> dict[Stage, float]:
    """Each offered section's share of the school's students (and classes), by grade years."""
    stages = sorted(school.stage.offers, key=lambda st: list(Stage).index(st))
    weights = {st: float(norms.stage_years.get(st, 1)) for st in stages}
    total = sum(weights.values())
    return {st: weights[st] / total for st in stages}


def section_posts(
    school: School, stage: Stage, students: float, classes: float, norms: StaffingNorms
) -> SectionStaffing:
    """Posts for one section, with the arithmetic written out (Chinese)."""
    label = stage.label_zh
    if stage is Stage.KINDERGARTEN:
        if classes > 0:
            raw = classes * norms.kindergarten_teachers_per_class
            text = f"{label}：{classes:g} 班 × {norms.kindergarten_teachers_per_class:g} = {raw:g}"
        else:
            raw = students / norms.kindergarten_children_per_teacher
            text = (
                f"{label}：{students:g} 名幼儿 ÷ {norms.kindergarten_children_per_teacher:g}"
                f" = {raw:.2f}"
            )
        posts = _ceil(raw)
        return SectionStaffing(
            stage=stage,
            students=students,
            classes=classes,
            posts=posts,
            explanation=f"{text} → {posts}",
        )
    ratio = norms.students_per_post.get(stage)
    ratio_posts = _ceil(students / ratio) if ratio else 0
    if ratio:
        text = f"{label}：{students:g} 名学生 ÷ {ratio:g} = {students / ratio:.2f} → {ratio_posts}"
    else:
        text = f"{label}：无生师比标准 / no ratio → 0"
    posts = ratio_posts
    class_ratio = norms.class_teacher_ratio.get(stage)
    if class_ratio and is_small_rural(school, norms) and classes > 0:
        class_posts = _ceil(classes * class_ratio)
        text += (
            f"；乡村小规模学校/教学点按班师比 {classes:g} 班 × {class_ratio:g} = "
            f"{classes * class_ratio:.2f} → {class_posts}"
        )
        if class_posts > posts:
            posts = class_posts
        text += f"；取大者 {posts}"
    return SectionStaffing(
        stage=stage, students=students, classes=classes, posts=posts, explanation=text
    )


def apportion(total: int, weights: Mapping[Subject, float]) -> dict[Subject, int]:
    """Split ``total`` whole posts in proportion to ``weights`` by the largest remainder.

    Ties in the remainder go to the larger weight, then to the subject's canonical order.
    """
    order = list(Subject)
    positive = {k: w for k, w in weights.items() if w > 0}
    out = dict.fromkeys(weights, 0)
    wsum = sum(positive.values())
    if total <= 0 or wsum <= 0:
        return out
    quotas = {k: total * w / wsum for k, w in positive.items()}
    for k, q in quotas.items():
        out[k] = math.floor(q + _EPS)
    left = total - sum(out.values())
    ranked = sorted(positive, key=lambda k: (-(quotas[k] - out[k]), -positive[k], order.index(k)))
    for k in ranked[:left]:
        out[k] += 1
    return out


def mental_health_posts(stage: Stage, students: float, posts: int, norms: StaffingNorms) -> int:
    """Full-time mental-health posts of one section, taken from its ``posts`` (module docstring)."""
    if stage not in norms.mental_health_stages or posts <= 0:
        return 0
    if students < norms.mental_health_min_students or students <= 0:
        return 0
    return min(_ceil(students / norms.mental_health_students_per_post), posts)


def subject_posts(section: SectionStaffing, norms: StaffingNorms) -> dict[Subject, int]:
    """A section's posts per subject: mental-health posts first, the rest by curriculum hours."""
    mental = mental_health_posts(section.stage, section.students, section.posts, norms)
    periods = dict(norms.periods.get(section.stage, {}))
    if mental and Subject.MENTAL_HEALTH in periods:
        periods.pop(Subject.MENTAL_HEALTH)  # a county that set hours for it: the rule wins
    out = apportion(section.posts - mental, periods)
    if mental:
        out[Subject.MENTAL_HEALTH] = mental
    return out


def _with_mental_health_note(section: SectionStaffing, norms: StaffingNorms) -> SectionStaffing:
    mental = mental_health_posts(section.stage, section.students, section.posts, norms)
    if not mental:
        return section
    note = (
        f"；其中专职心理健康教师岗位 {mental} 个（学生 {section.students:g} ≥ "
        f"{norms.mental_health_min_students}，每 {norms.mental_health_students_per_post:g} 人 1 个）"
    )
    return section.model_copy(update={"explanation": section.explanation + note})


def school_staffing(school: School, dataset: Dataset, norms: StaffingNorms) -> SchoolStaffing:
    """Posts per section and subject for one school, and the teachers holding them."""
    shares = section_shares(school, norms)
    sections = [
        _with_mental_health_note(
            section_posts(school, st, school.students * sh, school.classes * sh, norms), norms
        )
        for st, sh in shares.items()
    ]
    holders = Counter((t.stage, t.subject) for t in dataset.teachers_by_school[school.school_id])
    rows: dict[tuple[Stage, Subject], int] = {}
    for sec in sections:
        for subject, n in subject_posts(sec, norms).items():
            rows[(sec.stage, subject)] = n
    for key in holders:
        rows.setdefault(key, 0)
    stage_order = list(Stage)
    subject_order = list(Subject)
    subjects = tuple(
        SubjectStaffing(
            school_id=school.school_id,
            stage=st,
            subject=su,
            posts=rows[(st, su)],
            holders=holders.get((st, su), 0),
        )
        for st, su in sorted(
            rows, key=lambda k: (stage_order.index(k[0]), subject_order.index(k[1]))
        )
    )
    return SchoolStaffing(
        school_id=school.school_id, name=school.name, sections=tuple(sections), subjects=subjects
    )


def staffing_table(dataset: Dataset, norms: StaffingNorms | None = None) -> list[SchoolStaffing]:
    """Every school's posts from the norms, in school_id order."""
    norms = norms or StaffingNorms()
    return [school_staffing(s, dataset, norms) for s in dataset.schools]


def derived_needs(dataset: Dataset, norms: StaffingNorms | None = None) -> list[Need]:
    """The shortages at receiving schools as rotation needs (for datasets without needs.csv).

    A need is one (school, stage, subject) whose posts from the norms exceed the teachers
    holding them, at a school whose role receives (rotation.roles); its count is the shortage.
    """
    needs: list[Need] = []
    for row in staffing_table(dataset, norms):
        if not school_role(dataset.school[row.school_id]).receives:
            continue
        needs.extend(
            Need(school_id=row.school_id, stage=s.stage, subject=s.subject, count=s.shortage)
            for s in row.subjects
            if s.shortage > 0
        )
    return needs


def staffing_from_posts(dataset: Dataset, posts: Sequence[ApprovedPost]) -> list[SchoolStaffing]:
    """Every school's posts as the bureau approved them (核定岗位), in school_id order.

    The approved posts beat any derivation (domain-facts, "县管校聘 practice"): a section and
    subject the file does not list has no post.
    """
    declared: dict[str, dict[tuple[Stage, Subject], int]] = {
        s.school_id: {} for s in dataset.schools
    }
    for p in posts:
        declared[p.school_id][(p.stage, p.subject)] = p.posts
    stage_order, subject_order = list(Stage), list(Subject)
    out: list[SchoolStaffing] = []
    for school in dataset.schools:
        rows = dict(declared[school.school_id])
        holders = Counter(
            (t.stage, t.subject) for t in dataset.teachers_by_school[school.school_id]
        )
        for key in holders:
            rows.setdefault(key, 0)
        keys = sorted(rows, key=lambda k: (stage_order.index(k[0]), subject_order.index(k[1])))
        sections = tuple(
            SectionStaffing(
                stage=st,
                students=0.0,
                classes=0.0,
                posts=sum(n for (s, _), n in rows.items() if s is st),
                explanation="核定岗位（县教育局核定）/ approved posts",
            )
            for st in sorted({k[0] for k in keys}, key=stage_order.index)
        )
        subjects = tuple(
            SubjectStaffing(
                school_id=school.school_id,
                stage=st,
                subject=su,
                posts=rows[(st, su)],
                holders=holders.get((st, su), 0),
            )  # fmt: skip
            for st, su in keys
        )
        out.append(
            SchoolStaffing(
                school_id=school.school_id, name=school.name, sections=sections, subjects=subjects
            )
        )
    return out


def allocation_staffing(
    dataset: Dataset,
    norms: StaffingNorms | None = None,
    posts: Sequence[ApprovedPost] | None = None,
) -> list[SchoolStaffing]:
    """The posts round 1 keeps teachers against: the approved ones when given, else derived."""
    return (
        staffing_from_posts(dataset, posts) if posts is not None else staffing_table(dataset, norms)
    )


def derived_needs_note(dataset: Dataset) -> str:
    """The line every plan of a roster without a needs table carries."""
    total = sum(n.count for n in dataset.needs)
    return (
        f"未提供岗位需求表，需求按编制标准推算（{total} 个）/ "
        f"no needs table: {total} needs derived from the staffing norms"
    )
