"""How the CLI explains itself: bilingual ``--help`` and every command's exit codes.

click writes the help option's own line in English ("Show this message and exit."); the
command classes here give it in Chinese and English. Each command's help ends with the exit
codes it really returns (``EXIT_CODES``, one list per command, tested against real failure
paths in tests/test_cli_help.py).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from typer.core import TyperCommand, TyperGroup

HELP_TEXT = "显示此帮助并退出 / Show this message and exit."

Meaning = tuple[str, str]  # what an exit status means, in Chinese and English

# What each exit status means where commands share the words.
DONE: Meaning = ("完成", "done")
BAD_DATA: Meaning = ("数据有误（逐条列出文件、行、列）", "invalid data (every problem listed)")
BAD_ARGUMENTS: Meaning = ("参数无法使用（未做任何工作）", "unusable argument (nothing was done)")
VIOLATIONS: Meaning = ("独立校验发现违规", "the independent check found a violation")
INTERNAL: Meaning = ("内部错误", "internal error")
INTERRUPTED: Meaning = ("已中断（Ctrl-C）", "interrupted (Ctrl-C)")
INTERRUPTED_KEPT: Meaning = (
    "已中断（已有方案时写出中断时的最优方案）",
    "interrupted (the best plan so far is written once one exists)",
)
DATA_OR_LOCKS: Meaning = ("数据或锁定有误", "invalid data or locks")
UNREADABLE_PLAN: Meaning = ("名册或方案文件无法读取", "the roster or the plan file cannot be read")


class ExitCodes(NamedTuple):
    """The statuses one command returns: 0, 2 and 4 always; 1, 3 and 130 where not None."""

    done: Meaning = DONE  # 0
    data: Meaning | None = None  # 1
    arguments: Meaning = BAD_ARGUMENTS  # 2
    check: Meaning | None = None  # 3
    interrupted: Meaning | None = INTERRUPTED  # 130

    def rows(self) -> list[tuple[int, str, str]]:
        statuses = (
            (0, self.done),
            (1, self.data),
            (2, self.arguments),
            (3, self.check),
            (4, INTERNAL),
            (130, self.interrupted),
        )
        return [(code, *meaning) for code, meaning in statuses if meaning is not None]


_COMMANDS: dict[str, ExitCodes] = {
    "sample": ExitCodes(),
    "check-data": ExitCodes(
        done=("数据有效（提醒照常列出）", "valid (warnings listed)"),
        data=(
            "数据有误（--strict 时数值可疑也算）",
            "invalid data (with --strict also implausible values)",
        ),
    ),
    "plan": ExitCodes(
        data=("数据或锁定有误（未写出任何文件）", "invalid data or locks (nothing written)"),
        check=VIOLATIONS,
        interrupted=INTERRUPTED_KEPT,
    ),
    "check-plan": ExitCodes(
        done=("无违规", "no violation"),
        data=UNREADABLE_PLAN,
        check=("方案有违规", "the plan breaks a rule"),
    ),
    "allocate": ExitCodes(
        data=("名册、分数或岗位文件有误", "invalid roster, scores or posts file"),
        check=("校验发现问题", "the check found a problem"),
        interrupted=INTERRUPTED_KEPT,
    ),
    "title-posts": ExitCodes(
        data=BAD_DATA,
        arguments=("总数、倾斜幅度、路径或参数无法使用", "unusable totals, tilt, path or option"),
    ),
    "serve": ExitCodes(
        done=("服务已停止", "the service stopped"),
        arguments=(
            "配置或参数无法使用（如未设置令牌）",
            "unusable configuration or option (e.g. no tokens)",
        ),
        interrupted=None,
    ),
    "whatif": ExitCodes(
        data=DATA_OR_LOCKS,
        check=("有方案失败或未通过独立校验", "a scenario failed or broke a rule"),
        interrupted=(
            "已中断（保留已完成的方案）",
            "interrupted (scenarios already planned are kept)",
        ),
    ),
    "diff": ExitCodes(data=("方案文件无法读取", "a plan file cannot be read")),
    "outlook": ExitCodes(
        data=DATA_OR_LOCKS,
        check=("有方案推演失败", "a scenario failed"),
        interrupted=("已中断（保留已完成的方案）", "interrupted (scenarios already done are kept)"),
    ),
    "notices": ExitCodes(
        data=("名册或方案文件有误", "invalid roster or plan file"),
        check=("方案有违规（不打印）", "the plan breaks a rule (nothing printed)"),
    ),
    "policy": ExitCodes(interrupted=None),
    "backup": ExitCodes(
        data=("备份失败（不留半个文件）", "the backup failed (no partial file is left)"),
        interrupted=None,
    ),
    "restore": ExitCodes(data=("恢复失败", "the restore failed"), interrupted=None),
    "apply": ExitCodes(
        data=UNREADABLE_PLAN,
        check=("方案有违规（不落实，未写出任何文件）", "the plan breaks a rule (nothing written)"),
    ),
}

# command -> [(status, Chinese, English)], in the order the help lists them
EXIT_CODES: dict[str, list[tuple[int, str, str]]] = {
    name: codes.rows() for name, codes in _COMMANDS.items()
}


def exit_code_lines(command: str) -> list[str]:
    """``  0  完成 / done`` … for the command's help."""
    return [f"{code:<4} {zh} / {en}" for code, zh, en in EXIT_CODES.get(command, [])]


def _bilingual_help_option(option: Any) -> Any:
    if option is not None:
        option.help = HELP_TEXT
    return option


class BilingualCommand(TyperCommand):
    """A command whose help speaks both languages and ends with its exit codes."""

    def get_help_option(self, ctx: Any) -> Any:
        return _bilingual_help_option(super().get_help_option(ctx))

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        super().format_epilog(ctx, formatter)
        if self.name in EXIT_CODES:
            with formatter.section("退出码 / Exit codes"):
                formatter.write_dl(
                    [(str(code), f"{zh} / {en}") for code, zh, en in EXIT_CODES[self.name or ""]]
                )


class BilingualGroup(TyperGroup):
    """The ``rotation`` group: the same help option words."""

    def get_help_option(self, ctx: Any) -> Any:
        return _bilingual_help_option(super().get_help_option(ctx))
