"""The options of a batch run, checked once (Chinese messages for a bad value)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gongwen.documents.plan import GROUPS
from gongwen.documents.reply import Variant

__all__ = ["KINDS", "MAX_AUTO_WORKERS", "BatchOptions", "auto_workers"]

#: What a batch can make (``--what``): replies, feedback forms, the annual report.
KINDS = GROUPS
#: ``workers=0`` uses one process per core, at most this many.
MAX_AUTO_WORKERS = 4


def auto_workers() -> int:
    """One worker process per core this process may use, at most :data:`MAX_AUTO_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_AUTO_WORKERS, cores))


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs.

    ``what``: any of ``replies``, ``forms``, ``report``. ``workers``: processes that build,
    check and render (1: this process only; 0: one per core, see :func:`auto_workers`).
    ``force``: overwrite files not made from this input. ``merge``: also the bound volume of
    replies. ``today``: the date the checks take as today. ``narrative``: the report's text.
    ``bodies``: a folder of reply texts for a ledger. ``variant``: ``letter`` or ``file``.
    """

    what: frozenset[str] = KINDS
    workers: int = 1
    force: bool = False
    merge: bool = False
    today: date | None = None
    narrative: str | None = None
    bodies: Path | None = None
    variant: Variant = "letter"

    def __post_init__(self) -> None:
        what = self.what
        if isinstance(what, str):
            what = frozenset({what})
        what = frozenset(what)
        unknown = what - KINDS
        if unknown:
            raise ValueError(
                f"未知的文档类别：{'、'.join(sorted(unknown))}（可选 replies、forms、report）"
            )
        if not what:
            raise ValueError("至少要生成一类文档（replies、forms、report）")
        object.__setattr__(self, "what", what)
        if isinstance(self.workers, bool) or not isinstance(self.workers, int):
            raise ValueError(f"并行进程数应为整数，而不是 {self.workers!r}")
        if self.workers < 0:
            raise ValueError(f"并行进程数不能为负数：{self.workers}")
        if self.variant not in ("letter", "file"):
            raise ValueError(
                f"答复函格式应为 letter（信函）或 file（文件），而不是 {self.variant!r}"
            )
        if self.today is not None and not isinstance(self.today, date):
            raise ValueError(f"today 应为日期，而不是 {self.today!r}")
        if self.bodies is not None and not isinstance(self.bodies, Path):
            object.__setattr__(self, "bodies", Path(self.bodies))

    @classmethod
    def of(
        cls,
        *,
        what: Iterable[str] = KINDS,
        workers: int = 1,
        force: bool = False,
        merge: bool = False,
        today: date | None = None,
        narrative: str | None = None,
        bodies: str | os.PathLike[str] | None = None,
        variant: Variant = "letter",
    ) -> BatchOptions:
        """Options from the keyword arguments of :func:`gongwen.batch.render_all`."""
        return cls(
            frozenset(what),
            workers,
            force,
            merge,
            today,
            narrative,
            Path(bodies) if bodies is not None else None,
            variant,
        )

    @property
    def processes(self) -> int:
        """The number of worker processes to use (``workers``, or :func:`auto_workers` for 0)."""
        return self.workers or auto_workers()
