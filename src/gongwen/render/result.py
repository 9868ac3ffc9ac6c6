"""The result of rendering: bytes, the findings that travelled with it, atomic saving."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gongwen.errors import OutputExists
from gongwen.findings import Finding
from gongwen.output.atomic import atomic_write


@dataclass(frozen=True)
class RenderedDocument:
    """A rendered .docx in memory, with the warnings the checks found."""

    data: bytes = field(repr=False)
    kind: str
    name: str
    findings: tuple[Finding, ...] = ()

    def to_bytes(self) -> bytes:
        """The .docx file content."""
        return self.data

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write atomically (temp file + rename); return the file's path.

        ``path`` is the file, or a folder to write :attr:`name` into: an existing folder, or a
        path ending with a separator (``"out/"``), which is created. An existing file is not
        replaced unless ``overwrite`` (:class:`OutputExists`).
        """
        text = os.fspath(path)
        target = Path(text)
        if target.is_dir() or text.endswith(("/", os.sep)):
            target = target / self.name
        if target.exists() and not overwrite:
            raise OutputExists(f"文件已存在：{target}", path=target)
        return atomic_write(target, self.data)
