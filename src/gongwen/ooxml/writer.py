"""Writing a package fast when most of its members are the same for every document.

A template's unchanged members are laid out once — local header and data, and the central
directory entry but for its offset — so each document costs only the deflate of the parts
that were rendered and a few byte joins. The result is a plain zip archive (no zip64: a docx
of gongwen is far below 4 GiB), readable by Word, WPS, LibreOffice and :mod:`zipfile`.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["PackageLayout"]

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_STORED, _DEFLATED = 0, 8
_VERSION = 20  # 2.0: deflate
_UTF8 = 0x800


def _dos(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return (h << 11) | (mi << 5) | (s // 2), ((max(y, 1980) - 1980) << 9) | (mo << 5) | d


@dataclass(frozen=True)
class _Entry:
    name: bytes
    flags: int
    time: int
    date: int


def _entry(name: str, date_time: tuple[int, int, int, int, int, int]) -> _Entry:
    encoded = name.encode("utf-8")
    flags = 0 if name.isascii() else _UTF8
    time, date = _dos(date_time)
    return _Entry(encoded, flags, time, date)


def _member(e: _Entry, method: int, crc: int, data: bytes, size: int) -> tuple[bytes, bytes]:
    """(local header + data, central directory entry without its trailing offset)."""
    local = _LOCAL.pack(
        0x04034B50, _VERSION, e.flags, method, e.time, e.date, crc, len(data), size,
        len(e.name), 0,
    )  # fmt: skip
    central = _CENTRAL.pack(
        0x02014B50, _VERSION, _VERSION, e.flags, method, e.time, e.date, crc, len(data), size,
        len(e.name), 0, 0, 0, 0, 0, 0,
    )[:-4]  # fmt: skip
    return local + e.name + data, central


class PackageLayout:
    """The members of a template package, in order, ready to be written around new parts."""

    def __init__(self, members: Sequence[tuple[str, tuple[int, int, int, int, int, int], bytes]]):
        self._order: list[tuple[str, _Entry]] = []
        self._static: dict[str, tuple[bytes, bytes]] = {}
        for name, date_time, raw in members:
            e = _entry(name, date_time)
            self._order.append((name, e))
            # unchanged members are stored, not recompressed: the same bytes every time
            self._static[name] = _member(e, _STORED, zlib.crc32(raw), raw, len(raw))

    def build(
        self,
        rendered: Mapping[str, bytes],
        added: Mapping[str, bytes] = {},
        level: int = 6,
    ) -> bytes:
        """The archive with ``rendered`` members deflated in place and ``added`` ones appended."""
        chunks: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        items = [(name, e, rendered.get(name)) for name, e in self._order]
        items += [(name, _entry(name, (1980, 1, 1, 0, 0, 0)), data) for name, data in added.items()]
        for name, e, data in items:
            if data is None:
                local, entry = self._static[name]
            else:
                comp = zlib.compressobj(level, zlib.DEFLATED, -15)
                packed = comp.compress(data) + comp.flush()
                local, entry = _member(e, _DEFLATED, zlib.crc32(data), packed, len(data))
            chunks.append(local)
            central.append(entry + struct.pack("<I", offset) + e.name)
            offset += len(local)
        directory = b"".join(central)
        end = _END.pack(0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0)
        return b"".join(chunks) + directory + end
