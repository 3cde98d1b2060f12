"""A real crawled archive for the web-archive tests (export, import, replay): built once per session.

Four passes over a local site (T1..T4) give every kind of capture: a page answering 304 to its ETag, a page
sending the same bytes again, an edit and its revert, a redirect, a 404 after a 200, a 301 without a
Location, a link the SSRF guard refuses (no response at all), the stylesheet, image and font of the
``daily`` source's pages (``requisites = true``), and a second source, ``wire``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .conftest import crawl, write_sources
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T = ["2024-05-03T10:00:00Z", "2024-05-03T12:00:00Z", "2024-05-03T14:00:00Z", "2024-05-04T09:00:00Z"]
STYLE = b"@import url(fonts.css);\nbody { font-family: Serif; background: url(/img/paper.png) }\n"
FONTS = b"@font-face { font-family: Serif; src: url(/fonts/serif.woff2) }\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
FONT = b"wOF2" + bytes(range(32))
EDIT_V1 = article_html("Council passes budget", paragraphs(31, 4))
EDIT_V2 = article_html("Council passes amended budget", paragraphs(31, 4) + ["Correction: the vote was 7-2."])


def styled(html: str) -> bytes:
    """An article page that needs a stylesheet and an image."""
    return html.replace("</head>", '<link rel="stylesheet" href="/static/site.css"></head>').replace(
        "<h1>", '<img src="/img/photo.png" alt=""><h1>', 1).encode()


@dataclass(frozen=True)
class CrawledArchive:
    db: Path
    sources: Path
    base: str  # the site's http://127.0.0.1:PORT

    def url(self, path: str) -> str:
        return self.base + path


def build(root: Path) -> CrawledArchive:
    """Crawl the scenario into ``root``/crawled.db and stop the site (the archive is all that is left)."""
    site = LocalSite().start()
    try:
        return _crawl(site, root)
    finally:
        site.stop()


def _crawl(site: LocalSite, root: Path) -> CrawledArchive:
    site.set("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
    site.set("/static/site.css", STYLE, content_type="text/css", headers={"ETag": '"css-1"'})
    site.set("/static/fonts.css", FONTS, content_type="text/css")
    site.set("/img/photo.png", PNG, content_type="image/png")
    site.set("/img/paper.png", PNG[::-1], content_type="image/png")
    site.set("/fonts/serif.woff2", FONT, content_type="font/woff2")
    site.set("/news/etag", styled(article_html("Harbour bridge reopens", paragraphs(32, 4))), headers={"ETag": '"v1"'})
    site.set("/news/same", styled(article_html("Market hall vote", paragraphs(33, 4))))
    site.set("/news/edit", styled(EDIT_V1))
    site.set("/news/moved", b"", status=301, headers={"Location": "/news/2024/final-slug"})
    site.set("/news/2024/final-slug", styled(article_html("Library fees end", paragraphs(34, 4))))
    site.set("/news/gone", styled(article_html("Storm warning", paragraphs(35, 4))))
    site.set("/news/nowhere", b"", status=301)  # a redirect without a Location: a failed capture http-301
    site.set("/wire/story", article_html("Wire story", paragraphs(36, 4)).encode(), headers={"ETag": '"w1"'})
    daily = ["/news/etag", "/news/same", "/news/edit", "/news/moved", "/news/gone", "/news/nowhere"]
    items = [{"title": p, "link": site.url(p)} for p in daily] + [{"title": "refused", "link": "http://127.0.0.1:9/x"}]
    site.set("/daily.xml", rss(items), content_type="application/rss+xml")
    site.set("/wire.xml", rss([{"title": "wire", "link": site.url("/wire/story")}]), content_type="application/rss+xml")
    sources = write_sources(root / "sources.toml", (
        f'[[source]]\nname = "daily"\nfeeds = ["{site.url("/daily.xml")}"]\ndelay = 0\nrequisites = true\n'
        f'[[source]]\nname = "wire"\nfeeds = ["{site.url("/wire.xml")}"]\ndelay = 0\n'))
    db = root / "crawled.db"
    crawl(db, sources, now=T[0])
    site.set("/news/edit", styled(EDIT_V2))
    site.set("/news/gone", b"gone", status=404)
    crawl(db, sources, "--recheck", "all", now=T[1])
    site.set("/news/edit", styled(EDIT_V1))  # reverted
    crawl(db, sources, "--recheck", "all", now=T[2])
    crawl(db, sources, "--recheck", "all", now=T[3])
    return CrawledArchive(db, sources, site.base)
