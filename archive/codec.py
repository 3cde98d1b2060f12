"""Compression of raw HTTP bodies kept in ``captures.body`` (zstd frames, level 3).

Level 3, not 10: on the benchmark's pages (docs/performance.md) level 10 cost ~3.5x the CPU for a
body only ~5% smaller, and compression runs on the crawl's reactor next to the extraction workers.
A trained per-source dictionary saved only ~12% more and was not adopted.
"""

from __future__ import annotations

import hashlib

import zstandard

CODEC = "zstd"
_LEVEL = 3


def compress(raw: bytes) -> bytes:
    """Compress a raw body into one zstd frame."""
    return zstandard.ZstdCompressor(level=_LEVEL).compress(raw)


def decompress(stored: bytes) -> bytes:
    """Inverse of :func:`compress`."""
    return zstandard.ZstdDecompressor().decompress(stored)


def body_hash(raw: bytes) -> str:
    """``sha256:<hex>`` of the raw (uncompressed) body."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()
