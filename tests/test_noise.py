"""Noise never makes a version, real edits always do, and stubs never replace a full text (target 10).

Runs the real extraction and the real archive write unit, in process, over many re-fetches.
"""

from __future__ import annotations

import html
import random
from pathlib import Path

from archive import Archive, Capture, Outcome
from scraper.extraction.article import extract_article

from .pages import paragraphs

URL = "https://news.example/2024/05/council-budget"


def noisy_page(title: str, paras: list[str], rng: random.Random, fetch: int) -> bytes:
    """A news page whose clock, ads, tokens, trending list and counters change on every request."""
    token = "".join(rng.choices("abcdef0123456789", k=32))
    trending = "".join(f'<li><a href="/t/{rng.randint(1, 999)}">{html.escape(" ".join(rng.sample(paragraphs(fetch, 1)[0].split(), 6)))}</a></li>'
                       for _ in range(5))
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} – The Daily Test</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="2024-05-02T08:00:00+00:00">
<meta name="csrf-token" content="{token}">
<script>window.__STATE__ = {{"session": "{token}", "ts": {1714700000 + fetch * 3600}}};</script>
<link rel="stylesheet" href="/style.css?v={token[:8]}">
</head><body>
<header><a href="/">The Daily Test</a> <time class="now">{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}</time>
<span class="weather">{rng.randint(-5, 30)}°C</span></header>
<div class="ad-slot" data-ad="{token}">Advertisement: {rng.choice(["Buy shoes", "Cheap flights", "New phone"])}</div>
<main><article>
<h1>{html.escape(title)}</h1>
<p class="byline">By Jane Reporter · updated {rng.randint(2, 59)} minutes ago</p>
{body}
<div class="share">Shared {rng.randint(10, 9999)} times</div>
</article>
<aside class="trending"><h2>Trending now</h2><ul>{trending}</ul></aside>
<section class="comments"><h2>{rng.randint(0, 500)} comments</h2></section>
</main>
<form action="/newsletter"><input type="hidden" name="token" value="{token}"><button>Subscribe</button></form>
<footer>© The Daily Test · page generated in {rng.random():.3f}s · <span>{token}</span></footer>
<img src="/pixel.gif?cb={token}" alt="">
</body></html>""".encode()


PAYWALL = b"""<!DOCTYPE html><html><head><title>Council approves budget</title></head><body><main><article>
<h1>Council approves budget</h1><p>The council met on Tuesday.</p>
<div class="paywall">Subscribe to continue reading. Already a subscriber? Log in.</div></article></main></body></html>"""
CHALLENGE = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
<h1>Checking your browser before accessing news.example</h1><p>Enable JavaScript and cookies to continue.</p>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script></body></html>"""
SOFT_404 = b"""<!DOCTYPE html><html><head><title>Page not found | The Daily Test</title></head><body>
<h1>Page not found</h1><p>Sorry, this page does not exist. Try our homepage.</p></body></html>"""


def test_many_noisy_refetches_give_exactly_one_version_per_real_edit(tmp_path: Path) -> None:
    rng = random.Random(7)
    paras = paragraphs(42, 8)
    edits = {12: 1, 27: 5}  # fetch number -> paragraph corrected by the newsroom
    stubs = {8: PAYWALL, 18: CHALLENGE, 19: SOFT_404, 33: PAYWALL}
    expected_failures = {8: "paywall", 18: "challenge", 19: "soft-404", 33: "paywall"}
    outcomes = []
    with Archive(tmp_path / "archive.db") as archive:
        article_id = archive.add_article(URL, "daily")
        for fetch in range(40):
            if fetch in edits:
                paras[edits[fetch]] = paras[edits[fetch]].replace(" ", " corrected ", 1)
            body = stubs.get(fetch) or noisy_page("Council approves budget", paras, rng, fetch)
            result = extract_article(body, URL)
            capture = Capture(url=URL, fetched_at=f"2024-05-03T{fetch // 2:02d}:{fetch % 2 * 30:02d}:00Z", status=200,
                              headers={"Content-Type": "text/html"}, body=body)
            decision = archive.record_capture(article_id, capture, result.extraction, result.failure)
            outcomes.append(decision.outcome)
            if fetch in expected_failures:
                assert (decision.outcome, decision.reason) == (Outcome.FAILED, expected_failures[fetch]), fetch
        versions = list(archive.db.query("select version, first_seen_at, text from versions order by version"))
        latest = archive.latest_version(article_id)

    assert [o.value for o in outcomes].count("new") == 1
    assert [o.value for o in outcomes].count("updated") == 2
    assert [o.value for o in outcomes].count("failed") == 4
    assert [o.value for o in outcomes].count("unchanged") == 33
    assert [v["first_seen_at"] for v in versions] == ["2024-05-03T00:00:00Z", "2024-05-03T06:00:00Z", "2024-05-03T13:30:00Z"]
    # the latest version is the full corrected text, never a stub
    assert latest["version"] == 3 and latest["text"].count("corrected") == 2 and len(latest["text"]) > 2000
    for noise in ("Advertisement", "Trending", "comments", "Shared", "minutes ago", "°C", "generated in"):
        assert noise not in latest["text"], noise
