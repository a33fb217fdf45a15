"""Charts and printed papers draw Chinese on a fresh machine: the project ships its font."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

from rotation.io import fonts  # noqa: E402
from workflows.exports.chart_fonts import chart_labels, cjk_family  # noqa: E402


def test_the_shipped_font_covers_the_words_of_a_report_and_common_names() -> None:
    assert fonts.REGULAR.exists() and fonts.BOLD.exists()
    assert fonts.covers(
        "交流轮岗方案 达标单位 岗位需求填补 差异系数 骨干教师 乡镇中心小学 王秀英 欧阳"
    )
    assert not fonts.covers("𠀀")  # outside GB 2312: the check can say no


def test_charts_use_a_chinese_font_and_draw_chinese_without_missing_glyphs(tmp_path) -> None:
    import matplotlib.pyplot as plt

    assert cjk_family() is not None
    assert chart_labels()("情景", "scenario") == "情景"
    fig, ax = plt.subplots()
    ax.bar(["达标单位", "岗位需求填补"], [3, 5])
    ax.set_title("情景对比（2026学年）")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        fig.savefig(tmp_path / "chart.png")
    plt.close(fig)
