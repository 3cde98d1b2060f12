"""The extraction worker pool: trafilatura off the reactor, with a time and memory bound per page."""

from __future__ import annotations

import os
import resource
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from archive.model import EntryHints
from scraper.canonical import same_site

from .article import ExtractionResult, extract_article


def _limit_memory(megabytes: int) -> None:
    # the cap is on what a page may add: a forked worker starts with its parent's address space (a long-running
    # crawl's or test run's is far larger than a fresh one), so an absolute cap would leave it no headroom
    if megabytes > 0:
        limit = mapped_bytes() + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def mapped_bytes() -> int:
    """This process's address space now (what ``RLIMIT_AS`` counts)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


class ExtractionPool:
    """A process pool running :func:`extract_article`; a page over the time limit kills its worker."""

    def __init__(self, workers: int = 0, *, timeout: float = 10.0, memory_mb: int = 1024, max_tasks: int = 500) -> None:
        self.timeout = timeout
        self._started = False
        self._pool = ProcessPool(
            max_workers=workers or os.cpu_count() or 1,
            max_tasks=max_tasks,
            initializer=_limit_memory,
            initargs=(memory_mb,),
        )

    def submit(self, body: bytes, url: str, last_modified: str | None, hints: EntryHints) -> Future[ExtractionResult]:
        """Schedule one page; the future raises ``TimeoutError`` or ``MemoryError`` on the limits."""
        if not self._started:  # pebble forks its workers on the first page
            preload()
            self._started = True
        return self._pool.schedule(
            _extract, args=(body, url, last_modified, hints), timeout=self.timeout
        )

    def extract(self, body: bytes, url: str, *, last_modified: str | None = None, hints: EntryHints) -> ExtractionResult:
        """Extract one page in a worker and wait for it, within the same bounds as the crawl (``import`` uses it)."""
        try:
            return self.submit(body, url, last_modified, hints).result()
        except Exception as exc:
            if (reason := bound_exceeded(exc)) is None:
                raise
            return ExtractionResult(None, reason)

    def close(self) -> None:
        """Stop the workers (pending pages are cancelled)."""
        self._pool.stop()
        self._pool.join(timeout=5)


def bound_exceeded(exc: BaseException) -> str | None:
    """The failure code when a pool future failed on a bound (``extract-timeout``, ``extract-memory``,
    ``extract-crash``); None for any other error."""
    if isinstance(exc, FutureTimeout):
        return "extract-timeout"
    if isinstance(exc, MemoryError):
        return "extract-memory"
    if isinstance(exc, ProcessExpired):
        return "extract-memory" if exc.exitcode in (-9, 137) else "extract-crash"
    return None


def preload() -> None:
    """Load in this process what extraction otherwise loads on a worker's first pages: extruct (microdata)
    and the public-suffix list (same-site checks), ~0.3 CPU-s. Workers forked afterwards, including each
    one recycled after ``max_tasks`` pages, then start warm instead of paying it again (it runs once, on the
    reactor, just before the first workers exist)."""
    import extruct.w3cmicrodata  # noqa: F401

    same_site("https://a.example/", "https://b.example.org/")


def _extract(body: bytes, url: str, last_modified: str | None, hints: EntryHints) -> ExtractionResult:
    try:
        return extract_article(body, url, last_modified=last_modified, hints=hints)
    except MemoryError:
        raise MemoryError("extraction hit the memory cap") from None
    except Exception as exc:
        # lxml's errors carry an error log that cannot be pickled back to the crawl (pebble would
        # report a TypeError); under the memory cap they are how libxml2 says "out of memory".
        if "memory" in str(exc).lower():
            raise MemoryError(f"extraction hit the memory cap ({type(exc).__name__})") from None
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
