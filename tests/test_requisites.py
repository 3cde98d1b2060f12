"""Page requisites (`requisites = true`): what an article page references is fetched once, stored once by its
bytes, within the SSRF rules and robots.txt, and rechecked conditionally on its own slow schedule."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.requisites import css_requisites, html_requisites

from .conftest import crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1, T2, T3 = "2024-05-03T10:00:00Z", "2024-05-03T16:00:00Z", "2024-05-05T10:00:00Z"
PAGE = "https://news.test/2024/story"


@pytest.mark.parametrize("html, expected", [
    ('<link rel="stylesheet" href="/a.css"><link rel="icon" href="fav.ico"><link rel="alternate" href="/feed">',
     ["https://news.test/a.css", "https://news.test/2024/fav.ico"]),
    ('<link rel="preload" as="font" href="/f.woff2"><script src="//cdn.test/app.js"></script><script>x()</script>',
     ["https://news.test/f.woff2", "https://cdn.test/app.js"]),
    ('<img src="a.png" srcset="a-2x.png 2x, a-3x.png 3x"><img data-src="lazy.jpg">',
     ["https://news.test/2024/a.png", "https://news.test/2024/a-2x.png", "https://news.test/2024/a-3x.png",
      "https://news.test/2024/lazy.jpg"]),
    ('<picture><source srcset="/p.webp"><img src="/p.jpg"></picture><video poster="/v.jpg"></video>',
     ["https://news.test/p.webp", "https://news.test/p.jpg", "https://news.test/v.jpg"]),
    ('<style>@import "base.css"; h1 { background: url(\'/h.png\') }</style><div style="background:url(/d.png)">',
     ["https://news.test/2024/base.css", "https://news.test/h.png", "https://news.test/d.png"]),
    ('<base href="https://static.test/s/"><img src="x.png">', ["https://static.test/s/x.png"]),
    ('<img src="data:image/png;base64,AAAA"><img src="x.png#frag"><img src="x.png"><img src="javascript:void(0)">'
     '<img src="ftp://news.test/f.png">', ["https://news.test/2024/x.png"]),
    ("<p>no requisites</p>", []),
])
def test_html_requisites(html: str, expected: list[str]) -> None:
    assert html_requisites(html.encode(), PAGE) == expected


def test_html_requisites_are_bounded() -> None:
    page = "".join(f'<img src="/i{n}.png">' for n in range(500)).encode()
    assert len(html_requisites(page, PAGE, limit=100)) == 100
    assert html_requisites(b"", PAGE) == [] and html_requisites(b"\x00\xff", PAGE) == []


@pytest.mark.parametrize("css, expected", [
    ('@import "base.css"; @import url(print.css) print;', ["https://news.test/s/base.css", "https://news.test/s/print.css"]),
    ("a { background: url( '../i/a.png' ) } b { background: url(\"/b.png\") } c { background: url(c.svg#id) }",
     ["https://news.test/i/a.png", "https://news.test/b.png", "https://news.test/s/c.svg"]),
    ('@font-face { src: url(/f.woff2) format("woff2"), url(data:font/woff;base64,AA) }', ["https://news.test/f.woff2"]),
])
def test_css_requisites(css: str, expected: list[str]) -> None:
    assert css_requisites(css.encode(), "https://news.test/s/main.css") == expected


def styled(title: str, seed: int, extra: str = "") -> bytes:
    html = article_html(title, paragraphs(seed, 4))
    return html.replace("</head>", f'<link rel="stylesheet" href="/static/site.css">{extra}</head>').replace(
        "<h1>", '<img src="/img/photo.png"><img src="/img/copy.png"><h1>', 1).encode()


def serve(site: LocalSite, tmp_path: Path, *, requisites: bool = True, extra: str = "") -> Path:
    site.set("/static/site.css", b"body { background: url(/img/paper.png) }", content_type="text/css",
             headers={"ETag": '"css1"'})
    site.set("/img/photo.png", b"\x89PNG photo", content_type="image/png")
    site.set("/img/copy.png", b"\x89PNG photo", content_type="image/png")  # the same bytes at another URL
    site.set("/img/paper.png", b"\x89PNG paper", content_type="image/png")
    paths = ["/news/a", "/news/b", "/news/c"]
    for seed, path in enumerate(paths):
        site.set(path, styled(f"Story {path[-1]}", 70 + seed, extra))
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in paths]), content_type="application/rss+xml")
    return sources_for(site, tmp_path, {"daily": ["/rss.xml"]}, extra="requisites = true\n" if requisites else "")


REQUISITES = ["/static/site.css", "/img/photo.png", "/img/copy.png", "/img/paper.png"]


def test_requisites_are_fetched_once_and_stored_once_by_their_bytes(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    sources = serve(site, tmp_path)
    crawl(db_path, sources, now=T1)
    assert [site.hits(path) for path in REQUISITES] == [1, 1, 1, 1]  # three articles use them
    stored = rows(db_path, "select url, body is not null as body, body_hash from captures where article_id is null order by id")
    assert sorted(r["url"].removeprefix(site.base) for r in stored) == sorted(REQUISITES)
    photo = [r for r in stored if r["url"].endswith(("photo.png", "copy.png"))]
    assert photo[0]["body_hash"] == photo[1]["body_hash"] and sum(r["body"] for r in photo) == 1
    links = rows(db_path, "select a.url, count(*) as n from article_requisites ar join articles a on a.id = ar.article_id"
                          " group by a.url order by a.url")
    assert [link["n"] for link in links] == [3, 3, 3]  # the stylesheet and two images; paper.png is the stylesheet's
    [paper] = rows(db_path, "select p.url as parent from requisites r join requisites p on p.id = r.parent_id")
    assert paper["parent"] == site.url("/static/site.css")
    assert rows(db_path, "select count(*) as n from versions")[0]["n"] == 3


def test_requisites_are_off_unless_the_source_asks(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    crawl(db_path, serve(site, tmp_path, requisites=False), now=T1)
    assert [site.hits(path) for path in REQUISITES] == [0, 0, 0, 0]
    assert rows(db_path, "select count(*) as n from requisites")[0]["n"] == 0


def test_requisites_are_rechecked_conditionally_on_their_own_schedule(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    sources = serve(site, tmp_path)
    crawl(db_path, sources, now=T1)
    site.requests.clear()
    crawl(db_path, sources, "--recheck", "all", now=T2)  # six hours later: not due (at least a day)
    assert [site.hits(path) for path in REQUISITES] == [0, 0, 0, 0]
    site.set("/img/paper.png", b"\x89PNG new paper", content_type="image/png")
    crawl(db_path, sources, now=T3)  # two days later: all due, with the validators of their last fetch
    assert [site.hits(path) for path in REQUISITES] == [1, 1, 1, 1]
    css = [headers for path, headers in site.requests if path == "/static/site.css"]
    assert css[0].get("If-None-Match") == '"css1"'
    stored = rows(db_path, "select url, fetched_at from captures where article_id is null order by id")
    assert [(r["url"].removeprefix(site.base), r["fetched_at"]) for r in stored][4:] == [("/img/paper.png", T3)]
    [css_row] = rows(db_path, "select last_checked_at, last_status, next_check_at from requisites where url like '%site.css'")
    assert css_row == {"last_checked_at": T3, "last_status": 304, "next_check_at": "2024-05-07T10:00:00Z"}


def test_requisites_keep_to_the_ssrf_rules_and_robots(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    sources = serve(site, tmp_path, extra='<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
                                          '<script src="/private/tracker.js"></script>')
    site.set("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.set("/private/tracker.js", b"x()", content_type="application/javascript")
    result = crawl(db_path, sources, now=T1)
    assert "articles: 3 new, 0 updated, 0 unchanged, 0 failed" in result.stdout  # requisites never fail an article
    assert site.hits("/private/tracker.js") == 0
    failed = rows(db_path, "select url, last_error from requisites where last_error is not null order by url")
    assert {r["url"]: r["last_error"] for r in failed} == {
        "http://127.0.0.1:9/evil.css": "blocked-ssrf", site.url("/private/tracker.js"): "robots"}
