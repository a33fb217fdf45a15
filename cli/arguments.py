"""Every argument checked before any work starts, refused in one bilingual line.

A command calls these first; each prints the reason to stderr and exits with status 2
(unusable parameters) when the value cannot be used. Nothing is read, solved or written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import typer
from pydantic import ValidationError

from solver.options import BACKENDS, SolveOptions

EXIT_DONE = 0
EXIT_BAD_DATA = 1
EXIT_BAD_PARAMETERS = 2
EXIT_VIOLATIONS = 3
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130

# option name, what a usable value is (Chinese, English)
_OPTION_WORDS: dict[str, tuple[str, str, str]] = {
    "backend": (
        "--backend",
        f"应为 {'/'.join(BACKENDS)} 之一",
        f"must be one of {'/'.join(BACKENDS)}",
    ),
    "time_limit": (
        "--time-limit",
        "须大于 0 且不超过 86400 秒",
        "must be more than 0 and at most 86400 seconds",
    ),
    "relative_gap": (
        "--gap",
        "须在 0 到 1 之间（如 0.001）",
        "must be between 0 and 1 (e.g. 0.001)",
    ),
    "workers": ("--workers", "须为 1 到 64 之间的整数", "must be a whole number from 1 to 64"),
    "seed": ("--seed", "须为不小于 0 的整数", "must be a whole number, 0 or more"),
}


def refuse(message: str, status: int = EXIT_BAD_PARAMETERS) -> NoReturn:
    """One line (or a few) to stderr, and the exit status."""
    typer.echo(message, err=True)
    raise typer.Exit(status)


def solve_options(
    *,
    backend: str = "highs",
    time_limit: float = 60.0,
    gap: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
) -> SolveOptions:
    """The solve options, or every unusable one named in Chinese and English (exit 2)."""
    values: dict[str, object] = {"backend": backend, "time_limit": time_limit}
    given = {"relative_gap": gap, "workers": workers, "seed": seed}
    values.update({k: v for k, v in given.items() if v is not None})
    try:
        return SolveOptions.model_validate(values)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            flag, zh, en = _OPTION_WORDS.get(field, (field, "取值无效", "invalid value"))
            value = values.get(field)
            lines.append(f"{flag} {zh}，收到 {value!r} / {flag} {en}; got {value!r}")
        refuse("\n".join(lines))


def output_folder(out: Path) -> Path:
    """A folder the command may write into: an existing folder, or one that can be made.

    Checked before any work; nothing is created here."""
    if out.exists():
        if not out.is_dir():
            refuse(f"--out {out} 已存在且不是文件夹 / --out {out} exists and is not a folder")
        if not os.access(out, os.W_OK):
            refuse(f"--out {out} 不可写 / --out {out} is not writable")
        return out
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        refuse(
            f"--out {out} 无法创建：{parent} 不是文件夹 / cannot create --out {out}: {parent} is not a folder"
        )
    if not os.access(parent, os.W_OK):
        refuse(
            f"--out {out} 无法创建：{parent} 不可写 / cannot create --out {out}: {parent} is not writable"
        )
    return out


def one_of(flag: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        refuse(
            f"{flag} 应为 {'/'.join(allowed)} 之一，收到 {value!r} / {flag} must be one of {'/'.join(allowed)}; got {value!r}"
        )
    return value


def existing_path(flag: str, path: Path | None) -> Path | None:
    if path is not None and not path.exists():
        refuse(f"{flag} 路径不存在 / {flag} path does not exist: {path}")
    return path


def language(lang: str) -> str:
    return one_of("--lang", lang, ("zh", "en"))


def words(lang: str, zh: str, en: str) -> str:
    """A line for the user: English alone with ``--lang en``, else Chinese with English."""
    return en if lang == "en" else f"{zh} / {en}"


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def in_lang(lang: str, message: str) -> str:
    """A ``中文 / English`` message as ``--lang`` asks: each line's English half with
    ``--lang en`` (a line that has no English half is kept whole)."""
    if lang != "en":
        return message
    lines = []
    for line in message.splitlines():
        zh, sep, en = line.partition(" / ")
        lines.append(en if sep and _CJK.search(zh) and not _CJK.search(en.split(":")[0]) else line)
    return "\n".join(lines)
