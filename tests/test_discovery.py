"""Discovery beyond feeds (sitemaps, section pages), canonical URLs and aliases, `newsarchive add`."""

from __future__ import annotations

import gzip
from pathlib import Path

from .conftest import crawl, rows, run_cli, write_sources
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T0 = "2024-05-03T10:00:00Z"
T5 = "2024-05-03T10:05:00Z"
PUBLISHED_META = '<meta property="article:published_time" content="2024-05-02T08:00:00+00:00">'


def urlset(entries: list[str], news: bool = False) -> bytes:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>'
            + "".join(entries) + "</urlset>").encode()


def url_entry(loc: str, lastmod: str | None = None) -> str:
    return f"<url><loc>{loc}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"


def index(locs: list[str], lastmods: dict[str, str] | None = None) -> bytes:
    lastmods = lastmods or {}
    children = "".join(f"<sitemap><loc>{loc}</loc>" + (f"<lastmod>{lastmods[loc]}</lastmod>" if loc in lastmods else "")
                       + "</sitemap>" for loc in locs)
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + children + "</sitemapindex>").encode()


def test_sitemap_index_with_gzip_child_news_sitemap_and_lastmod_trigger(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site.url('/sitemap-index.xml')}\n".encode(), content_type="text/plain")
    site.set("/sitemap-index.xml", index([site.url("/sitemap-2024.xml.gz"), site.url("/news-sitemap.xml"),
                                          site.url("/sitemap-index.xml"), site.url("/deep-0.xml"), site.url("/broken.xml")],
                                         {site.url("/news-sitemap.xml"): "2024-05-03T09:30:00Z"}),
             content_type="application/xml")
    for depth in range(3):  # robots → index → deep-0 → deep-1 → (deep-2 is past the depth bound)
        site.set(f"/deep-{depth}.xml", index([site.url(f"/deep-{depth + 1}.xml")]), content_type="application/xml")

    def dated_sitemap(recent_lastmod: str) -> bytes:
        return gzip.compress(urlset([
            url_entry(site.url("/news/recent"), recent_lastmod),
            url_entry(site.url("/news/ancient"), "2023-01-01"),  # older than the 30-day horizon
            url_entry(site.url("/news/undated")),
        ]))

    site.set("/sitemap-2024.xml.gz", dated_sitemap("2024-05-02"), content_type="application/x-gzip")
    site.set("/broken.xml", b"<html><body>Temporarily unavailable</body></html>", content_type="text/html")
    site.set("/news-sitemap.xml", urlset([
        f"<url><loc>{site.url('/news/breaking')}</loc><news:news><news:publication><news:name>Daily</news:name>"
        "<news:language>en</news:language></news:publication><news:publication_date>2024-05-03T08:00:00+01:00"
        "</news:publication_date><news:title>Bridge closes after storm</news:title></news:news></url>"
    ], news=True), content_type="application/xml")
    for name in ("recent", "ancient", "undated"):
        site.set(f"/news/{name}", article_html(f"The {name} story", paragraphs(len(name))).encode())
    site.set("/news/breaking", article_html("", paragraphs(9)).replace(PUBLISHED_META, "").replace("<title> – The Daily Test</title>", "").replace('<meta property="og:title" content="">', "").replace("<h1></h1>", "").encode())
    sources = write_sources(tmp_path / "sources.toml", f'[[source]]\nname = "daily"\nsitemaps = ["{site.url("/robots.txt")}"]\ndelay = 0\n')

    result = crawl(db_path, sources, now=T0)
    assert "(not-a-sitemap: 1)" in result.stdout
    articles = rows(db_path, "select url, entry_source, entry_title, entry_published_at, entry_updated_at, versions from articles order by url")
    assert [(a["url"].rsplit("/", 1)[1], a["entry_source"], a["entry_title"], a["entry_published_at"], a["entry_updated_at"], a["versions"])
            for a in articles] == [
        ("breaking", "sitemap", "Bridge closes after storm", "2024-05-03T07:00:00Z", None, 1),
        ("recent", "sitemap", None, None, "2024-05-02T00:00:00Z", 1),
        ("undated", "sitemap", None, None, None, 1),
    ]
    assert site.hits("/news/ancient") == 0
    assert (site.hits("/sitemap-index.xml"), site.hits("/deep-0.xml"), site.hits("/deep-1.xml"), site.hits("/deep-2.xml")) == (1, 1, 1, 0)
    [breaking] = rows(db_path, "select title, published_at, published_source from versions where title like 'Bridge%'")
    assert breaking == {"title": "Bridge closes after storm", "published_at": "2024-05-03T07:00:00Z", "published_source": "sitemap"}
    assert rows(db_path, "select kind, count(*) n from article_urls group by kind") == [{"kind": "sitemap", "n": 3}]

    # 5 minutes later nothing is due by the ladder, but /news/recent's lastmod moved past our last check
    site.set("/sitemap-2024.xml.gz", dated_sitemap("2024-05-03T10:03:00Z"), content_type="application/x-gzip")
    site.set("/news/recent", article_html("The recent story", paragraphs(6) + ["Updated with reactions."]).encode())
    result = crawl(db_path, sources, now=T5)
    assert "articles: 0 new, 1 updated, 0 unchanged, 0 failed" in result.stdout
    assert (site.hits("/news/recent"), site.hits("/news/undated"), site.hits("/news/breaking")) == (2, 1, 1)
    # the index says the news sitemap has not changed since our last poll of it: not requested again
    assert (site.hits("/sitemap-2024.xml.gz"), site.hits("/news-sitemap.xml")) == (2, 1)


