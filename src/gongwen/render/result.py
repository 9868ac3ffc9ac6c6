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
        """Write atomically (temp file + rename). Refuses to replace a file unless ``overwrite``."""
        target = Path(path)
        if target.is_dir():
            target = target / self.name
        if target.exists() and not overwrite:
            raise OutputExists(
                f"文件已存在：{target}（如需覆盖，请指定 overwrite=True 或 --force）"
            )
        return atomic_write(target, self.data)
