"""A real crawled archive for the web-archive tests (export, import, replay): built once per session.

Four passes over a local site (T1..T4) give every kind of capture: a page answering 304 to its ETag, a page
sending the same bytes again, an edit and its revert, a redirect, a 404 after a 200, a 301 without a
Location, a link the SSRF guard refuses (no response at all), the stylesheet, image and font of the
``daily`` source's pages (``requisites = true``), and a second source, ``wire``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import Archive

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
class WebArchive:
    db: Path
    sources: Path
    base: str  # the site's http://127.0.0.1:PORT

    def url(self, path: str) -> str:
        return self.base + path


def build(root: Path) -> WebArchive:
    """Crawl the scenario into ``root``/crawled.db and stop the site (the archive is all that is left)."""
    site = LocalSite().start()
    try:
        return _crawl(site, root)
    finally:
        site.stop()


def _crawl(site: LocalSite, root: Path) -> WebArchive:
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
    return WebArchive(db, sources, site.base)


def snapshot(db: Path, *, since: str | None = None, until: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Everything a round trip must keep, field by field (captures fetched in [since, until) only)."""
    window = " and ".join(f"c.fetched_at {op} '{value}'" for op, value in ((">=", since), ("<", until)) if value) or "1 = 1"
    with Archive(db, readonly=True) as archive:
        query = archive.db.query
        captures = []
        for row in query(
            "select c.id, a.url as article, c.url, c.fetched_at, c.status, c.headers, c.error, c.body_hash,"
            " v.version, v.content_hash from captures_full c left join articles a on a.id = c.article_id"
            f" left join versions v on v.id = c.version_id where {window} order by c.fetched_at, c.id"
        ):
            row["headers"] = json.loads(row["headers"] or "{}")
            capture_id = row.pop("id")
            row["body"] = archive.capture_body(capture_id) if row["body_hash"] else None
            captures.append(row)
        articles = list(query(
            "select url, source, status, first_seen_at, discovered_via, entry_title, entry_author, entry_published_at,"
            " entry_updated_at, entry_source, last_checked_at, next_check_at, latest_version, versions, last_error,"
            " gone_at, missing_checks, etag, last_modified from articles where id in (select article_id from captures)"
            " order by url"))
        versions = [{k: v for k, v in row.items() if k not in ("id", "article_id")} for row in query(
            "select a.url as article, v.* from versions v join articles a on a.id = v.article_id order by a.url, v.version")]
        aliases = list(query(
            "select u.url, a.url as article, u.kind, u.first_seen_at from article_urls u join articles a on"
            " a.id = u.article_id where a.id in (select article_id from captures) order by u.url"))
        requisites = list(query(
            "select r.url, r.source, p.url as parent, r.first_seen_at from requisites r"
            " left join requisites p on p.id = r.parent_id order by r.url"))
        links = list(query(
            "select a.url as article, r.url from article_requisites ar join articles a on a.id = ar.article_id"
            " join requisites r on r.id = ar.requisite_id order by a.url, r.url"))
    return {"captures": captures, "articles": articles, "versions": versions, "aliases": aliases,
            "requisites": requisites, "article_requisites": links}
