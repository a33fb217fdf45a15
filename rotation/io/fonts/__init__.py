"""The Chinese font the project ships (a GB 2312 subset of Noto Sans SC, OFL 1.1).

Charts and printed notices use it so that a fresh machine draws Chinese text; see
``README.md`` beside this file for its source and how the subset was made.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent
FAMILY = "Noto Sans SC"
REGULAR = FONT_DIR / "NotoSansSC-Regular-GB2312.ttf"
BOLD = FONT_DIR / "NotoSansSC-Bold-GB2312.ttf"


def covers(text: str) -> bool:
    """Whether the shipped subset has a glyph for every character of ``text``."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(REGULAR, lazy=True).getBestCmap()
    return all(ord(ch) in cmap or ch.isspace() for ch in text)
