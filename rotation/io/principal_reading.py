"""principal_exchanges.csv read back (the file ``rotation.io.principal_files`` writes), for
``rotation apply``: the leadership moves and the due leaders not moved, in the file's order
(the principals' checker names rows by it).

The file carries no figures (due, required, moved) and no vacancies: the reader leaves the
figures at 0 for the caller to recount from the roster (``rotation.principals.recounted``).
Minimal on purpose: codes as the writer writes them, or the Chinese labels.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rotation.enums import Position, SchoolStage
from rotation.io.cell_safety import restore_csv_cell
from rotation.io.encoding import UndecodableError, decode_text
from rotation.io.errors import DatasetError, Problem
from rotation.io.principal_files import NOT_MOVED, PRINCIPAL_COLUMNS
from rotation.principals import LeaderMove, PrincipalExchange, PrincipalMove, PrincipalNotMoved

REQUIRED: tuple[str, ...] = (
    "teacher_id",
    "position",
    "new_position",
    "kind",
    "from_school_id",
    "to_school_id",
    "school_stage",
    "start_year",
    "end_year",
)
EXPECTED = (
    "教师编号、原职务与交流后职务（校长/副校长）、类别、原学校与交流学校编号、开始与结束年份",
    "teacher id, positions (principal / vice_principal), kind, school ids, start and end years",
)


def _problem(file: str, row: int | None, column: str | None, value: str) -> Problem:
    return Problem(
        file=file,
        row=row,
        column=column,
        value=value,
        expected=EXPECTED[0],
        expected_en=EXPECTED[1],
    )


def _int(text: str) -> int | None:
    return int(text) if text else None


def read_principal_csv(path: str | Path) -> PrincipalExchange:
    """The moves and the not-moved rows of a principal_exchanges.csv; ``DatasetError``
    names the file, row and column of every cell that cannot be read."""
    p = Path(path)
    try:
        text, _ = decode_text(p.read_bytes())
    except UndecodableError as exc:
        raise DatasetError([_problem(p.name, None, None, str(exc))]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DatasetError(
            [
                Problem(
                    file=p.name,
                    row=1,
                    column=c,
                    value="",
                    kind="missing_column",
                    expected=f"表头中有 {c} 列（{'、'.join(PRINCIPAL_COLUMNS)}）",
                    expected_en=f"a column {c}",
                )
                for c in missing
            ]
        )
    moves: list[PrincipalMove] = []
    not_moved: list[PrincipalNotMoved] = []
    problems: list[Problem] = []
    for number, raw in enumerate(reader, start=2):
        rec = {
            k.strip(): restore_csv_cell(v or "").strip() for k, v in raw.items() if k is not None
        }
        if not any(rec.values()):
            continue
        column = "position"
        try:
            position = Position.parse(rec["position"])
            if rec["kind"] in NOT_MOVED:
                column = "years_in_post"
                not_moved.append(
                    PrincipalNotMoved(
                        teacher_id=rec["teacher_id"],
                        name=rec.get("name", ""),
                        position=position,
                        school_id=rec["from_school_id"],
                        years_in_post=_int(rec.get("years_in_post", "")),
                        reason_zh=rec.get("reasons", ""),
                        reason_en="",
                    )
                )
                continue
            column = "kind"
            kind = LeaderMove.parse(rec["kind"])
            column = "new_position"
            new_position = Position.parse(rec["new_position"])
            column = "school_stage"
            stage = SchoolStage.parse(rec.get("school_stage", ""))
            column = "years_in_post"
            served = _int(rec.get("years_in_post", ""))
            column = "start_year"
            start = int(rec["start_year"])
            column = "end_year"
            end = int(rec["end_year"])
            moves.append(
                PrincipalMove(
                    teacher_id=rec["teacher_id"],
                    name=rec.get("name", ""),
                    position=position,
                    new_position=new_position,
                    kind=kind,
                    from_school_id=rec["from_school_id"],
                    to_school_id=rec["to_school_id"],
                    school_stage=stage,
                    years_in_post=served,
                    start_year=start,
                    end_year=end,
                    reasons=rec.get("reasons", ""),
                )
            )
        except (ValueError, KeyError) as exc:
            problems.append(_problem(p.name, number, column, rec.get(column, str(exc))))
    if problems:
        raise DatasetError(problems)
    return PrincipalExchange(moves=tuple(moves), not_moved=tuple(not_moved))
