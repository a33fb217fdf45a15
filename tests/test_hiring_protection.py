"""Hiring that protects whom the rules protect, approved posts, and 待岗 within the surplus.

Sources: county 县管校聘 schemes keep teachers near retirement, in pregnancy or nursing, with
serious illness, on assignment and with an approved exemption out of 待岗
(shared/notes/domain-facts.md, "县管校聘 practice"); the approved posts (核定岗位, 中央编办发
〔2014〕72号 plus the bureau's adjustments) beat any derivation; retirement by the 2025
reform (rotation/retirement.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_hiring import MATH_ONLY, YEAR, school, teacher

from rotation.enums import Area, BackboneLevel, Stage, Subject
from rotation.hiring import AllocationRound, HiringPolicy, check_allocation
from rotation.io.errors import DatasetError
from rotation.io.posts_file import read_posts
from rotation.models import ApprovedPost, Dataset
from solver.assign_unplaced import run_allocation


def one_post_school(*extra_teachers):
    """U has one math post (19 pupils) and a strong teacher who would keep it."""
    strong = teacher("strong", "U", backbone=BackboneLevel.PROVINCE)
    return Dataset.build([school("U", Area.URBAN, 19)], [strong, *extra_teachers])


@pytest.mark.parametrize(
    ("why", "kw"),
    [
        ("已批准免交流", {"exempt": "重病"}),
        ("县定保护：哺乳期", {"protected": "哺乳期"}),
        ("距法定退休不足5年", {"birth_date": date(1975, 4, 1)}),  # 56y4m → retires 2031-08
    ],
)
def test_a_protected_teacher_is_kept_and_never_put_on_the_waiting_list(why, kw) -> None:
    d = one_post_school(teacher("p", "U").model_copy(update=kw))
    result = run_allocation(d, YEAR, norms=MATH_ONLY)
    row = result.by_teacher["p"]
    assert row.round is AllocationRound.KEPT and why in row.reason
    assert "不列入待岗" in row.reason
    assert result.by_teacher["strong"].round is AllocationRound.UNPLACED  # no post is left
    assert check_allocation(d, result, norms=MATH_ONLY) == []


def test_without_protection_the_same_teacher_competes_and_loses() -> None:
    d = one_post_school(teacher("p", "U", exempt="重病"))
    policy = HiringPolicy(protect_exempt=False)
    result = run_allocation(d, YEAR, norms=MATH_ONLY, policy=policy)
    assert result.by_teacher["p"].round is AllocationRound.UNPLACED
    assert result.by_teacher["strong"].round is AllocationRound.KEPT


def test_more_protected_teachers_than_posts_are_all_kept_and_the_check_accepts_it() -> None:
    d = one_post_school(teacher("p1", "U", protected="孕期"), teacher("p2", "U", protected="援派"))
    result = run_allocation(d, YEAR, norms=MATH_ONLY)
    assert {r.teacher_id for r in result.rows if r.round is AllocationRound.KEPT} == {"p1", "p2"}
    assert check_allocation(d, result, norms=MATH_ONLY) == []


def test_the_check_catches_a_protected_teacher_sent_to_waiting() -> None:
    d = one_post_school(teacher("p", "U", protected="重病"))
    result = run_allocation(d, YEAR, norms=MATH_ONLY)
    spoiled = result.model_copy(
        update={
            "rows": tuple(
                r.model_copy(update={"round": AllocationRound.UNPLACED, "to_school_id": None})
                if r.teacher_id == "p"
                else r
                for r in result.rows
            )
        }
    )
    assert "protected" in {v.rule for v in check_allocation(d, spoiled, norms=MATH_ONLY)}


def test_approved_posts_drive_round_one_instead_of_derived_ones(tmp_path: Path) -> None:
    # derived: 38 pupils → 2 math posts at U; the bureau approved 1 math and 1 chinese
    d = Dataset.build(
        [school("U", Area.URBAN, 38), school("R", Area.RURAL, 19)],
        [teacher("a", "U", backbone=BackboneLevel.CITY), teacher("b", "U"), teacher("r", "R")],
    )
    derived = run_allocation(d, YEAR, norms=MATH_ONLY)
    assert derived.by_teacher["b"].round is AllocationRound.KEPT
    posts = [
        ApprovedPost(school_id="U", stage=Stage.PRIMARY, subject=Subject.MATH, posts=1),
        ApprovedPost(school_id="U", stage=Stage.PRIMARY, subject=Subject.CHINESE, posts=1),
        ApprovedPost(school_id="R", stage=Stage.PRIMARY, subject=Subject.MATH, posts=1),
    ]
    result = run_allocation(d, YEAR, norms=MATH_ONLY, posts=posts)
    assert result.metrics["approved_posts"] is True
    b = result.by_teacher["b"]
    assert "本校核定小学数学岗位1个" in b.reason and b.round is not AllocationRound.KEPT
    assert b.post_subject is Subject.CHINESE and b.to_school_id == "U"  # 校内转岗 to the free post
    assert check_allocation(d, result, norms=MATH_ONLY, posts=posts) == []


def test_a_posts_file_is_read_and_each_bad_row_is_named(tmp_path: Path) -> None:
    d = Dataset.build([school("U", Area.URBAN, 38)], [teacher("a", "U")])
    good = tmp_path / "posts.csv"
    good.write_text(
        "学校编号,学段,学科,核定岗位数\nU,小学,数学,2\nU,primary,chinese,1\n", encoding="utf-8"
    )
    assert [(p.subject, p.posts) for p in read_posts(good, d)] == [
        (Subject.MATH, 2),
        (Subject.CHINESE, 1),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "school_id,stage,subject,posts\nX,primary,math,1\nU,junior,math,1\nU,primary,math,-1\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as err:
        read_posts(bad, d)
    text = err.value.report()
    assert "bad.csv 第2行" in text and "bad.csv 第3行" in text and "bad.csv 第4行" in text


def test_the_waiting_list_is_never_longer_than_the_structural_surplus() -> None:
    # primary: 4 teachers, 3 posts (U 1 math at a higher level, R 2) → surplus 1; the
    # R teachers cannot move up to U by the level rule, yet the bureau's last step may
    d = Dataset.build(
        [school("U", Area.URBAN, 19), school("R", Area.RURAL, 38)],
        [teacher(f"r{k}", "R") for k in range(4)],
    )
    result = run_allocation(d, YEAR, norms=MATH_ONLY)
    assert result.metrics["structural_surplus"] == 1
    assert result.metrics["unplaced"] == 1
    moved_up = [r for r in result.rows if r.final_placement]
    assert len(moved_up) == 1 and moved_up[0].to_school_id == "U"
    assert check_allocation(d, result, norms=MATH_ONLY) == []
    strict = run_allocation(d, YEAR, norms=MATH_ONLY, policy=HiringPolicy(final_placement=False))
    assert strict.metrics["unplaced"] == 2
