"""Builders for the news pages and feeds the tests serve."""

from __future__ import annotations

import html
import json
import random
import string
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

WORDS = (
    "government council minister report city river school market storm court election budget "
    "hospital police transport energy water festival museum union bridge harbour climate"
).split()


def paragraphs(seed: int, count: int = 6) -> list[str]:
    """Deterministic filler paragraphs, different per seed."""
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(count)
    ]


def article_html(
    title: str,
    paras: list[str],
    *,
    author: str = "Jane Reporter",
    published: str = "2024-05-02T08:00:00+00:00",
    modified: str | None = None,
    noise: str = "",
    lang: str = "en",
) -> str:
    """A WordPress-like article page; ``noise`` lands in ads/scripts/timestamps, outside the article."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    modified_meta = f'<meta property="article:modified_time" content="{modified}">' if modified else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{html.escape(title)} – The Daily Test</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="The Daily Test">
<meta property="article:published_time" content="{published}">
{modified_meta}
<script>var csrf = "{noise}";</script>
</head><body>
<header><a href="/">The Daily Test</a> <span class="clock">Rendered {noise}</span></header>
<div class="ad">Advertisement {noise}</div>
<main><article>
<h1>{html.escape(title)}</h1>
<p class="byline">By {html.escape(author)}</p>
{body}
</article></main>
<footer>© The Daily Test <span>{noise}</span></footer>
</body></html>"""


def noisy(page: str) -> bytes:
    """Bytes of ``page`` with a fresh random token wherever ``{noise}`` placeholders were rendered."""
    token = "".join(random.choices(string.ascii_letters + string.digits, k=16))
    return page.replace("{noise}", token).encode()


def rss(items: list[dict[str, str]], title: str = "Test feed") -> bytes:
    entries = "".join(
        f"<item><title>{html.escape(i['title'])}</title><link>{html.escape(i['link'])}</link>"
        f"<pubDate>{i.get('pubDate', 'Thu, 02 May 2024 08:00:00 GMT')}</pubDate></item>"
        for i in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>t</description>{entries}</channel></rss>").encode()


def atom(items: list[dict[str, str]]) -> bytes:
    entries = "".join(
        f"<entry><title>{html.escape(i['title'])}</title><link rel=\"alternate\" href=\"{html.escape(i['link'])}\"/>"
        f"<id>{html.escape(i['link'])}</id><updated>{i.get('updated', '2024-05-02T09:00:00Z')}</updated>"
        f"<author><name>{i.get('author', 'Atom Author')}</name></author></entry>"
        for i in items
    )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Atom test</title><id>urn:test</id><updated>2024-05-02T09:00:00Z</updated>{entries}</feed>").encode()


def json_feed(items: list[dict[str, str]]) -> bytes:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON test",
        "items": [
            {"id": i["link"], "url": i["link"], "title": i["title"],
             "date_published": i.get("date_published", "2024-05-02T10:00:00Z"),
             "authors": [{"name": i.get("author", "Json Author")}]}
            for i in items
        ],
    }).encode()
