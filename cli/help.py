"""How the CLI explains itself: bilingual ``--help`` and every command's exit codes.

click writes the help option's own line in English ("Show this message and exit."); the
command classes here give it in Chinese and English. Each command's help ends with the exit
codes it really returns (``EXIT_CODES``, one list per command, tested against real failure
paths in tests/test_cli_help.py).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup

HELP_TEXT = "显示此帮助并退出 / Show this message and exit."

# What each exit status means, in Chinese and English.
DONE = (0, "完成", "done")
BAD_DATA = (1, "数据有误（逐条列出文件、行、列）", "invalid data (every problem listed)")
BAD_ARGUMENTS = (2, "参数无法使用（未做任何工作）", "unusable argument (nothing was done)")
VIOLATIONS = (3, "独立校验发现违规", "the independent check found a violation")
INTERNAL = (4, "内部错误", "internal error")
INTERRUPTED = (130, "已中断（Ctrl-C）", "interrupted (Ctrl-C)")
INTERRUPTED_KEPT = (
    130,
    "已中断（已有方案时写出中断时的最优方案）",
    "interrupted (the best plan so far is written once one exists)",
)

EXIT_CODES: dict[str, list[tuple[int, str, str]]] = {
    "sample": [DONE, BAD_ARGUMENTS, INTERNAL, INTERRUPTED],
    "check-data": [
        (0, "数据有效（提醒照常列出）", "valid (warnings listed)"),
        (
            1,
            "数据有误（--strict 时数值可疑也算）",
            "invalid data (with --strict also implausible values)",
        ),
        BAD_ARGUMENTS,
        INTERNAL,
        INTERRUPTED,
    ],
    "plan": [
        DONE,
        (1, "数据或锁定有误（未写出任何文件）", "invalid data or locks (nothing written)"),
        BAD_ARGUMENTS,
        VIOLATIONS,
        INTERNAL,
        INTERRUPTED_KEPT,
    ],
    "check-plan": [
        (0, "无违规", "no violation"),
        (1, "名册或方案文件无法读取", "the roster or the plan file cannot be read"),
        BAD_ARGUMENTS,
        (3, "方案有违规", "the plan breaks a rule"),
        INTERNAL,
        INTERRUPTED,
    ],
    "allocate": [
        DONE,
        (1, "名册、分数或岗位文件有误", "invalid roster, scores or posts file"),
        BAD_ARGUMENTS,
        (3, "校验发现问题", "the check found a problem"),
        INTERNAL,
        INTERRUPTED_KEPT,
    ],
    "title-posts": [
        DONE,
        BAD_DATA,
        (2, "总数、倾斜幅度、路径或参数无法使用", "unusable totals, tilt, path or option"),
        INTERNAL,
        INTERRUPTED,
    ],
    "serve": [
        (0, "服务已停止", "the service stopped"),
        (
            2,
            "配置或参数无法使用（如未设置令牌）",
            "unusable configuration or option (e.g. no tokens)",
        ),
        INTERNAL,
    ],
    "whatif": [
        DONE,
        (1, "数据或锁定有误", "invalid data or locks"),
        BAD_ARGUMENTS,
        (3, "有方案失败或未通过独立校验", "a scenario failed or broke a rule"),
        INTERNAL,
        (130, "已中断（保留已完成的方案）", "interrupted (scenarios already planned are kept)"),
    ],
    "diff": [
        DONE,
        (1, "方案文件无法读取", "a plan file cannot be read"),
        BAD_ARGUMENTS,
        INTERNAL,
        INTERRUPTED,
    ],
    "outlook": [
        DONE,
        (1, "数据或锁定有误", "invalid data or locks"),
        BAD_ARGUMENTS,
        (3, "有方案推演失败", "a scenario failed"),
        INTERNAL,
        (130, "已中断（保留已完成的方案）", "interrupted (scenarios already done are kept)"),
    ],
    "notices": [
        DONE,
        (1, "名册或方案文件有误", "invalid roster or plan file"),
        BAD_ARGUMENTS,
        (3, "方案有违规（不打印）", "the plan breaks a rule (nothing printed)"),
        INTERNAL,
        INTERRUPTED,
    ],
    "policy": [DONE, BAD_ARGUMENTS, INTERNAL],
    "backup": [
        DONE,
        (1, "备份失败（不留半个文件）", "the backup failed (no partial file is left)"),
        BAD_ARGUMENTS,
        INTERNAL,
    ],
    "restore": [
        DONE,
        (1, "恢复失败", "the restore failed"),
        BAD_ARGUMENTS,
        INTERNAL,
    ],
    "apply": [
        DONE,
        (1, "名册或方案文件无法读取", "the roster or the plan file cannot be read"),
        BAD_ARGUMENTS,
        (3, "方案有违规（不落实，未写出任何文件）", "the plan breaks a rule (nothing written)"),
        INTERNAL,
        INTERRUPTED,
    ],
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
