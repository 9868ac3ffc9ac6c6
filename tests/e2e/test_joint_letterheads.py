"""Two-line marks and joint letterheads (联合行文) on the printed page (issue #12): a sweep over
the number of co-issuing organs and the lengths of their names, both formats — every letter
passes the page rules (P1–P8), and the mark prints as many lines as configured, each inside the
170 mm rules (letter) or, with one “文件” at their right, the 156 mm text width (file)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from gongwen import Converter, HandlingYear, Organisation, render_reply
from gongwen import standard as gb
from gongwen.documents.reply import Variant
from gongwen.findings import Severity
from gongwen.verify.document import Kind
from gongwen.verify.layout import read_pages
from gongwen.verify.pages import check_pdf
from tests.conftest import TODAY

pytestmark = pytest.mark.libreoffice

_WORDS = "东江市临湖区经济和信息化发展改革规划建设管理委员会办公室人力资源"
TOL_MM = 0.6


def _name(length: int) -> str:
    return _WORDS[: length - 1] + "局"


def _configs(org: Organisation) -> Iterator[tuple[str, Organisation]]:
    for count, lengths in ((1, (9,)), (1, (24,)), (2, (6, 18)), (3, (13, 16, 24))):
        names = tuple(_name(n) for n in lengths)
        yield (
            f"联合行文{count + 1}个机关{lengths}",
            org.model_copy(update={"joint_letterheads": names}),
        )
    for first, second in (
        ("东江市临湖区人力资源", "和社会保障局"),
        ("××市××区", "人力资源和社会保障局"),
    ):
        yield (
            f"两行标志{first}/{second}",
            org.model_copy(update={"letterhead": None, "letterhead_lines": (first, second)}),
        )


def test_sweep_of_joint_and_two_line_marks(
    example_year: HandlingYear, example_org: Organisation, converter: Converter
) -> None:
    rec = next(r for r in example_year.cases if r.case.label == "建议072")
    assert rec.reply is not None
    failures: list[str] = []
    for label, org in _configs(example_org):
        for variant in ("letter", "file"):
            v: Variant = "file" if variant == "file" else "letter"
            doc = render_reply(rec.case, rec.reply, org, variant=v, today=TODAY, check=False)
            pdf = converter.to_pdf(doc.data)
            kind = Kind.LETTER if v == "letter" else Kind.DOCUMENT
            errors = [f for f in check_pdf(pdf, kind) if f.severity is Severity.ERROR]
            if errors:
                failures.append(f"{label} {variant}：{'；'.join(f.message for f in errors)}")
            page = read_pages(pdf)[0]
            marks = [ln for ln in page.lines if ln.red and ln.size >= 20]
            names = [ln for ln in marks if re.sub(r"\s", "", ln.text) != "文件"]
            rows = sorted({round(ln.top) for ln in names})
            if len(rows) != len(org.mark_rows):
                failures.append(f"{label} {variant}：标志排成{len(rows)}行")
            printed = "".join(re.sub(r"\s", "", ln.text) for ln in names)
            if printed.replace("文件", "") != "".join(org.mark_rows):
                failures.append(f"{label} {variant}：标志文字为“{printed}”")
            if v == "letter":
                left = (gb.PAGE_WIDTH_MM - gb.LETTER_RULE_LENGTH_MM) / 2
                right = left + gb.LETTER_RULE_LENGTH_MM
                red_rules = [r for r in page.rules if r.red]
                rule_top = min(r.top for r in red_rules)
                if max(ln.bottom for ln in marks) > rule_top:
                    failures.append(f"{label} {variant}：标志压住红色双线")
            else:
                left = gb.MARGIN_LEFT_MM
                right = left + gb.TEXT_WIDTH_MM
                if not any(re.sub(r"\s", "", ln.text).endswith("文件") for ln in marks):
                    failures.append(f"{label} {variant}：没有“文件”")
            if (
                min(ln.x0 for ln in marks) < left - TOL_MM
                or max(ln.x1 for ln in marks) > right + TOL_MM
            ):
                failures.append(f"{label} {variant}：标志超出{right - left:g}毫米")
    assert not failures, "\n".join(failures)
