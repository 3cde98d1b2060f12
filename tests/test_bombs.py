"""Size caps: compression bombs and oversized bodies are aborted, the crawl stays small (target 1).

The crawl runs in a subprocess under an address-space cap; its peak RSS (and that of its
extraction workers) is read from ``getrusage(RUSAGE_CHILDREN)`` in a wrapper process.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import brotli
import pytest

from .conftest import REPO, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
INFLATED = 256 * 1024 * 1024  # each bomb inflates to 16× DOWNLOAD_MAXSIZE


def zeros_deflated(size: int, wbits: int) -> bytes:
    """``size`` zero bytes compressed as a gzip (wbits 31) or zlib (15) stream, without holding them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    chunk = bytes(1024 * 1024)
    return b"".join(compressor.compress(chunk) for _ in range(size // len(chunk))) + compressor.flush()


def zeros_brotli(size: int) -> bytes:
    compressor = brotli.Compressor(quality=5)
    chunk = bytes(1024 * 1024)
    return b"".join(compressor.process(chunk) for _ in range(size // len(chunk))) + compressor.finish()


WRAPPER = """
import json, resource, subprocess, sys
def cap():
    limit = 3 * 1024 ** 3  # a bomb that got through would fail here, not take the machine down
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True, preexec_fn=cap)
print(json.dumps({"returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr[-3000:],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measured_crawl(db: Path, sources: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_NOW": T1}
    env.pop("NEWSARCHIVE_DB", None)
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, sys.executable, "-m", "scraper", "crawl", "--db", str(db), "--sources", str(sources)],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_compression_bombs_and_huge_bodies_are_aborted_with_peak_rss_under_200_mb(
    site: LocalSite, tmp_path: Path, db_path: Path
) -> None:
    gzip_bomb = zeros_deflated(INFLATED, 31)
    bombs = {
        "/bomb/gzip": (gzip_bomb, "gzip"),
        "/bomb/deflate": (zeros_deflated(INFLATED, 15), "deflate"),
        "/bomb/nested": (gzip.compress(gzip_bomb, 9), "gzip, gzip"),
        "/bomb/br": (zeros_brotli(INFLATED), "br"),
    }
    for path, (body, encoding) in bombs.items():
        site.set(path, body, headers={"Content-Encoding": encoding})
    site.set("/huge", b"<html><body>" + b"<p>big</p>" * (2 * 1024 * 1024) + b"</body></html>")  # 20 MiB plain
    site.set("/bomb/feed.xml", gzip_bomb, content_type="application/rss+xml", headers={"Content-Encoding": "gzip"})
    site.set("/news/fine", article_html("Still archived", paragraphs(3)).encode())
    paths = [*bombs, "/huge", "/news/fine"]
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in paths]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml", "/bomb/feed.xml"]})

    result = measured_crawl(db_path, sources)

    assert result["returncode"] == 0, result["stderr"]
    assert result["stdout"].startswith("feeds: 1 polled, 1 failed; articles: 1 new, 0 updated, 0 unchanged, 5 failed;")
    assert "(too-large: 6)" in result["stdout"]
    captures = rows(db_path, "select a.url, c.error, c.body is null as no_body from captures c join articles a on a.id = c.article_id order by a.id")
    assert [(c["error"], c["no_body"]) for c in captures] == [("too-large", 1)] * 5 + [(None, 0)]
    assert rows(db_path, "select last_error from feeds where url like '%bomb%'") == [{"last_error": "too-large"}]
    print(f"peak RSS of the crawl: {result['peak_rss_mb']:.0f} MB")
    assert result["peak_rss_mb"] < 200
