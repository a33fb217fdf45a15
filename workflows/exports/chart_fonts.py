"""Charts speak Chinese when they can.

matplotlib ships no Chinese font, so the project ships one (``rotation/io/fonts``: a
GB 2312 subset of Noto Sans SC, OFL 1.1) and registers it before the first chart: a fresh
machine draws Chinese labels. Should the font file be missing, a system CJK font is used,
and failing that English labels, so that a chart never shows empty boxes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)


@cache
def cjk_family() -> str | None:
    """The first Chinese font family matplotlib can find, configured for use; or None."""
    from matplotlib import font_manager, rcParams

    from rotation.io.fonts import BOLD, REGULAR

    for shipped in (REGULAR, BOLD):
        if shipped.exists():
            font_manager.fontManager.addfont(str(shipped))
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in available:
            rcParams["font.sans-serif"] = [family, *rcParams["font.sans-serif"]]
            rcParams["axes.unicode_minus"] = False
            return family
    return None


def chart_labels() -> Callable[[str, str], str]:
    """``t(zh, en)``: the Chinese label when a Chinese font exists, else the English one."""
    zh = cjk_family() is not None
    return lambda text_zh, text_en: text_zh if zh else text_en
