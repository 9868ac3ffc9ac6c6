"""What the web app shares between requests: its settings, the store and one warm converter.

The pages (``gongwen.web.pages``) and the HTTP API (``gongwen.web.api_v1``) both reach it as
``request.app.state.gongwen`` (a :class:`WebState`), set by ``gongwen.web.app.create_app``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gongwen.preview import Converter

if TYPE_CHECKING:
    from gongwen.findings import Finding
    from gongwen.models.organisation import Organisation
    from gongwen.store import Store

#: Largest upload accepted (ledgers, organisation files, docx to verify): 20 MB.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Longest wait for one conversion before the request fails with a Chinese message.
CONVERT_TIMEOUT = 60.0
#: The database file inside ``--data``.
DATABASE_NAME = "gongwen.sqlite3"
#: Page previews kept in memory (by case, revision and reply).
PREVIEW_CACHE = 32


@dataclass(frozen=True)
class WebSettings:
    """How ``gongwen serve`` was started."""

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    #: Required on every write when the server listens beyond the loopback interface.
    token: str | None = None
    demo: bool = False
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    #: Start LibreOffice at start-up (in the background), so the first preview is quick.
    warm: bool = False


@dataclass(frozen=True)
class Preview:
    """The laid-out pages of one document: PNG images and the page rules' findings."""

    pages: tuple[bytes, ...]
    findings: tuple[Finding, ...]
    pdf: bytes = field(repr=False)
    seconds: float = 0.0


@dataclass
class WebState:
    """Shared by all requests of one app; thread-safe (FastAPI runs sync handlers in threads)."""

    settings: WebSettings
    _converter: Converter | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _store: Store | None = field(default=None, init=False, repr=False)
    _store_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _previews: OrderedDict[tuple[int, int, str], Preview] = field(
        default_factory=OrderedDict, init=False, repr=False
    )
    _cache_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _making: dict[tuple[int, int, str], Future[Preview | None]] = field(
        default_factory=dict, init=False, repr=False
    )

    @property
    def database(self) -> Path:
        """The SQLite file in ``--data``."""
        return self.settings.data_dir / DATABASE_NAME

    @property
    def store(self) -> Store:
        """The workbench's database, opened (and created) on first use."""
        with self._store_lock:
            if self._store is None:
                from gongwen.store import Store

                self._store = Store(self.database)
            return self._store

    def organisation(self) -> Organisation:
        """The imported organisation (``NoWorkspace`` before any import)."""
        return self.store.organisation()

    def generated_at(self, case_id: int, revision: int) -> bool:
        """True when documents were generated from this revision of the case."""
        return bool(self.store.documents(case_id, revision=revision))

    def preview(
        self, key: tuple[int, int, str], make: Callable[[], Preview | None]
    ) -> Preview | None:
        """The preview of (case id, revision, reply): kept, being made, or made now by ``make``.

        Two requests for the same preview wait for one conversion; the newest
        :data:`PREVIEW_CACHE` previews are kept.
        """
        with self._cache_lock:
            hit = self._previews.get(key)
            if hit is not None:
                self._previews.move_to_end(key)
                return hit
            running = self._making.get(key)
            if running is None:
                mine: Future[Preview | None] = Future()
                self._making[key] = mine
        if running is not None:
            return running.result(timeout=CONVERT_TIMEOUT * 2)
        try:
            made = make()
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        finally:
            with self._cache_lock:
                self._making.pop(key, None)
                if "made" in locals() and made is not None:
                    self._previews[key] = made
                    while len(self._previews) > PREVIEW_CACHE:
                        self._previews.popitem(last=False)
        mine.set_result(made)
        return made

    def warm_up(self) -> None:
        """Start the converter now (``gongwen serve`` does this in a background thread)."""
        with self._lock:
            if self._converter is None:
                self._converter = Converter()
            self._converter.start()

    def to_pdf(self, docx: bytes) -> bytes:
        """docx → PDF through the one warm converter, started on first use (one at a time)."""
        with self._lock:
            if self._converter is None:
                self._converter = Converter()
            return self._converter.to_pdf(docx, timeout=CONVERT_TIMEOUT)

    def close(self) -> None:
        """Stop the converter and close the store (on app shutdown)."""
        with self._lock:
            if self._converter is not None:
                self._converter.close()
                self._converter = None
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
