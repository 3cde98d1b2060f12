"""Compression of raw HTTP bodies kept in ``captures.body`` (zstd frames, level 3).

Level 3, not 10: on the benchmark's pages (docs/performance.md) level 10 cost ~3.5x the CPU for a
body only ~5% smaller, and compression runs on the crawl's reactor next to the extraction workers.
A trained per-source dictionary saved only ~12% more and was not adopted.

A later body of an article is compressed *against* an earlier one (``zstd-delta``): the earlier raw
body is the frame's dictionary (zstd's raw-content dictionaries), so an edit or rotated ads cost the
bytes that changed (~0.5 KB on the benchmark's edits) instead of a whole page (~30 KB).
"""

from __future__ import annotations

import hashlib

import zstandard

CODEC = "zstd"
DELTA_CODEC = "zstd-delta"
_LEVEL = 3


def compress(raw: bytes) -> bytes:
    """Compress a raw body into one zstd frame."""
    return zstandard.ZstdCompressor(level=_LEVEL).compress(raw)


def decompress(stored: bytes) -> bytes:
    """Inverse of :func:`compress`."""
    return zstandard.ZstdDecompressor().decompress(stored)


def compress_against(raw: bytes, base: bytes) -> bytes:
    """Compress a raw body into one zstd frame whose dictionary is the raw body ``base``."""
    return zstandard.ZstdCompressor(level=_LEVEL, dict_data=_dictionary(base)).compress(raw)


def decompress_against(stored: bytes, base: bytes) -> bytes:
    """Inverse of :func:`compress_against` (``base`` is the same raw body)."""
    return zstandard.ZstdDecompressor(dict_data=_dictionary(base)).decompress(stored)


def _dictionary(base: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def body_hash(raw: bytes) -> str:
    """``sha256:<hex>`` of the raw (uncompressed) body."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()
