"""The options of a batch run, checked once (Chinese messages for a bad value)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gongwen.documents.plan import GROUPS
from gongwen.documents.reply import Variant
from gongwen.errors import ArgumentError, InvalidOption

__all__ = [
    "KINDS",
    "MAX_AUTO_WORKERS",
    "MAX_NARRATIVE_CHARS",
    "WORKERS_PER_CORE",
    "BatchOptions",
    "auto_workers",
    "cores",
    "max_workers",
]

#: What a batch can make (``--what``): replies, feedback forms, the annual report.
KINDS = GROUPS
#: ``workers=0`` uses one process per core, at most this many.
MAX_AUTO_WORKERS = 4
#: At most this many worker processes per core (more only costs memory and start-up time).
WORKERS_PER_CORE = 4
#: The longest report narrative accepted (characters).
MAX_NARRATIVE_CHARS = 200_000


def cores() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def auto_workers() -> int:
    """One worker process per core this process may use, at most :data:`MAX_AUTO_WORKERS`."""
    return max(1, min(MAX_AUTO_WORKERS, cores()))


def max_workers() -> int:
    """The most worker processes a batch may start: :data:`WORKERS_PER_CORE` per core."""
    return WORKERS_PER_CORE * cores()


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs.

    ``what``: any of ``replies``, ``forms``, ``report``. ``workers``: processes that build,
    check and render (1: this process only; 0: one per core, see :func:`auto_workers`; at most
    :func:`max_workers`). ``force``: overwrite files not made from this input. ``merge``: also
    the bound volume of replies. ``today``: the date the checks take as today. ``narrative``:
    the report's text. ``bodies``: a folder of reply texts for a ledger. ``variant``:
    ``letter`` or ``file``. ``sheet``: the worksheet of an .xlsx ledger (default: the active
    visible one). ``allow_partial``: write the report even when some ledger rows could not be
    read (it then says how many were left out). ``templates``: a folder of the unit's own
    templates, by the Chinese names ``gongwen template init`` gives them (a kind not there uses
    the bundled template); each is checked once before anything is written.
    """

    what: frozenset[str] = KINDS
    workers: int = 1
    force: bool = False
    merge: bool = False
    today: date | None = None
    narrative: str | None = None
    bodies: Path | None = None
    variant: Variant = "letter"
    sheet: str | None = None
    allow_partial: bool = False
    #: Leave replies without 发文字号 unnumbered (a draft prints ``〔2024〕  号`` to fill in).
    draft: bool = False
    #: The merged file for single-sided printing: letters follow on the next page, not the
    #: next odd page.
    simplex: bool = False
    #: Run the page rules (P1–P8) on each output through one warm LibreOffice (issue 12).
    verify_pages: bool = False
    #: A unit's own templates (``gongwen template init`` folder): each kind's file there is
    #: used instead of the bundled one (see :mod:`gongwen.batch.templates`).
    templates: Path | None = None

    def __post_init__(self) -> None:
        what = self.what
        if isinstance(what, str):
            what = frozenset({what})
        try:
            what = frozenset(what)
        except TypeError:
            raise ArgumentError(
                f"参数 what 应为文档类别的集合，收到 {type(what).__name__}", argument="what"
            ) from None
        unknown = {w for w in what if w not in KINDS}
        if unknown:
            raise InvalidOption(
                f"未知的文档类别：{'、'.join(sorted(map(str, unknown)))}"
                "（可选 replies、forms、report）",
                argument="what",
            )
        if not what:
            raise InvalidOption("至少要生成一类文档（replies、forms、report）", argument="what")
        object.__setattr__(self, "what", what)
        if isinstance(self.workers, bool) or not isinstance(self.workers, int):
            raise InvalidOption(f"并行进程数应为整数，而不是 {self.workers!r}", argument="workers")
        if self.workers < 0:
            raise InvalidOption(f"并行进程数不能为负数：{self.workers}", argument="workers")
        limit = max_workers()
        if self.workers > limit:
            raise InvalidOption(
                f"并行进程数 {self.workers} 过多：最多 {limit} 个"
                f"（处理器核数 {cores()} 的 {WORKERS_PER_CORE} 倍）",
                argument="workers",
            )
        if self.variant not in ("letter", "file"):
            raise InvalidOption(
                f"答复函格式应为 letter（信函）或 file（文件），而不是 {self.variant!r}",
                argument="variant",
            )
        if self.today is not None and not isinstance(self.today, date):
            raise InvalidOption(f"today 应为日期，而不是 {self.today!r}", argument="today")
        for flag in ("force", "merge", "allow_partial", "draft", "simplex", "verify_pages"):
            if not isinstance(getattr(self, flag), bool):
                raise InvalidOption(
                    f"参数 {flag} 应为 True 或 False，而不是 {getattr(self, flag)!r}",
                    argument=flag,
                )
        if self.narrative is not None:
            if not isinstance(self.narrative, str):
                raise InvalidOption(
                    f"工作总结正文 narrative 应为文本，收到 {type(self.narrative).__name__}",
                    argument="narrative",
                )
            if len(self.narrative) > MAX_NARRATIVE_CHARS:
                raise InvalidOption(
                    f"工作总结正文过长：{len(self.narrative)} 字，上限 {MAX_NARRATIVE_CHARS} 字",
                    argument="narrative",
                )
        if self.sheet is not None and not isinstance(self.sheet, str):
            raise InvalidOption(
                f"工作表名 sheet 应为文本，收到 {type(self.sheet).__name__}", argument="sheet"
            )
        if self.bodies is not None and not isinstance(self.bodies, Path):
            if not isinstance(self.bodies, str | os.PathLike):
                raise InvalidOption(
                    f"答复正文文件夹 bodies 应为路径，收到 {type(self.bodies).__name__}",
                    argument="bodies",
                )
            object.__setattr__(self, "bodies", Path(self.bodies))
        if self.templates is not None and not isinstance(self.templates, Path):
            if not isinstance(self.templates, str | os.PathLike):
                raise InvalidOption(
                    f"模板文件夹 templates 应为路径，收到 {type(self.templates).__name__}",
                    argument="templates",
                )
            object.__setattr__(self, "templates", Path(self.templates))

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
        sheet: str | None = None,
        allow_partial: bool = False,
        draft: bool = False,
        simplex: bool = False,
        verify_pages: bool = False,
        templates: str | os.PathLike[str] | None = None,
    ) -> BatchOptions:
        """Options from the keyword arguments of :func:`gongwen.batch.render_all`."""
        if isinstance(what, str):
            what = (what,)
        try:
            kinds = frozenset(what)
        except TypeError:
            raise ArgumentError(
                f"参数 what 应为文档类别的集合，收到 {type(what).__name__}", argument="what"
            ) from None
        if bodies is not None and not isinstance(bodies, str | os.PathLike):
            raise InvalidOption(
                f"答复正文文件夹 bodies 应为路径，收到 {type(bodies).__name__}",
                argument="bodies",
            )
        return cls(
            kinds,
            workers,
            force,
            merge,
            today,
            narrative,
            Path(bodies) if bodies is not None else None,
            variant,
            sheet,
            allow_partial,
            draft,
            simplex,
            verify_pages,
            Path(templates) if isinstance(templates, str | os.PathLike) else templates,
        )

    @property
    def processes(self) -> int:
        """The number of worker processes to use (``workers``, or :func:`auto_workers` for 0)."""
        return self.workers or auto_workers()
