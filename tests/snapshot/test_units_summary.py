"""The summary across several units: a normalised view of the docx, pinned."""

from __future__ import annotations

from syrupy.assertion import SnapshotAssertion

from gongwen import Organisation
from gongwen.api import render_units_summary
from tests.docview import docx_view
from tests.unit.test_units_summary import AS_OF, _org, _units


def test_units_summary_snapshot(example_org: Organisation, snapshot: SnapshotAssertion) -> None:
    doc = render_units_summary(
        _units(), _org(example_org), doc_number="临政办〔2024〕30号", report_date=AS_OF
    )
    assert docx_view(doc.to_bytes()) == snapshot
