"""An HTTP payload as a WARC holds it (as sent: chunked, gzip, br, zstd…) decoded to the body the page was,
with the checks the crawl makes: a body shorter than its Content-Length, a chunked body without its last
chunk, or a compressed body that does not decompress to its end is ``truncated``; one that inflates past
the cap is ``too-large``. A body is never more than ``cap`` bytes in memory.
"""

from __future__ import annotations

import re
import sys
import zlib
from collections.abc import Callable

import brotli

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

_STEP = 1 << 16
_CHUNK_LINE = re.compile(rb"([0-9a-fA-F]+)[ \t]*(?:;[^\r\n]*)?\r?\n")


class Damaged(Exception):
    """The payload is not a whole body; ``reason`` is the failure code (``truncated``, ``too-large``)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def decode_payload(raw: bytes, headers: dict[str, str], cap: int) -> bytes:
    """The body of an HTTP payload ``raw`` sent with ``headers`` (names in any case)."""
    lower = {name.lower(): value for name, value in headers.items()}
    if "chunked" in lower.get("transfer-encoding", "").lower():
        raw = dechunk(raw)
    elif (length := lower.get("content-length", "").strip()).isdigit() and len(raw) < int(length):
        raise Damaged("truncated", f"body has {len(raw)} of the {int(length)} bytes its Content-Length says")
    codings = [c.strip().lower() for c in lower.get("content-encoding", "").split(",") if c.strip()]
    for coding in reversed(codings):
        decode = _DECODERS.get(coding)
        if decode is not None:
            raw = decode(raw, cap)
    if len(raw) > cap:
        raise Damaged("too-large", f"body is over {cap} bytes")
    return raw


def dechunk(raw: bytes) -> bytes:
    """The body of a ``Transfer-Encoding: chunked`` payload; raise :class:`Damaged` when its last chunk is missing."""
    body, position = bytearray(), 0
    while True:
        match = _CHUNK_LINE.match(raw, position)
        if match is None:
            raise Damaged("truncated", f"chunked body breaks off at byte {position} (no last chunk)")
        size, position = int(match.group(1), 16), match.end()
        if size == 0:
            return bytes(body)
        if position + size > len(raw):
            raise Damaged("truncated", f"chunked body breaks off inside a {size}-byte chunk")
        body += raw[position:position + size]
        position += size
        if raw[position:position + 2] == b"\r\n":
            position += 2
        elif raw[position:position + 1] == b"\n":
            position += 1


def _inflate(data: bytes, cap: int, wbits: int, name: str) -> bytes:
    """zlib-family decoding (gzip may be several members in a row), bounded by ``cap``, checked to its end."""
    out = bytearray()
    while data:
        decompressor = zlib.decompressobj(wbits)
        try:
            while data and not decompressor.eof:
                out += decompressor.decompress(data, _STEP)
                data = decompressor.unconsumed_tail
                if len(out) > cap:
                    raise Damaged("too-large", f"{name} body inflates past {cap} bytes")
            out += decompressor.flush()
        except zlib.error as exc:
            raise Damaged("truncated", f"{name} body does not decompress ({exc})") from None
        if not decompressor.eof:
            raise Damaged("truncated", f"{name} body ends before its compressed stream does")
        data = decompressor.unused_data if wbits == 31 else b""
        if data.strip(b"\0\r\n") == b"":
            break
    return bytes(out)


def _gunzip(data: bytes, cap: int) -> bytes:
    return _inflate(data, cap, 31, "gzip")


def _deflate(data: bytes, cap: int) -> bytes:
    try:
        return _inflate(data, cap, 15, "deflate")
    except Damaged as exc:
        if exc.reason != "truncated" or "does not decompress" not in str(exc):
            raise
        return _inflate(data, cap, -15, "deflate")  # raw deflate, as some servers send it


def _unbrotli(data: bytes, cap: int) -> bytes:
    decompressor = brotli.Decompressor()
    try:
        out = bytearray(decompressor.process(data, output_buffer_limit=_STEP))
        while not decompressor.is_finished() and (piece := decompressor.process(b"", output_buffer_limit=_STEP)):
            out += piece
            if len(out) > cap:
                raise Damaged("too-large", f"br body inflates past {cap} bytes")
    except brotli.error as exc:
        raise Damaged("truncated", f"br body does not decompress ({exc})") from None
    if not decompressor.is_finished():
        raise Damaged("truncated", "br body ends before its compressed stream does")
    return bytes(out)


def _unzstd(data: bytes, cap: int) -> bytes:
    out = bytearray()
    while data.strip(b"\0"):
        decompressor = zstd.ZstdDecompressor()
        try:
            out += decompressor.decompress(data, max_length=_STEP)
            while not decompressor.eof and not decompressor.needs_input:
                out += decompressor.decompress(b"", max_length=_STEP)
                if len(out) > cap:
                    raise Damaged("too-large", f"zstd body inflates past {cap} bytes")
        except zstd.ZstdError as exc:
            raise Damaged("truncated", f"zstd body does not decompress ({exc})") from None
        if not decompressor.eof:
            raise Damaged("truncated", "zstd body ends before its compressed stream does")
        data = decompressor.unused_data
    return bytes(out)


_DECODERS: dict[str, Callable[[bytes, int], bytes]] = {
    "gzip": _gunzip, "x-gzip": _gunzip, "deflate": _deflate, "br": _unbrotli, "zstd": _unzstd,
}
