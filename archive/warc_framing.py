"""Where each record of a WARC file starts and ends, and where the file breaks.

warcio parses a record well, but reads a file leniently: a cut gzip member ends the file quietly, a record
whose Content-Length lies is read short with a warning on stderr and the next record is taken from the
middle of the page. The import needs to know, record by record, which bytes are a whole record, so it
frames the file itself: a ``.warc.gz`` is one gzip member per record (WARC 1.1, annex D), a plain WARC is
header block, Content-Length bytes, CRLF CRLF. A record is at most ``cap`` bytes in memory (a larger one is
reported with its headers only); after a break, reading resumes at the next thing that is a record.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 16
_MAX_HEADER = 1 << 16
_HEAD_KEPT = 1 << 16  # of a record over the cap: enough for its WARC and HTTP headers
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n", re.IGNORECASE)
_RECORD_START = re.compile(rb"\nWARC/1\.[01]\r\n")


@dataclass(frozen=True)
class Framed:
    """One record: its offset in the file and its bytes (decompressed). ``damage`` says why the bytes are not
    the whole record (``data`` is then what there is); ``too_large`` that only its first bytes were kept."""

    offset: int
    data: bytes
    damage: str | None = None
    too_large: bool = False


@dataclass(frozen=True)
class Break:
    """The file is not records from ``offset``; ``resumed_at`` is where the next record was found, if any."""

    offset: int
    reason: str
    resumed_at: int | None = None


def frames(path: Path, cap: int) -> Iterator[Framed | Break]:
    """Every record of ``path`` in file order, and a :class:`Break` wherever it is not one."""
    with open(path, "rb") as handle:
        gzipped = handle.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        step = _gzip_step if gzipped else _plain_step
        offset: int | None = 0
        while offset is not None and (result := step(handle, offset, cap)) is not None:
            if isinstance(result, Break):
                yield result
                offset = result.resumed_at
            else:
                frame, offset = result
                yield frame


def read_frame(path: Path, offset: int, cap: int) -> Framed:
    """The record at ``offset`` (as :func:`frames` found it)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        gzipped = handle.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        handle.seek(offset)
        frame = _gzip_member(handle, offset, cap) if gzipped else _plain_record(handle, offset, cap)
    assert isinstance(frame, tuple)
    return frame[0]


# -- gzip: one member per record ----------------------------------------------------------------


def _gzip_step(handle: BinaryIO, offset: int, cap: int) -> tuple[Framed, int | None] | Break | None:
    """The member at ``offset`` (None at the end of the file)."""
    handle.seek(offset)
    head = handle.read(len(_GZIP_MAGIC))
    if not head.strip(b"\r\n"):
        return None
    if head != _GZIP_MAGIC:
        return Break(offset, "not a gzip member: the bytes here are not a WARC record", _next_member(handle, offset + 1))
    handle.seek(offset)
    return _gzip_member(handle, offset, cap)


def _gzip_member(handle: BinaryIO, offset: int, cap: int) -> tuple[Framed, int | None] | Break:
    """The record in the member at ``offset`` and where the member ends, or a Break."""
    decompressor = zlib.decompressobj(31)
    kept, size, consumed = bytearray(), 0, 0
    while not decompressor.eof:
        chunk = handle.read(_CHUNK)
        if not chunk:
            if size == 0:
                return Break(offset, "gzip member cut short: the file ends inside its header")
            frame = Framed(offset, bytes(kept), damage=f"gzip member cut short after {size} bytes: the file ends inside it")
            return frame, offset + consumed
        consumed += len(chunk)
        data = chunk
        while data and not decompressor.eof:
            try:
                piece = decompressor.decompress(data, _CHUNK)
            except zlib.error as exc:
                return Break(offset, f"corrupt gzip member ({exc})", _next_member(handle, offset + 1))
            size += len(piece)
            if len(kept) <= cap:
                kept += piece
            data = decompressor.unconsumed_tail
    end = offset + consumed - len(decompressor.unused_data)
    if _several_records(bytes(kept)):
        return Break(offset, "several records in one gzip member (was the whole file gzipped?); run"
                             " `warcio recompress FILE OUT.warc.gz` and import OUT.warc.gz")
    if size > cap:
        return Framed(offset, bytes(kept[:_HEAD_KEPT]), too_large=True), end
    return Framed(offset, bytes(kept), damage=_length_damage(bytes(kept))), end


