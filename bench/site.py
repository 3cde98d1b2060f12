"""The benchmark's news site: N article pages (30–300 KB, four markup styles), section feeds, a sitemap.

Everything is a deterministic function of (article number, revision), so an "edit" rewrites one page
with its next revision and a re-run produces byte-identical files.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import random
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

SECTIONS = ("world", "politics", "business", "science", "culture", "sport", "health", "tech", "local", "opinion")
STYLES = ("wordpress", "divsoup", "semantic", "legacy")
MIN_BYTES, MAX_BYTES = 30_000, 300_000
_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _vocabulary(size: int = 6000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    syllables = "ba be bi bo bu ca ce co da de di do fa fe fi ga ge go ha he hi ka ke ko la le li lo lu " \
                "ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we ya zo"
    parts = syllables.split()
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(parts) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
    return sorted(words)


VOCABULARY = _vocabulary()
# Zipf weights: a few very common words, a long tail — like news prose (and like what FTS indexes).
_CUMULATIVE = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(VOCABULARY))))
_ZIPF_BITS = {word: -math.log2(1 / (rank + 1) / _CUMULATIVE[-1]) for rank, word in enumerate(VOCABULARY)}


def sentence(rng: random.Random, words: int) -> str:
    """A capitalised pseudo-sentence of ``words`` Zipf-distributed words."""
    chosen = rng.choices(VOCABULARY, cum_weights=_CUMULATIVE, k=words)
    return " ".join(chosen).capitalize() + "."


_KEYWORDS = re.compile(r'"kw": \[([^\]]*)\]')  # ad keywords: uniform draws
_NAMES = re.compile(r"<b>([A-Z][a-z]+)</b>")  # comment authors: uniform draws
_WORD = re.compile(r"[a-z]+")


def information_bits(page: str) -> float:
    """A lower bound on the bits any lossless codec needs for ``page`` without knowing the generator's seed:
    the information of its vocabulary words under the model that drew them (Zipf prose, uniform keywords
    and names). Ids, numbers and the choice of layout are not counted, so the true floor is higher."""
    uniform = math.log2(len(VOCABULARY))
    bits = uniform * sum(len(_WORD.findall(match)) for match in _KEYWORDS.findall(page))
    bits += uniform * len(_NAMES.findall(page))
    rest = _NAMES.sub(" ", _KEYWORDS.sub(" ", page)).lower()
    return bits + sum(_ZIPF_BITS[word] for word in _WORD.findall(rest) if word in _ZIPF_BITS)


def paragraph_texts(rng: random.Random, count: int) -> list[str]:
    """``count`` paragraphs of 3–7 sentences."""
    return [" ".join(sentence(rng, rng.randint(8, 24)) for _ in range(rng.randint(3, 7))) for _ in range(count)]


@dataclass(frozen=True)
class Article:
    number: int
    revision: int = 0
    render: int = 0  # > 0: the same revision served again with new request ids, ad slots and render time

    @property
    def section(self) -> str:
        return SECTIONS[self.number % len(SECTIONS)]

    @property
    def path(self) -> str:
        return f"/{self.section}/2026/{self.number:06d}-story.html"

    @property
    def published(self) -> datetime:
        return _EPOCH + timedelta(minutes=7 * self.number)

    @property
    def title(self) -> str:
        return sentence(random.Random(self.number * 31 + 1), random.Random(self.number).randint(5, 11))[:-1]

    def target_bytes(self) -> int:
        """Log-uniform page size between 30 and 300 KB."""
        u = random.Random(self.number * 7 + 3).random()
        return int(MIN_BYTES * math.exp(u * math.log(MAX_BYTES / MIN_BYTES)))

    def paragraphs(self) -> list[str]:
        rng = random.Random(self.number * 101 + 5)
        paras = paragraph_texts(rng, rng.randint(5, 22))
        if self.revision:  # an edit: a corrected paragraph and an added one
            edit = random.Random(self.number * 997 + self.revision)
            paras[edit.randrange(len(paras))] = paragraph_texts(edit, 1)[0]
            paras.append("Update: " + paragraph_texts(edit, 1)[0])
        return paras


def _padding(rng: random.Random, budget: int, base: str) -> tuple[str, str]:
    """Navigation, related links, comments and script blobs filling ``budget`` bytes: (dom, scripts)."""
    dom, scripts, size = [], [], 0
    while size < budget:
        kind = rng.random()
        if kind < 0.35:
            items = "".join(
                f'<li class="rel-item"><a href="{base}/{rng.choice(SECTIONS)}/2026/{rng.randrange(10**6):06d}-story.html">'
                f"{html.escape(sentence(rng, rng.randint(4, 9)))}</a><span class=\"ts\">{rng.randint(1, 59)} min</span></li>"
                for _ in range(rng.randint(6, 14))
            )
            chunk = f'<aside class="related"><h3>Read more</h3><ul>{items}</ul></aside>'
            dom.append(chunk)
        elif kind < 0.6:
            chunk = "".join(
                f'<div class="comment" data-id="{rng.randrange(10**8)}"><b>{rng.choice(VOCABULARY).title()}</b>'
                f"<p>{html.escape(sentence(rng, rng.randint(6, 30)))}</p></div>"
                for _ in range(rng.randint(3, 8))
            )
            chunk = f'<section class="comments">{chunk}</section>'
            dom.append(chunk)
        else:
            state = {"ads": [{"slot": rng.randrange(999), "kw": rng.choices(VOCABULARY, k=12)} for _ in range(20)],
                     "tracking": "%032x" % rng.getrandbits(128)}
            chunk = f"<script>window.__STATE__ = {json.dumps(state)};</script>"
            scripts.append(chunk)
        size += len(chunk)
    return "\n".join(dom), "\n".join(scripts)


def article_html(article: Article, base: str = "") -> str:
    """The article page (``base`` prefixes its internal links; empty for site-relative)."""
    rng = random.Random(article.number * 13 + 11)
    style = STYLES[article.number % len(STYLES)]
    paras = article.paragraphs()
    title = html.escape(article.title)
    published = article.published.isoformat()
    author = f"{rng.choice(VOCABULARY).title()} {rng.choice(VOCABULARY).title()}"
    nav = "".join(f'<li><a href="{base}/{s}/">{s.title()}</a></li>' for s in SECTIONS)
    body_text = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    head = (
        f'<meta charset="utf-8"><title>{title} | The Bench Times</title>'
        f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="The Bench Times">'
        f'<meta property="article:published_time" content="{published}"><meta name="author" content="{author}">'
        f'<link rel="canonical" href="{base}{article.path}">'
    )
    if article.render:  # what changes on every response of a real site, around an unchanged article
        noise = random.Random(article.number * 7919 + article.render)
        head += (f'<script>window.__REQUEST__ = {{"id": "{noise.getrandbits(128):032x}", '
                 f'"nonce": "{noise.getrandbits(64):016x}"}};</script>')
        nav += (f'<li class="ad" data-slot="{noise.randrange(10**9)}">Advertisement</li>'
                f'<li class="clock">Updated {noise.randint(1, 59)} minutes ago</li>')
    skeleton_size = len(head) + len(nav) + len(body_text) + 1500
    dom_pad, script_pad = _padding(rng, max(0, article.target_bytes() - skeleton_size), base)
    if style == "wordpress":
        main = (f'<div id="content" class="site-content"><article class="post type-post hentry">'
                f'<header class="entry-header"><h1 class="entry-title">{title}</h1>'
                f'<span class="byline">By <a rel="author">{author}</a></span>'
                f'<time class="entry-date" datetime="{published}">{published[:10]}</time></header>'
                f'<div class="entry-content">{body_text}</div></article>'
                f'<div id="secondary" class="widget-area">{dom_pad}</div></div>')
    elif style == "divsoup":
        main = (f'<div class="app"><div class="c-layout"><div class="c-layout__main">'
                f'<div class="headline-wrap"><h1 class="css-1x2y3z">{title}</h1></div>'
                f'<div class="css-byline">{author}</div><div class="css-body" data-testid="article-body">'
                + "".join(f'<div class="css-para">{html.escape(p)}</div>' for p in paras)
                + f'</div></div><div class="c-layout__rail">{dom_pad}</div></div></div>')
    elif style == "semantic":
        main = (f'<main><article itemscope itemtype="https://schema.org/NewsArticle">'
                f'<h1 itemprop="headline">{title}</h1><p class="byline" itemprop="author">{author}</p>'
                f'<div itemprop="articleBody">{body_text}</div></article>{dom_pad}</main>'
                f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": article.title, "datePublished": published, "author": {"@type": "Person", "name": author}})}</script>')
    else:
        main = (f'<table width="100%"><tr><td class="left">{dom_pad}</td><td class="story">'
                f'<h1>{title}</h1><font size="2">by {author}, {published[:10]}</font>{body_text}</td></tr></table>')
    return (f'<!DOCTYPE html>\n<html lang="en"><head>{head}{script_pad}</head><body>'
            f'<header class="masthead"><a href="{base}/">The Bench Times</a><nav><ul>{nav}</ul></nav></header>'
            f"{main}<footer><p>© 2026 The Bench Times</p><ul>{nav}</ul></footer></body></html>\n")


def rss(section: str, articles: list[Article], base: str) -> str:
    """An RSS 2.0 feed of ``articles`` (newest first)."""
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{base}{a.path}</link><guid>{base}{a.path}</guid>"
        f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
        for a in sorted(articles, key=lambda a: -a.number)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>The Bench Times: {section}</title>'
            f"<link>{base}/{section}/</link><description>{section}</description>{items}</channel></rss>\n")


def sitemap(articles: list[Article], base: str) -> str:
    """A sitemap listing every article."""
    urls = "".join(f"<url><loc>{base}{a.path}</loc><lastmod>{a.published.date()}</lastmod></url>" for a in articles)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n')


def feed_paths() -> list[str]:
    """The site's feed paths, one per section."""
    return [f"/feeds/{section}.xml" for section in SECTIONS]


def generate(root: Path, count: int, base: str) -> list[Article]:
    """Write the whole site under ``root`` (absolute links start with ``base``); return its articles."""
    articles = [Article(n) for n in range(count)]
    for article in articles:
        _write(root, article, base)
    for section in SECTIONS:
        in_section = [a for a in articles if a.section == section]
        (root / "feeds").mkdir(parents=True, exist_ok=True)
        (root / "feeds" / f"{section}.xml").write_text(rss(section, in_section, base), encoding="utf-8")
    (root / "sitemap.xml").write_text(sitemap(articles, base), encoding="utf-8")
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n", encoding="utf-8")
    return articles


def edit(root: Path, numbers: list[int], base: str) -> None:
    """Publish the next revision of these articles (their text changes)."""
    for number in numbers:
        _write(root, Article(number, revision=1), base)


def rerender(root: Path, articles: list[Article], base: str, render: int = 1) -> None:
    """Serve these articles again with new per-response noise (ids, ads, clock); their text is unchanged."""
    for article in articles:
        _write(root, replace(article, render=render), base)


def _write(root: Path, article: Article, base: str) -> None:
    target = root / article.path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(article_html(article, base), encoding="utf-8")
