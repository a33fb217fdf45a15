"""Posts from the staffing norms, checked on hand-computed examples."""

from __future__ import annotations

from datetime import date

from rotation.enums import Area, Gender, Priority, SchoolStage, Stage, Subject
from rotation.models import Dataset, School, Teacher
from rotation.staffing import StaffingNorms, apportion, derived_needs, staffing_table


def school(sid: str, stage: SchoolStage, students: int, classes: int, **kw: object) -> School:
    kw.setdefault("area", Area.URBAN)
    return School(
        school_id=sid, name=f"学校{sid}", stage=stage, students=students, classes=classes, **kw
    )


def teacher(tid: str, sid: str, stage: Stage, subject: Subject) -> Teacher:
    return Teacher(
        teacher_id=tid,
        name=f"教师{tid}",
        gender=Gender.FEMALE,
        birth_date=date(1985, 1, 1),
        school_id=sid,
        stage=stage,
        subject=subject,
        school_start_year=2010,
    )


def posts_of(dataset: Dataset, norms: StaffingNorms | None = None) -> dict[str, int]:
    return {row.school_id: row.posts for row in staffing_table(dataset, norms)}


def test_ratio_posts_by_stage_hand_computed() -> None:
    ds = Dataset.build(
        [
            school("P", SchoolStage.PRIMARY, 380, 12),  # 380 / 19 = 20
            school("J", SchoolStage.JUNIOR, 271, 6),  # 271 / 13.5 = 20.07 → 21
            school("S", SchoolStage.SENIOR, 250, 5),  # 250 / 12.5 = 20
            # nine-year: 450 split 6:3 → primary 300 / 19 = 15.79 → 16, junior 150 / 13.5 = 11.1 → 12
            school("N", SchoolStage.NINE_YEAR, 450, 15),
            school("K", SchoolStage.KINDERGARTEN, 180, 6),  # 6 classes × 2 = 12
        ],
        [],
    )
    assert posts_of(ds) == {"J": 21, "K": 12, "N": 28, "P": 20, "S": 20}
    nine = next(r for r in staffing_table(ds) if r.school_id == "N")
    assert [(s.stage, s.posts) for s in nine.sections] == [(Stage.PRIMARY, 16), (Stage.JUNIOR, 12)]
    assert "19" in nine.sections[0].explanation


def test_small_teaching_point_gets_the_class_teacher_floor() -> None:
    ds = Dataset.build(
        [
            # a rural teaching point: 30 pupils in 3 classes; 30 / 19 → 2, but 3 × 1.7 = 5.1 → 6
            school("TP", SchoolStage.PRIMARY, 30, 3, area=Area.RURAL),
            # the same size in a town is not a 乡村小规模学校: ratio only
            school("TW", SchoolStage.PRIMARY, 30, 3, area=Area.TOWN),
            # a rural school of 100 or more pupils is not small either: 190 / 19 = 10
            school("RB", SchoolStage.PRIMARY, 190, 12, area=Area.RURAL),
        ],
        [],
    )
    assert posts_of(ds) == {"RB": 10, "TP": 6, "TW": 2}
    tp = next(r for r in staffing_table(ds) if r.school_id == "TP")
    assert "班师比" in tp.sections[0].explanation and "取大者 6" in tp.sections[0].explanation


def test_teaching_point_subjects_follow_curriculum_hours() -> None:
    # 6 posts over primary periods (total 25): quotas chinese 1.68, pe 0.96, math 1.08,
    # politics / music / art 0.48 each; largest remainders give pe, chinese, then the
    # 0.48 ties by weight and canonical order: politics, music.
    ds = Dataset.build([school("TP", SchoolStage.PRIMARY, 30, 3, area=Area.RURAL)], [])
    row = staffing_table(ds)[0]
    got = {s.subject: s.posts for s in row.subjects if s.posts}
    assert got == {
        Subject.CHINESE: 2,
        Subject.MATH: 1,
        Subject.PE: 1,
        Subject.POLITICS: 1,
        Subject.MUSIC: 1,
    }


def test_apportion_sums_to_total() -> None:
    weights = {Subject.CHINESE: 3.0, Subject.MATH: 2.0, Subject.ENGLISH: 1.0}
    for total in range(0, 40):
        got = apportion(total, weights)
        assert sum(got.values()) == total
        assert all(abs(got[k] - total * w / 6) < 1 for k, w in weights.items())


