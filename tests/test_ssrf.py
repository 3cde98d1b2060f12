"""SSRF guard: nothing reaches this machine or its network unless sources.toml names it (target 3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.middlewares.addresses import is_public, literal_address
from scraper.middlewares.ssrf import trusted_origins
from scraper.sources import Source

from .conftest import crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),
        ("127.255.0.9", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("169.254.169.254", False),  # cloud metadata
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("::ffff:93.184.215.14", True),
        ("::127.0.0.1", False),  # IPv4-compatible
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("not an address", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::ffff:7f00:1]", "::ffff:7f00:1"),
        ("::1", "::1"),
        ("example.com", None),
        ("localhost", None),
    ],
)
def test_literal_address_reads_every_numeric_spelling(host: str, address: str | None) -> None:
    found = literal_address(host)
    assert (str(found) if found else None) == address


def test_trusted_origins_are_the_configured_hosts_and_ports() -> None:
    sources = [Source("a", ("http://127.0.0.1:8080/rss.xml", "https://intranet.example/feed")),
               Source("b", ("http://news.example/rss",), extra={"sitemaps": ["http://10.0.0.5:81/sitemap.xml"]})]
    assert trusted_origins(sources) == {
        ("127.0.0.1", 8080), ("intranet.example", 443), ("intranet.example", 80),
        ("news.example", 80), ("news.example", 443), ("10.0.0.5", 81),
    }


@pytest.fixture
def internal() -> Iterator[LocalSite]:
    """A service on this machine that the crawler must never reach (another port than the sources')."""
    server = LocalSite().start()
    server.set("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
    server.set("/secret", article_html("Internal secret", paragraphs(99)).encode())
    yield server
    server.stop()


def hostile_links(port: int) -> list[str]:
    spellings = ["127.0.0.1", "localhost", "2130706433", "0x7f.1", "0x7f000001", "0177.0.0.1", "127.1",
                 "0.0.0.0", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::1]", "LOCALHOST."]
    return [f"http://{host}:{port}/secret" for host in spellings] + [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://224.0.0.1/",
    ]


def test_feed_links_and_redirects_to_internal_addresses_are_refused(
    site: LocalSite, internal: LocalSite, tmp_path: Path, db_path: Path
) -> None:
    links = hostile_links(internal.httpd.server_address[1])
    site.set("/go", b"", status=302, headers={"Location": internal.url("/secret-1").replace("127.0.0.1", "localhost")})
    site.set("/go-file", b"", status=302, headers={"Location": "file:///etc/passwd"})
    site.set("/go-numeric", b"", status=301, headers={"Location": f"http://2130706433:{internal.httpd.server_address[1]}/secret-2"})
    site.set("/news/fine", article_html("A fine story", paragraphs(1)).encode())
    feed_links = [*links, site.url("/go"), site.url("/go-file"), site.url("/go-numeric"), site.url("/news/fine"),
                  "file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x"]
    site.set("/rss.xml", rss([{"title": f"L{i}", "link": link} for i, link in enumerate(feed_links)]),
             content_type="application/rss+xml")
    site.set("/moved.xml", b"", status=301, headers={"Location": internal.url("/feed.xml").replace("127.0.0.1", "0x7f.1")})
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml", "/moved.xml"]})

    result = crawl(db_path, sources, "-s", "RETRY_TIMES=0", now=T1)

    assert internal.requests == []
    assert result.stdout.startswith("feeds: 1 polled, 1 failed;")
    assert rows(db_path, "select last_error from feeds where url like '%moved%'") == [{"last_error": "blocked-ssrf"}]
    assert "articles: 1 new, 0 updated, 0 unchanged, 18 failed" in result.stdout
    # Scrapy itself refuses to follow a redirect to file: (the 302 is the failure)
    assert "(blocked-ssrf: 18, http-302: 1)" in result.stdout
    errors = rows(db_path, "select a.url, c.error from captures c join articles a on a.id = c.article_id order by a.id")
    assert [e["error"] for e in errors] == ["blocked-ssrf"] * 16 + ["http-302", "blocked-ssrf", None]
    assert [e["url"] for e in errors][-4:] == [site.url(p) for p in ("/go", "/go-file", "/go-numeric", "/news/fine")]
    # non-http(s) links never even enter the frontier
    assert rows(db_path, "select count(*) n from articles where url not like 'http%'") == [{"n": 0}]
    assert rows(db_path, "select count(*) n from versions where text like '%root:%'") == [{"n": 0}]


def test_allow_private_lets_a_source_follow_links_to_internal_hosts(
    site: LocalSite, internal: LocalSite, tmp_path: Path, db_path: Path
) -> None:
    site.set("/rss.xml", rss([{"title": "internal", "link": internal.url("/secret").replace("127.0.0.1", "localhost")}]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"intranet": ["/rss.xml"]}, extra="allow_private = true\n")

    result = crawl(db_path, sources, now=T1)

    assert "articles: 1 new, 0 updated, 0 unchanged, 0 failed" in result.stdout
    assert internal.hits("/secret") == 1
    assert rows(db_path, "select title from versions") == [{"title": "Internal secret"}]


def test_resolver_refuses_a_private_answer_at_connect_time() -> None:
    """DNS rebinding: the connect-time lookup answering 127.0.0.1 fails with reason blocked-ssrf."""
    from scraper.failures import failure_reason
    from scraper.middlewares.resolver import BlockedAddress, GuardedResolver

    assert GuardedResolver._check("93.184.215.14", "news.example") == "93.184.215.14"
    with pytest.raises(BlockedAddress) as caught:
        GuardedResolver._check("127.0.0.1", "rebind.example")
    wrapped = RuntimeError("download failed")
    wrapped.__cause__ = caught.value  # Scrapy re-raises DNS errors as CannotResolveHostError from the original
    assert failure_reason(wrapped) == "blocked-ssrf"


def test_connect_time_resolver_refuses_internal_answers_even_without_the_middleware(
    site: LocalSite, internal: LocalSite, tmp_path: Path, db_path: Path
) -> None:
    """Defence in depth: with the middleware switched off, the DNS resolver still refuses localhost."""
    site.set("/rss.xml", rss([{"title": "x", "link": internal.url("/secret").replace("127.0.0.1", "localhost")}]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})

    result = crawl(db_path, sources, "-s", "RETRY_TIMES=0",
                   "-s", 'DOWNLOADER_MIDDLEWARES={"scraper.middlewares.ssrf.SSRFGuardMiddleware": null}', now=T1)

    assert internal.requests == []
    # Twisted reports the refused answer as a failed lookup
    assert "articles: 0 new, 0 updated, 0 unchanged, 1 failed" in result.stdout and "(dns: 1)" in result.stdout
    assert "refused DNS answer 127.0.0.1 for localhost (blocked-ssrf)" in result.stderr
