"""``manifest.json`` and the journal: what earlier runs wrote, and resuming after a crash.

Each output is journaled (one JSON line, flushed) before its file is renamed in place, so an
interrupted run leaves a journal naming every complete file; the next run skips those whose
input is unchanged and whose bytes still match. A finished run writes ``manifest.json``
atomically and removes the journal.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO, Any

from gongwen.errors import OutputError
from gongwen.output.atomic import atomic_file, atomic_write, os_error

__all__ = ["JOURNAL", "MANIFEST", "Manifest", "complete", "previous", "sha_file"]

MANIFEST = "manifest.json"
JOURNAL = ".gongwen-journal.jsonl"

Entry = dict[str, Any]


def sha_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MB pieces."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def previous(out_dir: Path | None) -> dict[str, Entry]:
    """Outputs of earlier runs: manifest.json plus the journal of an interrupted run."""
    old: dict[str, Entry] = {}
    if out_dir is None:
        return old
    path = out_dir / MANIFEST
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for e in data.get("outputs", []):
                old[e["file"]] = e
        except (ValueError, KeyError, TypeError, AttributeError):
            old = {}
    journal = out_dir / JOURNAL
    if journal.is_file():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                e = json.loads(line)
                old[e["file"]] = e
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by the interruption
    return old


def complete(out_dir: Path, old: dict[str, Entry], name: str, input_hash: str) -> bool:
    """The file exists, was written for this very input, and is intact."""
    e = old.get(name)
    path = out_dir / name
    return (
        e is not None
        and e.get("input") == input_hash
        and path.is_file()
        and sha_file(path) == e.get("sha256")
    )


def entry(
    name: str,
    kind: str,
    label: str | None,
    row: int | None,
    sha: str | None,
    input_hash: str | None,
) -> Entry:
    """One line of the manifest."""
    return {
        "file": name,
        "case": label,
        "row": row,
        "kind": kind,
        "sha256": sha,
        "input": input_hash,
    }


class Manifest:
    """Previous outputs (manifest.json + the journal of an interrupted run) and this run's."""

    def __init__(self, out_dir: Path, old: dict[str, Entry]) -> None:
        self.dir = out_dir
        self.old = old
        self.new: dict[str, Entry] = {}
        self._journaled = False
        path = out_dir / JOURNAL
        try:
            self._journal: IO[str] = path.open("a", encoding="utf-8")
        except OSError as exc:
            raise os_error(exc, path) from None

    def complete(self, name: str, input_hash: str) -> bool:
        """The file exists, was written for this very input, and is intact."""
        return complete(self.dir, self.old, name, input_hash)

    def add(self, e: Entry, *, journal: bool = True) -> None:
        """Record an output; journaled ones must be :meth:`flush`-ed before the rename."""
        self.new[e["file"]] = e
        if journal:
            line = json.dumps(e, ensure_ascii=False) + "\n"
            self._journal.write(line)
            self._journaled = True

    def flush(self) -> None:
        """Push journal lines to the file (before the files they name are renamed in place)."""
        self._journal.flush()

    def finish(self, meta: dict[str, Any], skipped: list[Entry]) -> None:
        """Write manifest.json atomically (streamed, one output per line) and drop the journal."""
        self._journal.close()
        with atomic_file(self.dir / MANIFEST) as fh:
            fh.write(b"{\n")
            for k, v in meta.items():
                fh.write(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n".encode())
            for key, items in (("outputs", self.new.values()), ("skipped", skipped)):
                fh.write(f'  "{key}": ['.encode())
                for i, e in enumerate(items):
                    text = ("," if i else "") + "\n    " + json.dumps(e, ensure_ascii=False)
                    fh.write(text.encode())
                fh.write(("\n  ]" + ("," if key == "outputs" else "") + "\n").encode())
            fh.write(b"}\n")
        (self.dir / JOURNAL).unlink(missing_ok=True)

    def close(self) -> None:
        """The run was interrupted: leave a whole journal (earlier lines and this run's)."""
        self._journal.close()
        if not self._journaled:
            return
        path = self.dir / JOURNAL
        try:
            lines = [
                line + "\n"
                for line in path.read_text(encoding="utf-8").splitlines()
                if _whole(line)
            ]
            atomic_write(path, "".join(lines).encode("utf-8"))
        except (OSError, OutputError, ValueError):
            pass  # the appended journal stays as it is (a cut line is skipped when read)


def _whole(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True
