"""Issue 19, item 2: a body that may be cut is a failed ``truncated`` capture, never a version.

A compressed body cut short with a matching ``Content-Length`` passes HTTP's framing; Scrapy's
lenient decompression then returned the first part of the page. A body ended by the server closing
the connection, without ``Content-Length``, cannot be known whole.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import brotli
import pytest
from backports import zstd

from scraper.middlewares.complete_body import Incomplete, decoded_completely

from .conftest import crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
T2 = "2024-05-03T12:00:00Z"
PAGE = article_html("A long story", paragraphs(3, 40)).encode()
EDITED = article_html("A long story", paragraphs(4, 40)).encode()


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


ENCODERS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "raw-deflate": raw_deflate,
    "br": brotli.compress,
    "zstd": zstd.compress,
    "gzip, gzip": lambda data: gzip.compress(gzip.compress(data)),
}
HEADER = {"raw-deflate": "deflate"}


@pytest.mark.parametrize("encoding", ENCODERS)
def test_a_complete_stream_is_recognised_and_a_cut_one_refused(encoding: str) -> None:
    name = HEADER.get(encoding, encoding)
    layers = [part.strip().encode() for part in name.split(",")]
    whole = ENCODERS[encoding](PAGE)
    assert decoded_completely(whole, layers) is True
    for cut in (len(whole) // 2, len(whole) - 3):
        with pytest.raises(Incomplete):
            decoded_completely(whole[:cut], layers)


def test_what_cannot_be_told_complete() -> None:
    two_members = gzip.compress(PAGE[:1000]) + gzip.compress(PAGE[1000:])
    assert decoded_completely(two_members, [b"gzip"]) is True
    assert decoded_completely(PAGE, []) is False  # identity: nothing in the body says where it ends
    assert decoded_completely(b"", [b"gzip"]) is False  # an empty body (304, a redirect)
    assert decoded_completely(gzip.compress(PAGE), [b"gzip"], max_size=100) is False  # too-large decides
    assert decoded_completely(gzip.compress(PAGE), [b"compress", b"gzip"]) is False  # an unknown layer


def test_a_cut_recheck_is_a_failed_capture_and_never_a_version(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    names = [*ENCODERS, "closed"]
    for i, encoding in enumerate(names):
        site.set(f"/news/{i}", PAGE)
    site.set("/rss.xml", rss([{"title": n, "link": site.url(f"/news/{i}")} for i, n in enumerate(names)]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, now=T1)

    for i, encoding in enumerate(names):  # the edit comes back cut; Content-Length is what is sent
        if encoding == "closed":
            site.set(f"/news/{i}", EDITED[: len(EDITED) // 2], length=False)
            continue
        whole = ENCODERS[encoding](EDITED)
        site.set(f"/news/{i}", whole[: len(whole) // 2], headers={"Content-Encoding": HEADER.get(encoding, encoding)})
    result = crawl(db_path, sources, "--recheck", "all", now=T2)

    assert f"0 updated, 0 unchanged, {len(names)} failed" in result.stdout and f"(truncated: {len(names)})" in result.stdout
    assert rows(db_path, "select count(*) n from versions") == [{"n": len(names)}]
    assert rows(db_path, "select error, count(*) n from captures where fetched_at = ? group by error", [T2]) == [
        {"error": "truncated", "n": len(names)}
    ]
    # served whole again (compressed, or closed after a complete gzip stream), the edit is a new version
    for i, encoding in enumerate(names):
        if encoding == "closed":
            site.set(f"/news/{i}", gzip.compress(EDITED), headers={"Content-Encoding": "gzip"}, length=False)
        else:
            site.set(f"/news/{i}", ENCODERS[encoding](EDITED), headers={"Content-Encoding": HEADER.get(encoding, encoding)})
    result = crawl(db_path, sources, "--recheck", "all", now="2024-05-03T14:00:00Z")
    assert f"{len(names)} updated, 0 unchanged, 0 failed" in result.stdout
