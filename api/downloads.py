"""Files the service hands out: written by the domain's writers into a temporary folder,
sent as an attachment, and gone from the server's disk at once."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from fastapi import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
MEDIA = {
    ".xlsx": XLSX,
    ".csv": CSV,
    ".png": "image/png",
    ".json": "application/json",
    ".pdf": "application/pdf",
}


def attachment(filename: str, write: Callable[[Path], object]) -> Response:
    """``write(path)`` produces the file; the response carries its bytes as ``filename``."""
    with tempfile.TemporaryDirectory(prefix="rotation-download-") as tmp:
        path = Path(tmp) / filename
        write(path)
        content = path.read_bytes()
    return Response(
        content,
        media_type=MEDIA.get(Path(filename).suffix, CSV),
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
