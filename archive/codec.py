"""Compression of raw HTTP bodies kept in ``captures.body`` (zstd frames, level 10)."""

from __future__ import annotations

import hashlib

import zstandard

CODEC = "zstd"
_LEVEL = 10


def compress(raw: bytes) -> bytes:
    """Compress a raw body into one zstd frame."""
    return zstandard.ZstdCompressor(level=_LEVEL).compress(raw)


def decompress(stored: bytes) -> bytes:
    """Inverse of :func:`compress`."""
    return zstandard.ZstdDecompressor().decompress(stored)


def body_hash(raw: bytes) -> str:
    """``sha256:<hex>`` of the raw (uncompressed) body."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()
