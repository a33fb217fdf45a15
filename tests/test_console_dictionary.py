"""The console's one dictionary: every text the console shows through ``t("…")`` has its
English, so the English switch never leaves Chinese behind."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "api" / "console" / "static" / "js"


def test_every_console_text_has_its_english() -> None:
    used: set[str] = set()
    for path in STATIC.rglob("*.js"):
        used |= set(re.findall(r'\bt\(\s*"([^"]+)"', path.read_text(encoding="utf-8")))
    dictionary = (STATIC / "dict.js").read_text(encoding="utf-8")
    english = dict(re.findall(r'^\s*"([^"]+)":\s*\n?\s*"([^"]*)"', dictionary, re.M))
    assert len(used) > 100
    assert sorted(used - set(english)) == []
    assert all(not re.search(r"[\u4e00-\u9fff]", text) for text in english.values())
