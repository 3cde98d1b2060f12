"""Timeouts, DNS failures, connection resets, truncated bodies: counted, retried with backoff, never fatal (target 11)."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import crawl, rows, write_sources
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"


class ResettingServer:
    """Accepts connections on 127.0.0.1, reads the request, answers with a TCP reset (RST)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.connections: list[float] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def _serve(self) -> None:
        deadline = time.monotonic() + 120
        while self.running and time.monotonic() < deadline:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections.append(time.monotonic())
            conn.settimeout(2)
            try:
                conn.recv(65536)
            except OSError:
                pass
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def stop(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def resetting() -> Iterator[ResettingServer]:
    server = ResettingServer()
    yield server
    server.stop()


def test_network_faults_are_counted_retried_with_backoff_and_not_fatal(
    site: LocalSite, resetting: ResettingServer, tmp_path: Path, db_path: Path
) -> None:
    good = article_html("Survivor", paragraphs(5)).encode()
    site.set("/news/good", good)
    slow_hits: list[float] = []
    site.set("/news/slow", lambda: (slow_hits.append(time.monotonic()), time.sleep(2.5), good)[2])
    site.set("/news/truncated", good[:300], headers={"Content-Length": str(len(good))})
    links = ["/news/good", "/news/slow", "/news/truncated"]
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in links]
                             + [{"title": "dns", "link": "http://no-such-host.invalid/story"}]),
             content_type="application/rss+xml")
    sources = write_sources(tmp_path / "sources.toml", f"""
[[source]]
name = "daily"
feeds = ["{site.url('/rss.xml')}"]
delay = 0
concurrency = 4

[[source]]
name = "flaky"
feeds = ["http://127.0.0.1:{resetting.port}/rss.xml"]
delay = 0
""")

    started = time.monotonic()
    result = crawl(db_path, sources, "-s", "DOWNLOAD_TIMEOUT=1", "-s", "NEWSARCHIVE_RETRY_BACKOFF=0.4", now=T1)
    took = time.monotonic() - started

    assert result.stdout.startswith("feeds: 1 polled, 1 failed; articles: 1 new, 0 updated, 0 unchanged, 3 failed;")
    assert "(connection-reset: 1, dns: 1, timeout: 1, truncated: 1)" in result.stdout
    errors = rows(db_path, "select a.url, c.error from captures c join articles a on a.id = c.article_id order by c.error")
    assert [e["error"] for e in errors] == [None, "dns", "timeout", "truncated"]
    assert rows(db_path, "select last_error from feeds where source = 'flaky'") == [{"last_error": "connection-reset"}]
    # RETRY_TIMES = 2: three attempts each, waiting 0.4 s then 0.8 s between them
    assert len(slow_hits) == 3 and site.hits("/news/truncated") == 3
    assert len(resetting.connections) == 6  # robots.txt, then the feed: three attempts each
    gaps = [b - a for a, b in zip(resetting.connections, resetting.connections[1:])]
    for first, second in (gaps[0:2], gaps[3:5]):
        assert 0.35 <= first < 2 and 0.75 <= second < 3, gaps
    print(f"network faults: {result.stdout.strip()}; retry gaps {[round(g, 2) for g in gaps]}")
    assert took < 60
