"""How much of a file the importer will read: checked while reading, never after.

A roster is a few thousand rows of short cells. Anything far beyond that is a
mistake (a used range that claims the whole sheet, a pasted document in a cell) or
hostile (a zip or XML bomb); such a file is refused with a clear message before it
costs more than a moment of CPU.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReadLimits(BaseModel):
    """Upper bounds on one roster input; every one is checked as the bytes are read."""

    model_config = ConfigDict(frozen=True)

    max_file_bytes: int = Field(default=50 * 1024 * 1024, ge=1, description="one file on disk")
    max_unpacked_bytes: int = Field(
        default=400 * 1024 * 1024, ge=1, description="a workbook's XML once decompressed"
    )
    max_rows: int = Field(default=200_000, ge=1, description="data rows per table")
    max_columns: int = Field(default=200, ge=1, description="columns holding a value")
    max_cell_chars: int = Field(default=2_000, ge=1, description="characters in one cell")
    max_blank_run: int = Field(
        default=10_000, ge=1, description="blank rows after the data at which reading stops"
    )
    header_search_rows: int = Field(
        default=10, ge=1, description="non-blank rows searched for the header"
    )


DEFAULT_LIMITS = ReadLimits()
