"""The report's chart: result classes and satisfaction, drawn with matplotlib (Agg backend).

matplotlib is an optional dependency (``pip install gongwen[chart]``). Chinese labels use Noto
Sans CJK when it is installed, else any CJK font matplotlib knows.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from gongwen.errors import ChartUnavailable
from gongwen.models.organisation import Organisation
from gongwen.models.year import HandlingYear
from gongwen.stats import YearStats, compute_stats

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
)
CHART_SIZE_IN = (6.2, 2.9)
CHART_DPI = 200


@cache
def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ChartUnavailable("生成图表需要 matplotlib：pip install 'gongwen[chart]'") from None
    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [name for name in CJK_FAMILIES if name in installed]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = [*cjk, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.hashsalt"] = "gongwen"
    return plt


def stats_chart(stats: YearStats, decimals: int = 1) -> bytes:
    """PNG bytes: left, cases by result class; right, attitude and result satisfaction."""
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=CHART_SIZE_IN, dpi=CHART_DPI)
    try:
        codes = [f"{c.code}类" for c in stats.by_class]
        counts = [c.count for c in stats.by_class]
        bars = left.bar(codes, counts, color="#4a6fa5", width=0.55)
        left.bar_label(bars, labels=[f"{n}件" for n in counts], fontsize=8)
        left.set_title(f"答复类别（共{stats.classed}件）", fontsize=10)
        left.set_ylim(0, max([*counts, 1]) * 1.25)
        left.set_yticks([])

        groups = ["办理态度", "办理结果"]
        pairs = [
            (stats.attitude_satisfied, stats.attitude_satisfied_or_basic),
            (stats.result_satisfied, stats.result_satisfied_or_basic),
        ]
        x = range(len(groups))
        width = 0.36
        for offset, idx, label, color in (
            (-width / 2, 0, "满意率", "#4a6fa5"),
            (width / 2, 1, "满意和基本满意率", "#9bb7d4"),
        ):
            values = [float(p[idx].value or 0) * 100 for p in pairs]
            b = right.bar([i + offset for i in x], values, width, label=label, color=color)
            right.bar_label(b, labels=[p[idx].format(decimals) for p in pairs], fontsize=7)
        right.set_xticks(list(x), groups)
        right.set_ylim(0, 140)
        right.set_yticks([])
        right.set_title(f"满意度（收回意见表{stats.forms_returned}份）", fontsize=10)
        right.legend(fontsize=7, loc="upper center", ncol=2, frameon=False)
        for ax in (left, right):
            for side in ("top", "right", "left"):
                ax.spines[side].set_visible(False)
            ax.tick_params(labelsize=9)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(fig)


def year_chart(year: HandlingYear, org: Organisation) -> bytes:
    """PNG bytes of :func:`stats_chart` for ``year`` under ``org``'s configuration."""
    stats = compute_stats(year, org.config, own_unit=org.name)
    return stats_chart(stats, org.config.decimals)
