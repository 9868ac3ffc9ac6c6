"""Batch generation from a ledger or a year: every reply, feedback form, the report, a manifest."""

from gongwen.batch.run import KINDS, MANIFEST, STATUS_LABELS, BatchResult, BatchRun, render_all

__all__ = ["KINDS", "MANIFEST", "STATUS_LABELS", "BatchResult", "BatchRun", "render_all"]