def _next_member(handle: BinaryIO, start: int) -> int | None:
    """The offset of the next gzip member at or after ``start`` that holds a WARC record."""
    position = start
    while True:
        handle.seek(position)
        window = handle.read(_CHUNK * 4)
        if len(window) < len(_GZIP_MAGIC):
            return None
        found = window.find(_GZIP_MAGIC)
        if found < 0:
            position += len(window) - len(_GZIP_MAGIC) + 1
            continue
        candidate = position + found
        handle.seek(candidate)
        try:
            first = zlib.decompressobj(31).decompress(handle.read(4096), 16)
        except zlib.error:
            first = b""
        if first.startswith(b"WARC/"):
            return candidate
        position = candidate + 1


def _several_records(data: bytes) -> bool:
    """Whether a member's bytes go on, past its first record's Content-Length, with another record."""
    header_end = data.find(b"\r\n\r\n")
    match = _CONTENT_LENGTH.search(data[: header_end + 2]) if data.startswith(b"WARC/") and header_end >= 0 else None
    return match is not None and data[header_end + 4 + int(match.group(1)):].lstrip(b"\r\n").startswith(b"WARC/")


def _length_damage(record: bytes) -> str | None:
    """Why a decompressed member is not exactly one record of its declared Content-Length, or None."""
    header_end = record.find(b"\r\n\r\n")
    match = _CONTENT_LENGTH.search(record[: header_end + 2]) if record.startswith(b"WARC/") and header_end >= 0 else None
    if match is None:
        return None  # not a WARC record at all: the parser says so
    declared, available = int(match.group(1)), len(record) - header_end - 4
    if available < declared:
        return f"record cut short: Content-Length says {declared} bytes, it has {available}"
    if record[header_end + 4 + declared:].strip(b"\r\n"):
        has = len(record.rstrip(b"\r\n")) - header_end - 4
        return f"Content-Length says {declared} bytes, the record has {has}"
    return None


# -- plain: header block, Content-Length bytes, CRLF CRLF --------------------------------------------


def _plain_step(handle: BinaryIO, offset: int, cap: int) -> tuple[Framed, int | None] | Break | None:
    """The record at ``offset``, after blank lines (None at the end of the file)."""
    handle.seek(offset)
    while (byte := handle.read(1)) in (b"\r", b"\n"):
        offset += 1
    if not byte:
        return None
    handle.seek(offset)
    result = _plain_record(handle, offset, cap)
    if isinstance(result, tuple) and result[0].damage is not None:
        return result[0], _next_record(handle, offset + 1)  # the length lies: the next record is wherever one starts
    return result


def _plain_record(handle: BinaryIO, offset: int, cap: int) -> tuple[Framed, int | None] | Break:
    header = handle.read(_MAX_HEADER)
    header_end = header.find(b"\r\n\r\n")
    if not header.startswith(b"WARC/") or header_end < 0:
        snippet = header[:40].decode("latin-1").encode("unicode_escape").decode()
        return Break(offset, f"not a WARC record ({snippet!r}…)", _next_record(handle, offset + 1))
    match = _CONTENT_LENGTH.search(header[: header_end + 2])
    if match is None:
        return Break(offset, "WARC record without a Content-Length", _next_record(handle, offset + 1))
    declared = int(match.group(1))
    block_start = offset + header_end + 4
    end = block_start + declared + 4
    handle.seek(block_start)
    if declared > cap:
        return Framed(offset, header[: header_end + 4] + handle.read(_HEAD_KEPT), too_large=True), end
    block = handle.read(declared)
    rest = handle.read(16).lstrip(b"\r\n")
    data = header[: header_end + 4] + block + b"\r\n\r\n"
    if len(block) < declared:
        return Framed(offset, data, damage=f"record cut short: Content-Length says {declared} bytes, the file has {len(block)}"), end
    if rest and not rest.startswith(b"WARC/"):
        return Framed(offset, data, damage=f"Content-Length says {declared} bytes but the record does not end there"), end
    return Framed(offset, data), block_start + declared


def _next_record(handle: BinaryIO, start: int) -> int | None:
    """The offset of the next line ``WARC/1.0`` or ``WARC/1.1`` starting at or after ``start``."""
    position = max(start - 1, 0)
    while True:
        handle.seek(position)
        window = handle.read(_CHUNK * 4)
        if (match := _RECORD_START.search(window)) is not None:
            return position + match.start() + 1
        if len(window) < _CHUNK * 4:
            return None
        position += len(window) - 16
