"""The zip container of a .docx, written by hand: members in a fixed order with fixed
times, so equal input gives equal bytes, each deflated once where it can be reused."""

from __future__ import annotations

import struct
import types
import zlib
from dataclasses import dataclass

# Deflating is a tenth of a build: ISA-L (python-isal) at its level 1 takes a fifth of
# zlib's time at level 3, for parts about 7 % larger; zlib where isal has no wheel.
DEFLATER: types.ModuleType = zlib
DEFLATE_LEVEL = 3
try:
    from isal import isal_zlib

    DEFLATER, DEFLATE_LEVEL = isal_zlib, 1
except ImportError:  # pragma: no cover - isal is a dependency where it has wheels
    pass

DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01


@dataclass(frozen=True)
class Entry:
    """One zip member, compressed and ready to be written."""

    name: bytes
    crc: int
    size: int
    data: bytes
    method: int = 8  # deflated; 0: stored as it is


def deflate(name: str, payload: bytes) -> Entry:
    """A zip member's raw deflate stream (any inflater reads it) and its checksum."""
    data = DEFLATER.compress(payload, DEFLATE_LEVEL, -15)
    return Entry(name.encode("utf-8"), DEFLATER.crc32(payload), len(payload), data)


def stored(name: str, payload: bytes) -> Entry:
    """A zip member stored as it is: for a part of a few hundred bytes, cheaper to write
    than to deflate, and as small."""
    return Entry(name.encode("utf-8"), DEFLATER.crc32(payload), len(payload), payload, 0)


def assemble(entries: list[Entry]) -> bytes:
    """A zip archive of the entries, in order, with fixed times: reproducible bytes."""
    out = bytearray()
    central = bytearray()
    for entry in entries:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, entry.method, 0, DOS_DATE,
                           entry.crc, len(entry.data), entry.size, len(entry.name), 0)
        out += entry.name + entry.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, entry.method, 0,
                               DOS_DATE, entry.crc, len(entry.data), entry.size, len(entry.name),
                               0, 0, 0, 0, 0o644 << 16, offset)
        central += entry.name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                       start, 0)
    return bytes(out)
