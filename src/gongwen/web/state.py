"""What the web app shares between requests: its settings and one warm LibreOffice converter.

The pages (``gongwen.web.pages``) and the HTTP API (``gongwen.web.api_v1``) both reach it as
``request.app.state.gongwen`` (a :class:`WebState`), set by ``gongwen.web.app.create_app``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from gongwen.preview import Converter

#: Largest upload accepted (ledgers, organisation files, docx to verify): 20 MB.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Longest wait for one conversion before the request fails with a Chinese message.
CONVERT_TIMEOUT = 60.0


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


@dataclass
class WebState:
    """Shared by all requests of one app; thread-safe (FastAPI runs sync handlers in threads)."""

    settings: WebSettings
    _converter: Converter | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def to_pdf(self, docx: bytes) -> bytes:
        """docx → PDF through the one warm converter, started on first use (one at a time)."""
        with self._lock:
            if self._converter is None:
                self._converter = Converter()
            return self._converter.to_pdf(docx, timeout=CONVERT_TIMEOUT)

    def close(self) -> None:
        """Stop the converter (on app shutdown)."""
        with self._lock:
            if self._converter is not None:
                self._converter.close()
                self._converter = None
