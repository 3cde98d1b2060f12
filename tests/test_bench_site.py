"""Smoke test of the benchmark's generated site (`make bench` is not a test; this keeps it from rotting)."""

from __future__ import annotations

import lzma
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import zstandard

from bench import site
from bench.server import SiteServer, free_port
from scraper.extraction import extract_article
from scraper.feeds import parse_feed

COUNT = 12  # three pages of each markup style


def test_generated_pages_feeds_and_sitemap_are_valid(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9"
    articles = site.generate(tmp_path, COUNT, base)
    for article in articles:
        body = (tmp_path / article.path.lstrip("/")).read_bytes()
        assert site.MIN_BYTES * 0.9 <= len(body) <= site.MAX_BYTES * 1.1, (article, len(body))
        result = extract_article(body, base + article.path)
        assert result.failure is None, (article, result.failure)
        assert result.extraction.title == article.title
        assert article.paragraphs()[-1] in result.extraction.text
        assert "Read more" not in result.extraction.text
    linked = set()
    for path in site.feed_paths():
        links = parse_feed((tmp_path / path.lstrip("/")).read_bytes(), base + path, "application/rss+xml")
        linked.update(link.url for link in links)
    assert linked == {base + a.path for a in articles}
    locs = ET.parse(tmp_path / "sitemap.xml").getroot().findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
    assert len(locs) == COUNT


def test_an_edit_changes_the_extracted_text(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9"
    (article,) = site.generate(tmp_path, 1, base)
    path = tmp_path / article.path.lstrip("/")
    before = extract_article(path.read_bytes(), base + article.path).extraction
    site.edit(tmp_path, [0], base)
    after = extract_article(path.read_bytes(), base + article.path).extraction
    assert after.text != before.text and after.text.count("Update: ") == 1
    site.generate(tmp_path, 1, base)
    assert extract_article(path.read_bytes(), base + article.path).extraction == before  # deterministic


def test_a_rerender_changes_the_bytes_but_not_the_extracted_text(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9"
    (article,) = site.generate(tmp_path, 1, base)
    path = tmp_path / article.path.lstrip("/")
    before = path.read_bytes()
    site.rerender(tmp_path, [article], base)
    after = path.read_bytes()
    assert after != before
    assert extract_article(after, base + article.path).extraction == extract_article(before, base + article.path).extraction


def test_the_information_floor_is_below_what_the_best_codecs_achieve() -> None:
    # A floor above a real codec's output would mean the model over-counts (figure 5e would be wrong).
    for number in range(8):
        page = site.article_html(site.Article(number))
        floor = site.information_bits(page) / 8
        best = min(len(lzma.compress(page.encode(), preset=9 | lzma.PRESET_EXTREME)),
                   len(zstandard.ZstdCompressor(level=19).compress(page.encode())))
        assert 0.25 * best < floor < best, (number, floor, best)


def test_server_serves_the_site_with_validators(tmp_path: Path) -> None:
    port = free_port()
    (article,) = site.generate(tmp_path, 1, f"http://127.0.0.1:{port}")
    with SiteServer(tmp_path, port) as server:
        response = urllib.request.urlopen(server.base + article.path, timeout=5)
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/html")
        conditional = urllib.request.Request(server.base + article.path, headers={"If-None-Match": response.headers["ETag"]})
        try:
            urllib.request.urlopen(conditional, timeout=5)
            status = 200
        except urllib.error.HTTPError as exc:
            status = exc.code
    assert status == 304
