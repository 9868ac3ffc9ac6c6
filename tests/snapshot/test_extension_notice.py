"""The extension notice (延期办理告知函): a normalised view of the docx, pinned."""

from __future__ import annotations

from datetime import date

from syrupy.assertion import SnapshotAssertion

from gongwen import HandlingYear, Organisation
from gongwen.api import render_extension_notice
from gongwen.documents.extension import ExtensionNotice
from tests.conftest import TODAY
from tests.conftest import record_by_label as _record
from tests.docview import docx_view


def test_extension_notice_snapshot(
    example_year: HandlingYear, example_org: Organisation, snapshot: SnapshotAssertion
) -> None:
    views = {}
    for label, notice in (
        ("提案008", ExtensionNotice(date(2024, 6, 10), "临经信函〔2024〕9号")),
        ("提案015", ExtensionNotice(date(2024, 6, 12))),  # a collective; serial left blank
    ):
        case = _record(example_year, label).case.model_copy(
            update={"extended_to": date(2024, 8, 15), "extension_reason": "需会同区财政局研究"}
        )
        doc = render_extension_notice(case, notice, example_org, today=TODAY)
        views[doc.name] = docx_view(doc.to_bytes())
    assert views == snapshot
