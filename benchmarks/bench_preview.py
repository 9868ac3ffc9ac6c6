"""Preview speed: cold ``soffice --convert-to pdf`` per letter vs one warm LibreOffice over UNO.

    python benchmarks/bench_preview.py [--n 50] [--runs 5]

1. median time per one-page letter, cold (gongwen.preview.to_pdf) vs warm (Converter.to_pdf);
2. a batch of N different letters: N cold calls vs one Converter (start-up included).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

try:
    from gongwen.preview import Converter, to_pdf
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from gongwen.preview import Converter, to_pdf

BODY = (
    "您提出的关于加强城市公共交通建设的建议收悉。经认真研究，现答复如下：近年来，我局坚持公交优先"
    "发展战略，持续优化线网布局，2024年新开、优化公交线路12条，新增公交站点86个，公交站点500米"
    "覆盖率达到98.5%。下一步，我们将结合您的建议，进一步加密中心城区与新建小区之间的线路，"
    "推进公交专用道建设，提升群众出行满意度。感谢您对公共交通工作的关心和支持。"
)


def _run(para: object, text: str, font: str, size: float) -> None:
    run = para.add_run(text)  # type: ignore[attr-defined]
    run.font.size = Pt(size)
    rpr = run._r.get_or_add_rPr()
    rfonts = OxmlElement("w:rFonts")
    for attr in ("ascii", "hAnsi", "eastAsia"):
        rfonts.set(qn(f"w:{attr}"), font)
    rfonts.set(qn("w:hint"), "eastAsia")
    rpr.insert(0, rfonts)


def letter(i: int) -> bytes:
    """A one-page reply letter; ``i`` varies the text so no two documents are equal."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.left_margin, sec.right_margin, sec.bottom_margin = (
        Mm(37),
        Mm(28),
        Mm(26),
        Mm(35),
    )
    lines = [
        (f"关于第{i + 1}号建议的答复", "方正小标宋简体", 22),
        (f"代表{i + 1}：", "仿宋_GB2312", 16),
        ("一、基本情况", "黑体", 16),
        ("（一）线网优化", "楷体_GB2312", 16),
        (BODY, "仿宋_GB2312", 16),
        ("市交通运输局", "仿宋_GB2312", 16),
        ("2024年7月1日", "仿宋_GB2312", 16),
    ]
    for text, font, size in lines:
        para = doc.add_paragraph()
        para.paragraph_format.line_spacing = Pt(28.95)
        _run(para, text, font, size)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="letters in the batch (default 50)")
    parser.add_argument("--runs", type=int, default=5, help="runs for the medians (default 5)")
    args = parser.parse_args()
    docs = [letter(i) for i in range(max(args.n, args.runs))]

    cold = [timed(partial(to_pdf, d)) for d in docs[: args.runs]]

    t0 = time.perf_counter()
    with Converter() as conv:
        if not conv.warm:
            raise SystemExit("python3-uno 不可用：没有常驻模式可测。")
        startup = time.perf_counter() - t0
        first = timed(partial(conv.to_pdf, docs[0]))
        warm = [timed(partial(conv.to_pdf, d)) for d in docs[1 : args.runs + 1]]

    def warm_batch() -> None:
        # start-up, N conversions and shutdown: what a fresh batch costs
        with Converter() as batch:
            for d in docs[: args.n]:
                batch.to_pdf(d)

    def cold_batch() -> None:
        for d in docs[: args.n]:
            to_pdf(d)

    batch_warm = timed(warm_batch)
    batch_cold = timed(cold_batch)

    cold_med, warm_med = statistics.median(cold), statistics.median(warm)
    load = os.getloadavg()[0]
    print(f"LibreOffice preview, one-page letter; {os.cpu_count()} CPUs, load {load:.2f}")
    print()
    print(f"| {'measure':<44} | {'cold':>9} | {'warm':>9} | {'speed-up':>8} |")
    print(f"|{'-' * 46}|{'-' * 11}|{'-' * 11}|{'-' * 10}|")
    print(
        f"| {'median per letter (' + str(args.runs) + ' runs)':<44} | {cold_med:8.3f}s |"
        f" {warm_med:8.3f}s | {cold_med / warm_med:7.1f}x |"
    )
    print(
        f"| {'batch of ' + str(args.n) + ' letters (warm: incl. start/stop)':<44} |"
        f" {batch_cold:8.2f}s | {batch_warm:8.2f}s | {batch_cold / batch_warm:7.1f}x |"
    )
    print(
        f"| {'per letter in the batch':<44} | {batch_cold / args.n:8.3f}s |"
        f" {batch_warm / args.n:8.3f}s |          |"
    )
    print()
    print(f"warm start-up {startup:.2f}s, first warm conversion {first:.3f}s")
    print(f"cold runs: {', '.join(f'{t:.2f}' for t in cold)}")
    print(f"warm runs: {', '.join(f'{t:.3f}' for t in warm)}")


if __name__ == "__main__":
    main()
