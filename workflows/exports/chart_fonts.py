"""Charts speak Chinese when they can.

matplotlib ships no Chinese font. When the machine has one (e.g. Debian's
``fonts-wqy-microhei`` or ``fonts-noto-cjk``, installed in the Docker image), charts are
labelled in Chinese; otherwise in English, so that they never show empty boxes.
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
