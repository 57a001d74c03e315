"""Byte-stable PDFs: remove what LibreOffice changes from one conversion to the next.

Three things differ between conversions of the same .docx: the creation date, the
document ID, and the UniqueID of every CFF/OpenType font LibreOffice 7.4 embeds as Type 1,
taken from a counter that grows with each font the soffice process embeds (in the clear
part of the font and again inside its eexec-encrypted part).
"""

from __future__ import annotations

import io
import re
import zlib

_EEXEC_KEY, _C1, _C2 = 55665, 52845, 22719
_UNIQUE_ID = re.compile(rb"/UniqueID \d+ def")


PRIVATE = 4096  # the Private dictionary, with its UniqueID, opens the encrypted part


def _decrypt(data: bytes) -> bytes:
    r, out = _EEXEC_KEY, bytearray(len(data))
    for i, c in enumerate(data):
        out[i] = c ^ (r >> 8)
        r = ((c + r) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def _fixed_id(match: re.Match[bytes]) -> bytes:
    """The same UniqueID for every font, with as many digits (lengths stay the same)."""
    digits = len(match.group()) - len(b"/UniqueID  def")
    return b"/UniqueID 4" + b"0" * (digits - 1) + b" def"


def _restamped(secret: bytes) -> bytes:
    """The eexec-encrypted part with its UniqueID fixed: bytes before it stay as they are,
    every later byte is decrypted and encrypted again in one pass (the cipher chains)."""
    match = _UNIQUE_ID.search(_decrypt(secret[:PRIVATE]))
    if match is None or _fixed_id(match) == match.group():
        return secret
    start, fixed = match.start(), _fixed_id(match)
    old = _EEXEC_KEY
    for c in secret[:start]:
        old = ((c + old) * _C1 + _C2) & 0xFFFF
    new = old
    out = bytearray(secret)
    for i, p in enumerate(fixed, start):
        old = ((secret[i] + old) * _C1 + _C2) & 0xFFFF
        out[i] = e = p ^ (new >> 8)
        new = ((e + new) * _C1 + _C2) & 0xFFFF
    for i in range(start + len(fixed), len(secret)):
        c = secret[i]
        p = c ^ (old >> 8)
        old = ((c + old) * _C1 + _C2) & 0xFFFF
        out[i] = e = p ^ (new >> 8)
        new = ((e + new) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def _stable_type1(data: bytes, clear: int, secret: int) -> bytes:
    """A Type 1 font file with LibreOffice's per-process UniqueID counter set to one value,
    in the clear part and inside the eexec-encrypted part."""
    head, body, tail = data[:clear], data[clear:clear + secret], data[clear + secret:]
    return _UNIQUE_ID.sub(_fixed_id, head) + _restamped(body) + tail


def normalise(data: bytes) -> bytes:
    """LibreOffice's PDF without what changes between runs: the creation date, the
    document ID (made from the content instead) and Type 1 fonts' UniqueID counter."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and "/Length2" in obj and "/Length1" in obj:
                font = obj.read_bytes()
                stable = _stable_type1(font, int(obj.Length1), int(obj.Length2))
                if stable != font:
                    obj.write(zlib.compress(stable, 6), filter=pikepdf.Name.FlateDecode)
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        for key in ("/ID", "/DocChecksum"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
