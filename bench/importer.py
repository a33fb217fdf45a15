"""CPU per MB of reading rosters, good and hostile (issue 12 item 7): ``python -m bench.importer``.

Writes each file to a temporary folder, reads it with ``read_dataset`` and prints the
file size, the process CPU seconds and seconds per MB. A refused file counts as read.
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from rotation.io import DatasetError, read_dataset, write_dataset, write_dataset_xlsx
from sample_data.generator import generate


def _rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            zf.writestr(info, change(data) if info.filename == member else data)


def _measure(label: str, path: Path) -> None:
    size = sum(f.stat().st_size for f in path.iterdir()) if path.is_dir() else path.stat().st_size
    start = time.process_time()
    try:
        d = read_dataset(path)
        outcome = f"{len(d.teachers)} teachers"
    except DatasetError as exc:
        outcome = f"refused: {exc.problems[0].kind}"
    cpu = time.process_time() - start
    mb = size / 2**20
    print(f"{label:38s} {mb:8.2f} MB {cpu:7.2f} s CPU {cpu / mb:6.2f} s/MB  {outcome}")


def main(presets: list[str]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-importer-"))
    for preset in presets:
        ds = generate(preset, seed=1, year=2026)
        _measure(f"{preset} csv", write_dataset(ds, tmp / preset))
        xlsx = write_dataset_xlsx(ds, tmp / f"{preset}.xlsx")
        _measure(f"{preset} xlsx", xlsx)
    base = write_dataset_xlsx(generate("small", seed=1, year=2026), tmp / "hostile.xlsx")
    sheet = "xl/worksheets/sheet2.xml"
    whole = tmp / "whole.xlsx"
    whole.write_bytes(base.read_bytes())
    _rewrite(
        whole,
        sheet,
        lambda x: x.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
    )
    _measure("used range = whole sheet (stray cell)", whole)
    blank = tmp / "blank.xlsx"
    blank.write_bytes(base.read_bytes())
    rows = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % r for r in range(400, 1_048_577))
    _rewrite(blank, sheet, lambda x: x.replace(b"</sheetData>", rows + b"</sheetData>"))
    _measure("formatted blank rows to row 1048576", blank)
    big = tmp / "cell.xlsx"
    big.write_bytes(base.read_bytes())
    cell = (
        b'<row r="5000"><c r="B5000" t="inlineStr"><is><t>'
        + b"x" * 60 * 2**20
        + b"</t></is></c></row>"
    )
    _rewrite(big, sheet, lambda x: x.replace(b"</sheetData>", cell + b"</sheetData>"))
    _measure("60 MB cell", big)


if __name__ == "__main__":
    main(sys.argv[1:] or ["small", "longchuan"])
