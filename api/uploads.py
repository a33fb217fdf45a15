"""Uploaded rosters: checked for type and size, written to a scratch folder, read whole.

An upload is one ``.xlsx`` workbook, or the CSV files (``schools.csv``,
``teachers.csv`` and optionally ``needs.csv``; Chinese file names accepted as the
importer accepts them). Nothing is stored unless every row reads cleanly.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from rotation.io import DatasetError, Problem, read_roster
from rotation.io.limits import ReadLimits
from rotation.models import Dataset

CHUNK = 1 << 16
EXCEL = ".xlsx"
CSV = ".csv"


@dataclass(frozen=True, slots=True)
class UploadedFile:
    name: str
    stream: BinaryIO


class UploadRejected(Exception):
    """An upload refused before or after reading: HTTP status and a message (zh / en)."""

    def __init__(
        self, status_code: int, message: str, problems: list[dict[str, object]] | None = None
    ):
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.problems = problems or []


@dataclass(frozen=True, slots=True)
class ReadUpload:
    dataset: Dataset
    file_name: str
    checksum: str
    warnings: tuple[Problem, ...] = ()
    rows: dict[tuple[str, str], tuple[str, int]] | None = None  # (table, id) -> (file, row)

    def where(self, table: str, ident: str) -> tuple[str, int | None]:
        return (self.rows or {}).get((table, ident), (table, None))


def safe_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip()
    return base or "upload"


def check_kinds(names: list[str]) -> str:
    """``xlsx`` or ``csv``; 415 for anything else (one workbook, or only CSV files)."""
    if not names:
        raise UploadRejected(422, "未上传文件 / no file was uploaded")
    suffixes = [PurePath(n).suffix.lower() for n in names]
    if suffixes == [EXCEL]:
        return "xlsx"
    if all(s == CSV for s in suffixes):
        if len({n.lower() for n in names}) != len(names):
            raise UploadRejected(422, "上传了同名文件 / two files have the same name")
        return "csv"
    hint = "（.xls 请在 Excel 中另存为 .xlsx）" if ".xls" in suffixes else ""
    raise UploadRejected(
        415,
        f"不支持的文件类型{hint}：请上传一个 .xlsx 工作簿，或 schools.csv、teachers.csv（可选 needs.csv）"
        f" / unsupported file type {sorted(set(suffixes))}: upload one .xlsx workbook, "
        "or the CSV files schools.csv, teachers.csv (and optionally needs.csv)",
    )


def _copy_limited(src: BinaryIO, dst: Path, budget: int, digest: hashlib._Hash) -> int:
    written = 0
    with dst.open("wb") as out:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > budget:
                raise UploadRejected(413, too_large_message(budget))
            digest.update(chunk)
            out.write(chunk)
    return written


def too_large_message(limit: int) -> str:
    mb = limit / (1024 * 1024)
    return f"上传文件超过 {mb:.1f} MB 上限 / the upload exceeds the {mb:.1f} MB limit"


def problem_dicts(
    error: DatasetError | list[Problem], scratch: Path | None = None
) -> list[dict[str, object]]:
    """The importer's problems as JSON, with the scratch folder cut out of file names."""
    prefix = str(scratch) + "/" if scratch is not None else "\0"
    out: list[dict[str, object]] = []
    for p in error.problems if isinstance(error, DatasetError) else error:
        out.append(
            {
                "file": p.file.replace(prefix, ""),
                "row": p.row,
                "column": p.column,
                "value": p.value.replace(prefix, ""),
                "expected": p.expected,
                "suggestion": p.suggestion,
                "kind": p.kind,
                "message": p.message("zh").replace(prefix, ""),
                "message_en": p.message("en").replace(prefix, ""),
            }
        )
    return out


def read_upload(files: list[UploadedFile], *, max_bytes: int, max_rows: int) -> ReadUpload:
    """The dataset in the uploaded files, or ``UploadRejected`` (413 / 415 / 422)."""
    names = [safe_name(f.name) for f in files]
    kind = check_kinds(names)
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="rotation-upload-") as tmp:
        scratch = Path(tmp)
        budget = max_bytes
        order = sorted(range(len(files)), key=lambda i: names[i])
        for i in order:
            digest.update(names[i].encode("utf-8") + b"\0")
            budget -= _copy_limited(files[i].stream, scratch / names[i], budget, digest)
        target = scratch / names[0] if kind == "xlsx" else scratch
        limits = ReadLimits(max_file_bytes=max_bytes, max_rows=max_rows)
        try:
            imported = read_roster(target, limits)
        except DatasetError as exc:
            # a file past a reading limit is "too large" (413); anything else in it, 422
            big = [p for p in exc.problems if p.kind == "too_large"]
            head = _strip(big[0].message("zh"), scratch) + "；" if big else ""
            raise UploadRejected(
                413 if big else 422,
                f"{head}数据有 {len(exc.problems)} 处问题，未导入任何数据 / "
                f"{len(exc.problems)} problem(s) found, nothing was stored",
                problem_dicts(exc, scratch),
            ) from exc
    dataset = imported.dataset
    rows = len(dataset.schools) + len(dataset.teachers) + len(dataset.needs)
    if rows > max_rows:
        raise UploadRejected(
            413,
            f"数据共 {rows} 行，超过 {max_rows} 行上限 / {rows} rows exceed the limit of {max_rows}",
        )
    return ReadUpload(
        dataset=dataset, file_name=", ".join(sorted(names)), checksum=digest.hexdigest(),
        warnings=tuple(_unscratched(w, scratch) for w in imported.warnings),
        rows={k: (_strip(f, scratch), r) for k, (f, r) in imported.rows.items()},
    )  # fmt: skip


def _strip(text: str, scratch: Path) -> str:
    return text.replace(str(scratch) + "/", "")


def _unscratched(p: Problem, scratch: Path) -> Problem:
    from dataclasses import replace

    return replace(p, file=_strip(p.file, scratch), value=_strip(p.value, scratch))
