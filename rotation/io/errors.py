"""What is wrong with an input file, said in Chinese with English alongside.

Every problem the importer finds becomes one ``Problem`` (file, spreadsheet row,
column, the value, what was expected, a suggestion where one is obvious); a file
with any problem is rejected whole with a ``DatasetError`` listing all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rotation.io.columns import column_label_zh
from rotation.io.encoding import UndecodableError

# kind -> (what is wrong, in Chinese; in English)
_ISSUES: dict[str, tuple[str, str]] = {
    "invalid": ("不是有效值", "is not a valid value"),
    "blank": ("不能为空", "must not be blank"),
    "out_of_range": ("超出允许范围", "is out of range"),
    "duplicate": ("重复", "is a duplicate"),
    "unknown_school": ("不是已登记的学校", "is not a known school"),
    "unknown_teacher": ("不是名册中的教师", "is not a teacher in the roster"),
    "stage_not_offered": ("该校不设此学段", "is a stage the school does not offer"),
    "missing_column": ("缺少必需的列", "required column is missing"),
    "duplicate_column": ("列重复出现", "column appears more than once"),
    "missing_table": ("缺少必需的表", "required table is missing"),
    "empty_table": ("没有数据行", "has no data rows"),
    "bad_path": ("无法读取", "cannot be read"),
    "not_found": ("路径不存在", "path does not exist"),
    "undecodable": ("无法识别文件编码", "cannot be decoded"),
    "too_large": ("超出读取上限，未读取", "is past a reading limit, not read"),
    "bad_file": ("无法读取", "cannot be read"),
    "merged_cell": ("位于合并单元格中", "lies in a merged cell"),
    "uncached_formula": ("是没有保存结果的公式", "is a formula without a saved result"),
    "ambiguous_date": ("含义不明确", "is ambiguous"),
    "header_not_found": ("找不到表头", "no header row found"),
    "missing_needs": ("无法确定岗位需求", "needs cannot be determined"),
    # warnings: the roster loads, and the officer is told
    "unknown_column": ("列未识别，已忽略", "column not recognised, ignored"),
    "absent_column": ("可选列缺失或全部为空", "optional column missing or blank"),
    "title_rows": ("表头上方的标题行已跳过", "title rows above the header were skipped"),
    "stopped_reading": (
        "其后为大量空行，已停止读取",
        "followed by a long run of blank rows; reading stopped",
    ),
    "implausible": ("数值可疑", "looks implausible"),
}


_WHOLE_FILE = (
    "missing_table", "empty_table", "bad_path", "not_found", "undecodable", "too_large",
    "bad_file", "header_not_found", "missing_needs", "title_rows", "stopped_reading",
)  # fmt: skip
# kinds whose ``expected`` explains rather than lists what is expected: "说明" / "note"
_NOTES = (
    "implausible", "unknown_column", "absent_column", "title_rows", "stopped_reading",
    "merged_cell", "uncached_formula", "ambiguous_date",
)  # fmt: skip
_COLUMN_ONLY = ("missing_column", "duplicate_column", "unknown_column", "absent_column")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as a spreadsheet shows it (header = row 1)."""

    file: str
    row: int | None
    column: str | None
    value: str
    expected: str  # in Chinese (codes in English alongside where they exist)
    suggestion: str | None = None
    kind: str = "invalid"
    expected_en: str = ""
    table: str = ""  # schools / teachers / needs, to name the column in Chinese

    def message(self, lang: str = "zh") -> str:
        """One line; ``zh`` gives Chinese with English alongside, ``en`` English only."""
        if lang == "en":
            return self._english()
        return f"{self._chinese()} / {self._english()}"

    def _chinese(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第{self.row}行"
        issue = _ISSUES.get(self.kind, _ISSUES["invalid"])[0]
        subject = column_label_zh(self.table, self.column) if self.column else ""
        if self.kind == "unknown_column":
            text = f"{where}：“{self.value}”{issue}"
        elif self.kind in _COLUMN_ONLY:
            text = f"{where}：{issue} {subject}"
        elif self.kind in _WHOLE_FILE:
            text = f"{where}：{issue}"
        else:
            text = f'{where}：{subject} "{self.value}" {issue}'
        if self.suggestion:
            text += f'；是否为 "{self.suggestion}"?'
        if self.expected:
            text += f"（{'说明' if self.kind in _NOTES else '应为'}：{self.expected}）"
        return text

    def _english(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        issue = _ISSUES.get(self.kind, _ISSUES["invalid"])[1]
        if self.kind == "unknown_column":
            text = f'{where}: "{self.value}" {issue}'
        elif self.kind in _COLUMN_ONLY:
            text = f"{where}: {issue}: {self.column}"
        elif self.kind in _WHOLE_FILE:
            text = f"{where}: {issue}"
        else:
            text = f'{where}: {self.column or "value"} "{self.value}" {issue}'
        if self.suggestion:
            text += f'; did you mean "{self.suggestion}"?'
        expected = self.expected_en or self.expected
        if expected:
            text += f" ({'note' if self.kind in _NOTES else 'expected'}: {expected})"
        return text


class DatasetError(ValueError):
    """An input rejected whole, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.report())

    def report(self, lang: str = "zh") -> str:
        head = (
            f"数据有 {len(self.problems)} 处问题，未导入任何数据 / "
            f"{len(self.problems)} problem(s) found, nothing was loaded:"
            if lang != "en"
            else f"{len(self.problems)} problem(s) found, nothing was loaded:"
        )
        return "\n".join([head, *(p.message(lang) for p in self.problems)])


def file_error(
    file: str, kind: str, expected: str, expected_en: str, value: str = "", table: str = ""
) -> DatasetError:
    """A whole file rejected for one reason (no row, no column)."""
    return DatasetError(
        [
            Problem(
                file=file,
                row=None,
                column=None,
                value=value,
                expected=expected,
                expected_en=expected_en,
                kind=kind,
                table=table,
            )
        ]
    )


def missing_file(
    path: Path,
    expected: str,
    expected_en: str,
    kind: Literal["not_found", "bad_path"] = "not_found",
) -> DatasetError:
    """A file that is not there, named by the path as given."""
    return file_error(str(path), kind, expected, expected_en, value=str(path))


def undecodable_csv(path: Path, error: UndecodableError) -> DatasetError:
    """A CSV file whose bytes are not text in an encoding the importer reads."""
    return file_error(
        path.name,
        "undecodable",
        "UTF-8 或 GB18030 编码的 CSV",
        "a UTF-8 or GB18030 CSV",
        value=str(error),
    )
