"""The CLI explains itself: every command's help speaks Chinese and English, shows a switch
as a switch, and ends with the exit codes the command really returns; ``--lang`` is checked
the same way everywhere; the options are named alike across commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click import Command
from typer.main import get_command
from typer.testing import CliRunner

from cli.help import EXIT_CODES, HELP_TEXT
from cli.main import app

runner = CliRunner()
GROUP = get_command(app)
COMMANDS: dict[str, Command] = GROUP.commands  # type: ignore[attr-defined]
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def help_of(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_and_option_is_explained_in_chinese_and_english() -> None:
    assert HELP_TEXT in help_of()
    assert "Show this message and exit." not in help_of().replace(HELP_TEXT, "")
    assert set(COMMANDS) == set(EXIT_CODES)
    for name, command in COMMANDS.items():
        text = help_of(name)
        assert HELP_TEXT in text, name
        assert "<bool>" not in text, (name, text)
        short = command.get_short_help_str(limit=500)
        assert CJK.search(short) and LATIN_WORD.search(short), (name, short)
        for param in command.params:
            words = getattr(param, "help", None) or ""
            halves = re.split(r"\s*/\s+", words, maxsplit=1)
            assert len(halves) == 2 and CJK.search(halves[0]), (name, param.name, words)
            assert LATIN_WORD.search(halves[1]), (name, param.name, words)


def test_every_commands_help_ends_with_its_exit_codes() -> None:
    for name in COMMANDS:
        text = help_of(name).rstrip()
        tail = text.split("退出码 / Exit codes:", 1)
        assert len(tail) == 2, (name, text[-300:])
        codes = [int(c) for c in re.findall(r"^\s+(\d+)\s+\S", tail[1], re.M)]
        assert codes == [code for code, _, _ in EXIT_CODES[name]], (name, tail[1])
        assert "0" in tail[1] and "2" in tail[1]


def test_switches_show_as_flags() -> None:
    sample = help_of("sample")
    assert re.search(r"^\s+--xlsx\s+写成 Excel 工作簿", sample, re.M), sample
    for name, command in COMMANDS.items():
        for param in command.params:
            if getattr(param, "is_flag", False):
                assert param.opts[0] in help_of(name), (name, param.opts)


@pytest.mark.parametrize("command", sorted(EXIT_CODES))
def test_lang_fr_is_refused_by_every_command_with_the_same_bilingual_words(command: str) -> None:
    result = runner.invoke(app, [command, "--lang", "fr"])
    assert result.exit_code == 2, (command, result.output)
    assert "--lang 应为 zh/en 之一，收到 'fr' / --lang must be one of zh/en; got 'fr'" in (
        result.stderr
    ), (command, result.output)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("explains")
    done = runner.invoke(
        app, ["sample", "--preset", "tiny", "--seed", "1", "--out", str(here / "tiny")]
    )
    assert done.exit_code == 0, done.output
    done = runner.invoke(
        app,
        ["plan", "--data", str(here / "tiny"), "--year", "2026", "--out", str(here / "plan"), "--quiet"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    return here


def documented(command: str, code: int) -> bool:
    return code in [c for c, _, _ in EXIT_CODES[command]]


def test_real_failures_return_the_codes_the_help_lists(tiny: Path) -> None:
    bad = tiny / "bad"
    runner.invoke(app, ["sample", "--preset", "tiny", "--out", str(bad)])
    teachers = (bad / "teachers.csv").read_text(encoding="utf-8").splitlines()
    cells = teachers[1].split(",")
    cells[0] = ""  # a teacher without an id
    (bad / "teachers.csv").write_text("\n".join([teachers[0], ",".join(cells), *teachers[2:]]))
    spoiled = tiny / "spoiled.csv"
    rows = (tiny / "plan" / "plan.csv").read_text(encoding="utf-8").splitlines()
    head = rows[0].split(",")
    first = rows[1].split(",")
    first[head.index("to_school_id")] = first[head.index("from_school_id")]  # back home
    spoiled.write_text("\n".join([rows[0], ",".join(first), *rows[2:]]) + "\n", encoding="utf-8")
    data, plan = str(tiny / "tiny"), str(tiny / "plan" / "plan.csv")
    cases: list[tuple[str, list[str], int]] = [
        ("check-data", [data, "--year", "2026"], 0),
        ("check-data", [str(bad), "--year", "2026"], 1),
        ("check-data", [str(tiny / "missing"), "--year", "2026"], 2),
        ("plan", ["--data", str(bad), "--year", "2026", "--out", str(tiny / "p1"), "--quiet"], 1),
        ("plan", ["--data", data, "--year", "2026", "--out", str(tiny / "p2"), "--gap", "7"], 2),
        ("check-plan", ["--data", data, "--plan", str(spoiled)], 3),
        ("check-plan", ["--data", data, "--plan", str(tiny / "none.csv")], 2),
        ("apply", ["--data", data, "--plan", str(spoiled), "--out", str(tiny / "next")], 3),
        ("notices", ["--data", data, "--plan", str(spoiled), "--out", str(tiny / "papers")], 3),
        ("notices", ["--data", data, "--plan", plan, "--out", str(tiny / "x"), "--date", "6/15"], 2),
        ("diff", [str(tiny / "plan"), str(tiny / "nowhere")], 2),
        ("title-posts", ["--data", data, "--senior", "-1", "--intermediate", "0", "--out", str(tiny / "t")], 2),
        ("allocate", ["--data", str(bad), "--year", "2026", "--out", str(tiny / "a")], 1),
        ("outlook", ["--data", data, "--from", "2026", "--to", "2025"], 2),
        ("sample", ["--preset", "nowhere", "--out", str(tiny / "s")], 2),
        ("backup", ["--out", str(tiny / "b.db"), "--database-url", f"sqlite:///{tiny / 'no.db'}"], 1),
    ]  # fmt: skip
    for command, args, code in cases:
        result = runner.invoke(app, [command, *args])
        assert result.exit_code == code, (command, args, result.output)
        assert documented(command, code), (command, code)
    assert not (tiny / "next").exists() and not (tiny / "papers" / "notices.pdf").exists()


def test_check_data_takes_the_roster_as_path_or_as_data(tiny: Path) -> None:
    data = str(tiny / "tiny")
    as_path = runner.invoke(app, ["check-data", data, "--year", "2026", "--json"])
    as_option = runner.invoke(app, ["check-data", "--data", data, "--year", "2026", "--json"])
    assert as_path.exit_code == as_option.exit_code == 0, as_option.output
    assert json.loads(as_path.stdout) == json.loads(as_option.stdout)
    neither = runner.invoke(app, ["check-data", "--year", "2026"])
    assert neither.exit_code == 2 and "--data" in neither.stderr


def test_diff_out_is_a_folder_like_the_other_commands_and_a_json_path_still_a_file(
    tiny: Path,
) -> None:
    plan = str(tiny / "plan")
    folder = runner.invoke(app, ["diff", plan, plan, "--out", str(tiny / "diffs")])
    assert folder.exit_code == 0, folder.output
    assert json.loads((tiny / "diffs" / "diff.json").read_text(encoding="utf-8"))["same"] > 0
    file = runner.invoke(app, ["diff", plan, plan, "--out", str(tiny / "old" / "a-b.json")])
    assert file.exit_code == 0, file.output
    assert (tiny / "old" / "a-b.json").is_file()


def test_assume_keys_are_explained_and_an_unknown_one_is_refused_naming_the_known(
    tiny: Path,
) -> None:
    text = help_of("outlook")
    for key in ("stay_after_term_share", "promotion_share", "replace_leavers", "needs", "seed"):
        assert re.search(rf"^\s+{key} = \S+: .*[\u4e00-\u9fff].* / [A-Za-z]", text, re.M), key
    result = runner.invoke(
        app,
        ["outlook", "--data", str(tiny / "tiny"), "--from", "2026", "--to", "2027",
         "--assume", "promotion_rate=0.5", "--out", str(tiny / "o")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "promotion_rate" in result.stderr and "promotion_share" in result.stderr
    bad_value = runner.invoke(
        app,
        ["outlook", "--data", str(tiny / "tiny"), "--from", "2026", "--to", "2027",
         "--assume", "promotion_share=2", "--out", str(tiny / "o"), "--lang", "en"],
    )  # fmt: skip
    assert bad_value.exit_code == 2
    assert "promotion_share=2" in bad_value.stderr and not CJK.search(bad_value.stderr)