def test_section_page_with_follow(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    links = ["/news/2024/alpha", "/news/2024/beta?utm_source=home", "/about", "/tag/budget", "/news/2024/alpha#comments"]
    anchors = "".join(f'<a href="{href}">link</a>' for href in links) + '<a href="https://elsewhere.example/news/2024/x">x</a>'
    site.set("/section/", f"<html><body><nav>{anchors}</nav></body></html>".encode())
    for name in ("alpha", "beta"):
        site.set(f"/news/2024/{name}", article_html(f"Story {name}", paragraphs(len(name))).encode())
    sources = write_sources(tmp_path / "sources.toml", f'[[source]]\nname = "front"\npages = ["{site.url("/section/")}"]\n'
                            "follow = ['/news/\\d{4}/']\ndelay = 0\n")
    result = crawl(db_path, sources, now=T0)
    assert "articles: 2 new, 0 updated, 0 unchanged, 0 failed" in result.stdout
    assert rows(db_path, "select a.url, u.kind, a.discovered_via from articles a join article_urls u on u.article_id = a.id order by a.url") == [
        {"url": site.url("/news/2024/alpha"), "kind": "page", "discovered_via": site.url("/section/")},
        {"url": site.url("/news/2024/beta"), "kind": "page", "discovered_via": site.url("/section/")},
    ]
    assert rows(db_path, "select kind, entries, poll_interval from feeds") == [{"kind": "page", "entries": 2, "poll_interval": 1800}]
    assert site.hits("/about") == 0 and site.hits("/tag/budget") == 0


def test_canonical_redirect_and_amp_urls_are_one_article(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    paras = paragraphs(5)
    head = f'<link rel="canonical" href="{site.url("/news/a")}"><link rel="amphtml" href="/news/a/amp"></head>'
    page = article_html("One story, many URLs", paras).replace("</head>", head).encode()
    for path in ("/news/a", "/news/a?x=1", "/amp/news/a"):
        site.set(path, page)
    site.set("/old-url", b"", status=301, headers={"Location": site.url("/news/a")})
    feed_links = ["/news/a?x=1&utm_source=rss", "/amp/news/a", "/old-url"]
    site.set("/rss.xml", rss([{"title": "a", "link": site.url(p)} for p in feed_links]), content_type="application/rss+xml")
    sources = write_sources(tmp_path / "sources.toml", f'[[source]]\nname = "daily"\nfeeds = ["{site.url("/rss.xml")}"]\ndelay = 0\n')
    result = crawl(db_path, sources, now=T0)
    assert "articles: 1 new, 0 updated, 2 unchanged, 0 failed" in result.stdout
    [article] = rows(db_path, "select id, url, versions from articles")
    assert article["url"] == site.url("/news/a") and article["versions"] == 1
    aliases = {row["url"].removeprefix(site.base): row["kind"] for row in rows(db_path, "select * from article_urls where article_id = ?", [article["id"]])}
    assert aliases.pop("/news/a") in ("canonical", "redirect")
    assert aliases == {"/news/a?x=1": "feed", "/amp/news/a": "feed", "/old-url": "feed", "/news/a/amp": "amp"}
    assert rows(db_path, "select count(*) n, count(distinct article_id) articles from captures") == [{"n": 3, "articles": 1}]
    # a later feed listing the canonical URL or an alias finds the same article
    site.set("/rss.xml", rss([{"title": "a", "link": site.url(p)} for p in ("/news/a", "/news/a/amp")]), content_type="application/rss+xml")
    result = crawl(db_path, sources, "--all-feeds", "--recheck", "none", now=T5)
    assert "articles: 0 new" in result.stdout
    assert rows(db_path, "select count(*) n from articles") == [{"n": 1}]


def test_canonical_on_another_site_is_ignored(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    head = '<link rel="canonical" href="https://aggregator.example/story/1"></head>'
    site.set("/news/syndicated", article_html("Syndicated", paragraphs(3)).replace("</head>", head).encode())
    site.set("/rss.xml", rss([{"title": "s", "link": site.url("/news/syndicated")}]), content_type="application/rss+xml")
    sources = write_sources(tmp_path / "sources.toml", f'[[source]]\nname = "daily"\nfeeds = ["{site.url("/rss.xml")}"]\ndelay = 0\n')
    crawl(db_path, sources, now=T0)
    assert rows(db_path, "select url from articles") == [{"url": site.url("/news/syndicated")}]
    assert rows(db_path, "select url, kind from article_urls") == [{"url": site.url("/news/syndicated"), "kind": "feed"}]


def test_add_captures_urls_now(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/manual", article_html("Added by hand", paragraphs(4)).encode())
    url = site.url("/news/manual?utm_campaign=x")
    no_sources = str(tmp_path / "none.toml")
    result = run_cli("add", "--db", str(db_path), "--sources", no_sources, url, now=T0)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("feeds: 0 polled, 0 failed; articles: 1 new, 0 updated, 0 unchanged, 0 failed;")
    assert rows(db_path, "select url, source, status, versions, next_check_at from articles") == [
        {"url": site.url("/news/manual"), "source": "manual", "status": "archived", "versions": 1, "next_check_at": "2024-05-03T10:15:00Z"}
    ]
    assert rows(db_path, "select kind from article_urls") == [{"kind": "manual"}]
    # adding it again fetches it again at once (not conditional, not waiting for the ladder)
    result = run_cli("add", "--db", str(db_path), "--sources", no_sources, "--source", "daily", site.url("/news/manual"), now=T5)
    assert "articles: 0 new, 0 updated, 1 unchanged" in result.stdout
    assert site.hits("/news/manual") == 2
    result = run_cli("add", "--db", str(db_path), "--sources", no_sources, "--source", "daily", site.url("/news/missing"), now=T5)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "Error: 1 of 1 URL(s) could not be archived (see the reasons above)"
    assert rows(db_path, "select source, status, last_error from articles where url like '%missing'") == [
        {"source": "daily", "status": "failed", "last_error": "http-404"}
    ]
    bad = run_cli("add", "--db", str(db_path), "ftp://example.com/x")
    assert (bad.returncode, bad.stderr.strip()) == (2, "Error: 'ftp://example.com/x' is not an http(s) URL; give full article URLs like https://example.com/news/1")


def test_archived_article_whose_canonical_is_another_known_article_is_merged(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/x", article_html("Story X", paragraphs(11)).encode())
    site.set("/news/y", article_html("Story Y", paragraphs(12)).encode())
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in ("/news/x", "/news/y")]), content_type="application/rss+xml")
    sources = write_sources(tmp_path / "sources.toml", f'[[source]]\nname = "daily"\nfeeds = ["{site.url("/rss.xml")}"]\ndelay = 0\n')
    crawl(db_path, sources, now=T0)
    # the site consolidates: /news/x now serves Y's story and names /news/y canonical
    site.set("/news/x", article_html("Story Y", paragraphs(12)).replace("</head>", f'<link rel="canonical" href="{site.url("/news/y")}"></head>').encode())
    result = crawl(db_path, sources, "--recheck", "all", now=T5)
    assert "articles: 0 new, 0 updated, 2 unchanged, 0 failed" in result.stdout
    assert rows(db_path, "select url, status, versions, next_check_at from articles order by url") == [
        {"url": site.url("/news/x"), "status": "merged", "versions": 1, "next_check_at": None},
        {"url": site.url("/news/y"), "status": "archived", "versions": 1, "next_check_at": "2024-05-03T10:20:00Z"},
    ]
    assert rows(db_path, "select a.url, count(*) n from captures c join articles a on a.id = c.article_id group by a.url order by a.url") == [
        {"url": site.url("/news/x"), "n": 1}, {"url": site.url("/news/y"), "n": 3},
    ]
    assert rows(db_path, "select u.url, a.url as article from article_urls u join articles a on a.id = u.article_id order by u.url") == [
        {"url": site.url("/news/x"), "article": site.url("/news/y")}, {"url": site.url("/news/y"), "article": site.url("/news/y")},
    ]
    # the feed still lists /news/x: it leads to Y, which is fetched at its own URL
    before = site.hits("/news/x"), site.hits("/news/y")
    crawl(db_path, sources, "--recheck", "all", now="2024-05-03T11:00:00Z")
    assert (site.hits("/news/x"), site.hits("/news/y")) == (before[0], before[1] + 1)


def test_redirects_to_a_consent_page_or_the_home_page_do_not_merge_articles(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/consent", b"<html><head><title>Cookies</title></head><body><p>Accept cookies to continue.</p></body></html>")
    site.set("/", article_html("Front page", paragraphs(20)).encode())
    site.set("/news/p", b"", status=302, headers={"Location": site.url("/consent")})
    site.set("/news/q", b"", status=302, headers={"Location": site.url("/consent")})
    site.set("/news/r", b"", status=301, headers={"Location": site.url("/")})
    site.set("/news/s", b"", status=301, headers={"Location": site.url("/")})
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in ("/news/p", "/news/q", "/news/r", "/news/s")]),
             content_type="application/rss+xml")
    sources = write_sources(tmp_path / "sources.toml", f'[[source]]\nname = "daily"\nfeeds = ["{site.url("/rss.xml")}"]\ndelay = 0\n')
    crawl(db_path, sources, now=T0)
    assert [r["url"].removeprefix(site.base) for r in rows(db_path, "select url from articles order by url")] == [
        "/news/p", "/news/q", "/news/r", "/news/s"]
    assert rows(db_path, "select kind, count(*) n from article_urls group by kind") == [{"kind": "feed", "n": 4}]
