"""The physical limit of a crawl: the crawl's own extraction function over the same pages, on all cores."""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scraper.extraction import extract_article

from .measure import cpu_seconds


def _extract(job: tuple[str, str]) -> bool:
    path, url = job
    return extract_article(Path(path).read_bytes(), url).extraction is not None


def extraction_bound(jobs: list[tuple[str, str]], workers: int | None = None) -> tuple[int, float, float]:
    """Extract every (file, url) in ``workers`` processes (default: one per core).

    Returns (pages extracted, wall seconds, CPU seconds the workers used).
    """
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        list(pool.map(_extract, jobs[: 4 * (workers or os.cpu_count() or 1)]))  # start workers, import trafilatura
        pids = list(pool._processes)  # no public API for the worker pids
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        start = time.perf_counter()
        extracted = sum(pool.map(_extract, jobs, chunksize=4))
        seconds = time.perf_counter() - start
        return extracted, seconds, sum(cpu_seconds(pid) for pid in pids) - cpu_before
