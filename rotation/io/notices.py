"""Papers for teachers and the public: 交流通知书 (one page per moved teacher) and the
公示名单 (the list a bureau posts for public scrutiny), as PDF files an office prints.

The public list carries no personal data beyond what a public notice names: no birth
date, no age, no evaluation score, no exemption reason, no preference; only the name,
the schools, the stage and subject, the title, the backbone level and the term.
Both papers are drawn with the shipped Chinese font (``rotation.io.fonts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rotation.io import fonts
from rotation.models import Dataset
from rotation.plan import Assignment


class NoticeHeading(BaseModel):
    """Who issues the papers and whom a teacher may ask."""

    model_config = ConfigDict(frozen=True)

    bureau: str = "县教育局"
    contact: str = "县教育局人事股"
    issued: date = date.today()
    # the 正式方案 line of a plan the county has published (api.publication.official_stamp);
    # None for a draft. Carried here so the CLI and the service pass it the same way.
    official: str | None = None


class NoticeLine(BaseModel):
    """One move as the papers print it: names, not codes."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    from_school: str
    to_school: str
    stage: str
    subject: str
    title: str
    backbone: str
    start_year: int
    end_year: int
    reasons: str


PUBLIC_COLUMNS: tuple[tuple[str, str, float], ...] = (
    # (field, Chinese header, width in mm on A4 landscape)
    ("index", "序号", 12),
    ("name", "姓名", 24),
    ("from_school", "原学校", 62),
    ("to_school", "交流学校", 62),
    ("stage_subject", "学段学科", 34),
    ("title", "职称", 22),
    ("backbone", "骨干", 20),
    ("term", "交流期限", 30),
)


def notice_lines(dataset: Dataset, assignments: Sequence[Assignment]) -> list[NoticeLine]:
    """The plan's moves with school names in place of codes, in teacher-id order."""

    def school_name(school_id: str) -> str:
        school = dataset.school.get(school_id)
        return school.name if school is not None else school_id

    return [
        NoticeLine(
            teacher_id=a.teacher_id,
            name=a.name,
            from_school=school_name(a.from_school_id),
            to_school=school_name(a.to_school_id),
            stage=a.stage.label_zh,
            subject=a.subject.label_zh,
            title=a.title.label_zh,
            backbone=a.backbone.label_zh,
            start_year=a.start_year,
            end_year=a.end_year,
            reasons=a.reasons,
        )
        for a in sorted(assignments, key=lambda a: a.teacher_id)
    ]


def _term(line: NoticeLine) -> str:
    return f"{line.start_year}年9月至{line.end_year + 1}年7月"


def _pdf(orientation: str):  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.add_font(fonts.FAMILY, "", str(fonts.REGULAR))
    pdf.add_font(fonts.FAMILY, "B", str(fonts.BOLD))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("rotation")
    return pdf


def write_notices_pdf(
    lines: Sequence[NoticeLine], year: int, heading: NoticeHeading, path: str | Path
) -> Path:
    """One 交流通知书 a page: the teacher, the schools, the term, why, whom to ask."""
    out = Path(path)
    pdf = _pdf("P")
    pdf.set_title(f"{year}学年教师交流轮岗通知书")
    for line in lines:
        pdf.add_page()
        pdf.set_font(fonts.FAMILY, "B", 20)
        pdf.cell(0, 16, "教师交流轮岗通知书", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font(fonts.FAMILY, "", 13)
        pdf.multi_cell(
            0,
            9,
            f"{line.name}老师（{line.from_school}）：",
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        pdf.multi_cell(
            0,
            9,
            f"　　根据{year}学年义务教育学校教师交流轮岗工作安排，经研究，"
            f"安排您到{line.to_school}交流任教（{line.stage}{line.subject}），"
            f"交流期限为{_term(line)}。交流期间人事关系按县管校聘有关规定管理，"
            "期满后按规定返回或另行安排。",
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        pdf.ln(3)
        pdf.set_font(fonts.FAMILY, "B", 12)
        pdf.cell(0, 8, "安排理由：", new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font(fonts.FAMILY, "", 12)
        pdf.multi_cell(
            0,
            7,
            line.reasons or "按本学年交流轮岗方案安排。",
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        pdf.ln(3)
        pdf.multi_cell(
            0,
            7,
            f"如有疑问，请于公示期内联系：{heading.contact}。",
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        pdf.ln(14)
        pdf.set_font(fonts.FAMILY, "", 12)
        pdf.cell(0, 8, heading.bureau, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(
            0, 8, heading.issued.strftime("%Y年%m月%d日"), align="R", new_x="LMARGIN", new_y="NEXT"
        )
    if not lines:
        pdf.add_page()
        pdf.set_font(fonts.FAMILY, "", 13)
        pdf.cell(0, 10, "本方案没有交流教师，无通知书。", new_x="LMARGIN", new_y="NEXT", align="L")
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def public_row(index: int, line: NoticeLine) -> dict[str, str]:
    """The fields a public list prints for one move; nothing else about the person."""
    return {
        "index": str(index),
        "name": line.name,
        "from_school": line.from_school,
        "to_school": line.to_school,
        "stage_subject": f"{line.stage}{line.subject}",
        "title": line.title,
        "backbone": line.backbone,
        "term": f"{line.start_year}–{line.end_year}学年",
    }


def write_public_list_pdf(
    lines: Sequence[NoticeLine], year: int, heading: NoticeHeading, path: str | Path
) -> Path:
    """The 公示名单: one table of every move, without birth dates, ages or scores."""
    out = Path(path)
    pdf = _pdf("L")
    pdf.set_title(f"{year}学年教师交流轮岗人员公示名单")
    pdf.add_page()
    pdf.set_font(fonts.FAMILY, "B", 16)
    pdf.cell(
        0,
        12,
        f"{year}学年义务教育学校教师交流轮岗人员公示名单",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(fonts.FAMILY, "", 10)
    pdf.multi_cell(
        0,
        6,
        f"公示期为五个工作日。对名单有异议的，请在公示期内向{heading.contact}反映。"
        f"共 {len(lines)} 人。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)

    def header() -> None:
        pdf.set_font(fonts.FAMILY, "B", 10)
        for _, label, width in PUBLIC_COLUMNS:
            pdf.cell(width, 8, label, border=1, align="C")
        pdf.ln()
        pdf.set_font(fonts.FAMILY, "", 9)

    header()
    for i, line in enumerate(lines, start=1):
        if pdf.will_page_break(7):
            pdf.add_page()
            header()
        row = public_row(i, line)
        for field, _, width in PUBLIC_COLUMNS:
            text = row[field]
            while len(text) > 1 and pdf.get_string_width(text) > width - 2:
                text = text[:-1]
            pdf.cell(width, 7, text if text == row[field] else text[:-1] + "…", border=1)
        pdf.ln()
    pdf.ln(6)
    pdf.set_font(fonts.FAMILY, "", 11)
    pdf.cell(0, 8, f"{heading.bureau}    {heading.issued.strftime('%Y年%m月%d日')}", align="R")
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out
