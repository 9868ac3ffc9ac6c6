"""Batch generation: every reply, feedback form and the annual report from a ledger or a year.

``options`` (what to make, how), ``sources`` (what is read), ``plan`` (what a case yields),
``worker`` (build, check, render), ``manifest`` (resume), ``result`` (what comes back),
``run`` (the two passes).
"""

from gongwen.batch.manifest import MANIFEST
from gongwen.batch.options import KINDS, BatchOptions
from gongwen.batch.result import STATUS_LABELS, BatchResult
from gongwen.batch.run import BatchRun, render_all

__all__ = [
    "KINDS",
    "MANIFEST",
    "STATUS_LABELS",
    "BatchOptions",
    "BatchResult",
    "BatchRun",
    "render_all",
]
