"""Feeds cannot blow up through XML entities; a real feed full of &amp; still parses fast (target 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scraper.feeds import FeedError, parse_feed, parse_feed_document

from .conftest import REPO

BIG = "A" * 100_000


def rss_document(prolog: str, title: str, encoding: str = "utf-8") -> str:
    return (f'<?xml version="1.0" encoding="{encoding}"?>{prolog}<rss version="2.0"><channel><title>t</title>'
            f"<item><title>{title}</title><link>http://news.example/a</link></item></channel></rss>")


LAUGHS = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
ATTACKS = {
    "billion-laughs": rss_document(f'<!DOCTYPE rss [<!ENTITY l0 "lol">{LAUGHS}]>', "&l9;").encode(),
    "one-big-entity-many-times": rss_document(f'<!DOCTYPE rss [<!ENTITY big "{BIG}">]>', "&big;" * 5000).encode(),
    "after-a-long-comment": rss_document("<!--" + " " * 100_000 + f'--><!DOCTYPE rss [<!ENTITY big "{BIG}">]>',
                                         "&big;" * 5000).encode(),
    "utf-16": rss_document(f'<!DOCTYPE rss [<!ENTITY big "{BIG}">]>', "&big;" * 5000, "utf-16").encode("utf-16"),
    "lower-case-loose": rss_document(f'<!doctype rss [<!entity big "{BIG}">]>', "&big;" * 5000).encode(),
    "external-file": rss_document('<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;").encode(),
    "parameter-entity": rss_document('<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1/evil.dtd"> %p;]>', "x").encode(),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_entity_declarations_are_refused_before_feedparser(name: str) -> None:
    with pytest.raises(FeedError) as refused:
        parse_feed(ATTACKS[name], "http://news.example/rss.xml")
    assert refused.value.reason == "feed-entities"


LAUGHING = rss_document(f'<!DOCTYPE rss [<!ENTITY l0 "lol">{LAUGHS}]>', "&l9;", "{encoding}")
# (encoding of the bytes, Content-Type): feedparser decodes each of these to the same document, so the
# check reads what its parsers would (in none of them is "<!ENTITY" an ASCII byte string)
ENCODINGS = [
    ("cp037", ""),  # EBCDIC, sniffed from its first bytes
    ("cp037", "application/rss+xml"),
    ("cp500", "application/xml; charset=cp500"),
    ("cp1140", "text/xml; charset=cp1140"),
    ("utf-16-be", "application/xml; charset=utf-16be"),  # no BOM
    ("utf-32-le", "application/xml"),
]


@pytest.mark.parametrize("encoding,content_type", ENCODINGS, ids=[f"{e}-{c or 'sniffed'}" for e, c in ENCODINGS])
def test_entity_declarations_are_refused_in_any_encoding(encoding: str, content_type: str) -> None:
    declared = encoding.removesuffix("-be").removesuffix("-le")
    body = LAUGHING.replace("{encoding}", declared).encode(encoding)
    assert b"<!ENTITY" not in body
    with pytest.raises(FeedError) as refused:
        parse_feed_document(body, "http://news.example/rss.xml", content_type)
    assert refused.value.reason == "feed-entities"


def test_utf7_spelled_entity_declaration_is_refused() -> None:
    body = LAUGHING.replace("{encoding}", "utf-7").replace("<!ENTITY", "+ADwAIQ-ENTITY").encode()
    with pytest.raises(FeedError, match="feed-entities"):
        parse_feed_document(body, "http://news.example/rss.xml", "application/xml; charset=utf-7")


def real_feed(items: int = 150) -> bytes:
    entries = "".join(
        f"<item><title>Tom &amp; Jerry &amp; friends, part {i} &lt;live&gt; &#8211; &#x201C;quoted&#x201D;</title>"
        f"<link>https://news.example/story?id={i}&amp;section=world&amp;ref=rss</link>"
        f"<description>{'Fish &amp; chips &amp; peas. ' * 25}</description>"
        f"<pubDate>Thu, 02 May 2024 08:00:00 GMT</pubDate></item>"
        for i in range(items)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News &amp; views</title>'
            f"<link>https://news.example/</link><description>d</description>{entries}</channel></rss>").encode()


def test_a_real_feed_with_many_escaped_ampersands_parses() -> None:
    links = parse_feed(real_feed(), "https://news.example/rss.xml")
    assert len(links) == 150
    assert links[7].url == "https://news.example/story?id=7&section=world"
    assert links[7].hints.title == "Tom & Jerry & friends, part 7 <live> – “quoted”"


MEASURE = """
import json, resource, sys, time
from pathlib import Path
from scraper.feeds import FeedError, parse_feed
from tests.test_feed_entities import ATTACKS, real_feed
results = {}
for name, body in [*ATTACKS.items(), ("real-feed", real_feed())]:
    started = time.perf_counter()
    try:
        outcome = len(parse_feed(body, "https://news.example/rss.xml"))
    except FeedError as exc:
        outcome = exc.reason
    results[name] = {"outcome": outcome, "seconds": time.perf_counter() - started}
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked (large) pytest process
results["peak_rss_mb"] = int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps(results))
"""


def test_every_feed_parses_in_under_a_second_and_100_mb() -> None:
    def cap() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1024 * 1024 * 1024,) * 2)  # a runaway fails, not the machine

    proc = subprocess.run([sys.executable, "-c", MEASURE], capture_output=True, text=True, cwd=REPO,
                          timeout=60, preexec_fn=cap, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    print(json.dumps(results))
    assert results.pop("peak_rss_mb") < 100
    real = results.pop("real-feed")
    assert real["outcome"] == 150 and real["seconds"] < 1
    for name, result in results.items():
        assert result["outcome"] == "feed-entities", name
    assert all(result["seconds"] < 1 for result in results.values())
