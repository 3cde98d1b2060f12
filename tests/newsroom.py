"""Several local news sites on distinct loopback hosts (127.0.0.N), each with a feed and N articles.

Shared by the distributed-crawl tests and bench/distributed.py. Every article request is logged with its
arrival time, so politeness across workers can be checked from the server side.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .pages import article_html, noisy, paragraphs, rss
from .server import LocalSite


@dataclass
class Newsroom:
    sites: list[LocalSite]
    sources: Path
    log: list[tuple[float, str, str]] = field(default_factory=list)  # (monotonic time, host, path)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def article_urls(self) -> list[str]:
        return sorted(site.url(path) for site in self.sites for path in site.routes if path.startswith("/news/"))

    def requests_by_host(self) -> dict[str, list[float]]:
        by_host: dict[str, list[float]] = {}
        for moment, host, _ in self.log:
            by_host.setdefault(host, []).append(moment)
        return {host: sorted(times) for host, times in by_host.items()}

    def stop(self) -> None:
        for site in self.sites:
            site.stop()


def open_newsroom(tmp_path: Path, *, hosts: int, articles: int, delay: float, concurrency: int) -> Newsroom:
    """Start ``hosts`` sites with ``articles`` articles each and write a sources file (one source per site)."""
    sites = [LocalSite(f"127.0.0.{n}").start() for n in range(1, hosts + 1)]
    room = Newsroom(sites, tmp_path / "sources.toml")
    blocks = []
    for n, site in enumerate(sites):
        host = site.base.split("//")[1].split(":")[0]
        site.set("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
        items = []
        for i in range(articles):
            path = f"/news/h{n}-story-{i}"
            page = article_html(f"Host {n} story {i}", paragraphs(n * 100_000 + i), noise="{noise}")
            site.set(path, _logged(room, host, path, page))
            items.append({"title": f"Host {n} story {i}", "link": site.url(path)})
        site.set("/rss.xml", rss(items), content_type="application/rss+xml")
        blocks.append(f'[[source]]\nname = "site{n}"\nfeeds = ["{site.url("/rss.xml")}"]\n'
                      f"delay = {delay}\nconcurrency = {concurrency}\n")
    room.sources.write_text("\n".join(blocks), encoding="utf-8")
    return room


def _logged(room: Newsroom, host: str, path: str, page: str):
    def body() -> bytes:
        with room.lock:
            room.log.append((time.monotonic(), host, path))
        return noisy(page)

    return body
