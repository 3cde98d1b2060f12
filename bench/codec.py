"""Body compression choices on the bench's pages: gzip (as in a WARC), zstd levels, a trained dictionary."""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable

import zstandard

DICTIONARY_BYTES = 110 * 1024  # zstd's default dictionary size


def _measure(compress: Callable[[bytes], bytes], bodies: list[bytes]) -> tuple[float, float]:
    start = time.process_time()
    size = sum(len(compress(body)) for body in bodies)
    return size / sum(map(len, bodies)), 1000 * (time.process_time() - start) / len(bodies)


def compare(train: list[bytes], test: list[bytes]) -> dict[str, tuple[float, float]]:
    """{codec: (compressed/raw ratio, CPU-ms per body)} over ``test``; the dictionary is trained on ``train``."""
    results = {"gzip-6 (WARC)": _measure(lambda b: gzip.compress(b, 6), test)}
    for level in (1, 3, 10):
        compressor = zstandard.ZstdCompressor(level=level)
        results[f"zstd-{level}"] = _measure(compressor.compress, test)
    dictionary = zstandard.train_dictionary(DICTIONARY_BYTES, train)
    with_dictionary = zstandard.ZstdCompressor(level=3, dict_data=dictionary)
    results["zstd-3 + per-source dictionary"] = _measure(with_dictionary.compress, test)
    return results