def test_surplus_and_shortage_per_subject() -> None:
    norms = StaffingNorms(periods={Stage.PRIMARY: {Subject.MATH: 1.0, Subject.MUSIC: 1.0}})
    # 76 / 19 = 4 posts: math 2, music 2
    ds = Dataset.build(
        [school("A", SchoolStage.PRIMARY, 76, 4)],
        [teacher(f"T{i}", "A", Stage.PRIMARY, Subject.MATH) for i in range(5)]
        + [teacher("E1", "A", Stage.PRIMARY, Subject.ENGLISH)],
    )
    rows = {s.subject: s for s in staffing_table(ds, norms)[0].subjects}
    assert (rows[Subject.MATH].posts, rows[Subject.MATH].holders) == (2, 5)
    assert (rows[Subject.MATH].surplus, rows[Subject.MATH].shortage) == (3, 0)
    assert (rows[Subject.MUSIC].surplus, rows[Subject.MUSIC].shortage) == (0, 2)
    # a subject without posts in the norms still shows its holders as surplus
    assert (rows[Subject.ENGLISH].posts, rows[Subject.ENGLISH].surplus) == (0, 1)


def test_derived_needs_are_shortages_at_receiving_schools_only() -> None:
    norms = StaffingNorms(periods={Stage.PRIMARY: {Subject.MATH: 1.0, Subject.MUSIC: 1.0}})
    ds = Dataset.build(
        [
            school("U", SchoolStage.PRIMARY, 76, 0),  # urban sender: shortage ignored
            school("R", SchoolStage.PRIMARY, 76, 0, area=Area.RURAL),
            school("C", SchoolStage.PRIMARY, 38, 0, priority=Priority.CENTRAL_PRIMARY),
        ],
        [teacher("R1", "R", Stage.PRIMARY, Subject.MATH)],
        needs_declared=False,
    )
    needs = {(n.school_id, n.subject): n.count for n in derived_needs(ds, norms)}
    assert needs == {
        ("C", Subject.MATH): 1,
        ("C", Subject.MUSIC): 1,
        ("R", Subject.MATH): 1,
        ("R", Subject.MUSIC): 2,
    }
    planned = ds.with_needs(derived_needs(ds, norms))
    assert not planned.needs_declared and sum(n.count for n in planned.needs) == 5


def test_sample_county_subject_posts_add_up() -> None:
    from sample_data import generate

    ds = generate("small", seed=2)
    for row in staffing_table(ds):
        for sec in row.sections:
            assert sec.posts == sum(s.posts for s in row.subjects if s.stage is sec.stage)
        assert row.holders == len(ds.teachers_by_school[row.school_id])


def test_mental_health_posts_by_the_documented_rule() -> None:
    ds = Dataset.build(
        [
            school("P", SchoolStage.PRIMARY, 760, 0),  # 760 / 19 = 40 posts; ≥ 500 → ⌈0.76⌉ = 1
            school("Q", SchoolStage.PRIMARY, 400, 0),  # 400 / 19 → 22 posts; < 500 → none
            school("J", SchoolStage.JUNIOR, 1350, 0),  # 1350 / 13.5 = 100 posts; ⌈1.35⌉ = 2
            # nine-year 900 split 6:3: primary 600 (≥ 500 → 1), junior 300 (< 500 → none)
            school("N", SchoolStage.NINE_YEAR, 900, 0),
            school("K", SchoolStage.KINDERGARTEN, 600, 0),  # kindergartens: not in the rule
        ],
        [],
    )
    table = {row.school_id: row for row in staffing_table(ds)}

    def mh(sid: str, stage: Stage) -> int:
        return table[sid].post_count(stage, Subject.MENTAL_HEALTH)

    assert mh("P", Stage.PRIMARY) == 1
    assert mh("Q", Stage.PRIMARY) == 0
    assert mh("J", Stage.JUNIOR) == 2
    assert (mh("N", Stage.PRIMARY), mh("N", Stage.JUNIOR)) == (1, 0)
    assert mh("K", Stage.KINDERGARTEN) == 0
    # taken from the section's posts: the totals still follow the ratios
    assert {sid: row.posts for sid, row in table.items()} == {
        "J": 100,
        "K": 40,  # no classes: 600 children ÷ 15
        "N": 32 + 23,
        "P": 40,
        "Q": 22,
    }
    for row in table.values():
        for sec in row.sections:
            assert sec.posts == sum(s.posts for s in row.subjects if s.stage is sec.stage)
    assert "心理健康" in table["P"].sections[0].explanation
    assert "心理健康" not in table["Q"].sections[0].explanation
    # the other 39 of P's posts follow the curriculum hours (7 / 25 of them chinese: 10.92 → 11)
    assert table["P"].post_count(Stage.PRIMARY, Subject.CHINESE) == 11
    # a county may lower the threshold: Q then gets its post too
    lower = StaffingNorms(mental_health_min_students=300)
    q = next(r for r in staffing_table(ds, lower) if r.school_id == "Q")
    assert q.post_count(Stage.PRIMARY, Subject.MENTAL_HEALTH) == 1 and q.posts == 22
