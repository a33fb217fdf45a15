"""Place names for the synthetic counties: 龙川县's real towns and made-up ones.

龙川县 (Guangdong, 河源市) has 24 镇; the county seat is 老隆镇. Other counties of a
synthetic city get made-up town and village names, drawn from the seeded generator
so that they are fully determined by the seed.
"""

from __future__ import annotations

import random

LONGCHUAN_TOWNS: tuple[str, ...] = (
    "老隆镇",
    "义都镇",
    "佗城镇",
    "鹤市镇",
    "黄布镇",
    "紫市镇",
    "通衢镇",
    "登云镇",
    "丰稔镇",
    "四都镇",
    "铁场镇",
    "龙母镇",
    "田心镇",
    "黎咀镇",
    "黄石镇",
    "赤光镇",
    "回龙镇",
    "新田镇",
    "车田镇",
    "岩镇镇",
    "麻布岗镇",
    "贝岭镇",
    "细坳镇",
    "上坪镇",
)
"""The 24 towns of 龙川县, the county seat first."""

LONGCHUAN_CENTER: tuple[float, float] = (24.10, 115.25)
HEYUAN_CENTER: tuple[float, float] = (23.74, 114.70)

_PLACE_CHARS = (
    "东南西北上下大新老龙凤塘坑岭田坪湖竹石桥山水岗背坝围楼径口陂寨"
    "黄白青红金银松柏梅桂兰荷禾丰富贵安宁和平兴隆永福长高宝华春秋"
)
_CN_DIGITS = "零一二三四五六七八九十"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (for n < 100)."""
    if n <= 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


def made_up_name(rng: random.Random, suffix: str, taken: set[str]) -> str:
    """A two-character place name plus ``suffix`` (镇, 村, 县), unique within ``taken``."""
    while True:
        name = rng.choice(_PLACE_CHARS) + rng.choice(_PLACE_CHARS) + suffix
        if name[0] != name[1] and name not in taken:
            taken.add(name)
            return name


def short_place(name: str) -> str:
    """老隆镇 → 老隆, 龙川县 → 龙川, 麻布岗镇 → 麻布岗."""
    return name[:-1] if len(name) > 2 and name[-1] in "镇县乡村" else name
