"""An archive for the web view's tests (and the screenshots in docs/archivist.md), built through the Archive API
with the crawler's own extraction: edited articles on two sources, a revert, aliases, a 404, a home page that
must never show, and a page whose scripts and images would call a local server if they ever ran."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from archive import Archive, Capture, EntryHints
from scraper.extraction import extract_article

from .pages import article_html

BUDGET = "http://news.test/politics/budget"
BUDGET_AMP = "http://news.test/amp/politics/budget"
HARBOUR = "http://wire.test/story/harbour-storm"
FESTIVAL = "http://news.test/culture/festival"
MINISTER = "http://wire.test/story/minister"
HOME = "http://news.test/"

T = {n: f"2024-05-0{d}T{h}:00:00Z" for n, (d, h) in enumerate(
    [("1", "08"), ("1", "09"), ("1", "12"), ("2", "07"), ("2", "10"), ("3", "09"), ("3", "15"), ("4", "08"),
     ("4", "11"), ("5", "06")])}

BUDGET_1 = [
    "The city council passed its budget for next year on Tuesday evening after a four-hour debate that ran "
    "well past midnight.",
    "The plan raises spending on schools by six percent and freezes the transport levy for a second year, "
    "while the harbour authority will see its grant cut by a tenth.",
    "Opposition members said the cuts to the harbour would cost jobs on the waterfront and called for an "
    "independent review of the figures before the vote.",
    "The mayor said the budget was balanced and fair, and that the council had listened to residents in more "
    "than twenty public meetings since January.",
]
BUDGET_2 = [
    BUDGET_1[0],
    "The amended plan raises spending on schools by four percent and freezes the transport levy for a second "
    "year, while the harbour authority keeps its grant after a late amendment from the opposition.",
    BUDGET_1[2].replace("would cost", "could have cost"),
    BUDGET_1[3],
]
BUDGET_3 = [
    *BUDGET_2,
    "Correction: an earlier version of this article said the schools budget would rise by six percent. "
    "The amended budget raises it by four percent.",
]
HARBOUR_1 = [
    "A storm closed the harbour bridge for most of Wednesday as gusts of more than ninety kilometres an hour "
    "swept the coast.",
    "Ferries were cancelled until the evening and the port authority asked drivers to use the ring road.",
    "Engineers inspected the bridge overnight and found no damage to its cables or deck.",
]
MINISTER_1 = [
    "The transport minister will visit the harbour on Friday to meet workers affected by the storm.",
    "Her office said the visit was planned before the bridge closed and would go ahead as scheduled.",
    "Union leaders said they would ask for the ferry timetable to be restored in full before the summer.",
]
MINISTER_2 = [MINISTER_1[0].replace("on Friday", "on Thursday"), *MINISTER_1[1:]]
FESTIVAL_1 = [
    "The summer festival returns to the old market hall in July with three stages and a night market.",
    "Organisers expect forty thousand visitors over the weekend and have added late trams on both nights.",
    "Tickets go on sale on Monday; children under twelve get in free with an adult.",
]
FESTIVAL_2 = [FESTIVAL_1[0], FESTIVAL_1[1].replace("forty", "fifty"), FESTIVAL_1[2]]
HOME_1 = ["Council passes budget after long debate on the harbour and schools budget. " * 3,
          "Harbour storm closes bridge; ferries cancelled. Festival returns in July. " * 3]
HOME_2 = [HOME_1[0].replace("long", "marathon"), HOME_1[1]]

HTML = {"Content-Type": "text/html; charset=utf-8", "Server": "test"}
# what the festival page loads: each path, if ever requested from the local server, means it was not inert
BEACONS = ("/beacon", "/pixel.png", "/style.css", "/frame", "/refresh")


def festival_page(paras: list[str], beacon_base: str) -> bytes:
    """The festival article with a script that fetches ``beacon_base``/beacon, an image, a style sheet, a frame
    and a meta refresh, all on ``beacon_base`` (the test server)."""
    page = article_html("Summer festival returns to the market hall", paras, author="Ana Culture",
                        published="2024-05-01T07:30:00+00:00")
    loads = (
        f'<meta http-equiv="refresh" content="0; url={beacon_base}/refresh">'
        f'<link rel="stylesheet" href="{beacon_base}/style.css">'
        f'<script>fetch("{beacon_base}/beacon"); document.title = "SCRIPT RAN";</script>'
    )
    body = (f'<img src="{beacon_base}/pixel.png" alt="festival poster">'
            f'<iframe src="{beacon_base}/frame" title="map"></iframe>')
    return page.replace("</head>", loads + "</head>").replace("</footer>", body + "</footer>").encode()


PUBLISHED = "2024-05-01T07:30:00+00:00"


def _page(title: str, paras: list[str], author: str, modified: str | None = None) -> bytes:
    return article_html(title, paras, author=author, published=PUBLISHED, modified=modified).encode()


@dataclass
class Fetch:
    url: str
    when: str
    body: bytes | None
    status: int = 200
    failure: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()


def record(archive: Archive, article_id: int, fetch: Fetch) -> None:
    """Extract ``fetch.body`` as the crawler does and store the capture, the clock at the fetch's time."""
    os.environ["NEWSARCHIVE_NOW"] = fetch.when
    extraction, failure = None, fetch.failure
    if fetch.body is not None and failure is None:
        result = extract_article(fetch.body, fetch.url, hints=EntryHints())
        extraction, failure = result.extraction, result.failure
    capture = Capture(fetch.url, fetch.when, fetch.status, dict(HTML), fetch.body, aliases=fetch.aliases)
    archive.record_capture(article_id, capture, extraction, failure)


def build(path: Path, beacon_base: str) -> Path:
    """Write the archive to ``path``; the festival page's loads point at ``beacon_base``."""
    previous = os.environ.get("NEWSARCHIVE_NOW")
    os.environ["NEWSARCHIVE_NOW"] = T[0]
    try:
        with Archive(path) as archive:
            ids = {url: archive.add_article(url, source) for url, source in
                   [(BUDGET, "daily"), (HARBOUR, "wire"), (FESTIVAL, "daily"), (MINISTER, "wire"), (HOME, "daily")]}
            budget = [_page("Council passes budget", BUDGET_1, "Jane Reporter"),
                      _page("Council passes amended budget", BUDGET_2, "Jane Reporter", "2024-05-02T06:40:00+00:00"),
                      _page("Council passes amended budget", BUDGET_3, "Jane Q. Reporter", "2024-05-04T10:50:00+00:00")]
            minister = [_page("Minister to visit harbour", MINISTER_1, "Wire Desk"),
                        _page("Minister to visit harbour", MINISTER_2, "Wire Desk")]
            fetches = [
                (BUDGET, Fetch(BUDGET, T[1], budget[0], aliases=((BUDGET_AMP, "amp"),))),
                (HARBOUR, Fetch(HARBOUR, T[1], _page("Harbour storm closes bridge", HARBOUR_1, "Wire Desk"))),
                (FESTIVAL, Fetch(FESTIVAL, T[1], festival_page(FESTIVAL_1, beacon_base))),
                (MINISTER, Fetch(MINISTER, T[2], minister[0])),
                (HOME, Fetch(HOME, T[2], _page("The Daily Test", HOME_1, "The Daily Test"))),
                (BUDGET, Fetch(BUDGET, T[2], budget[0])),
                (BUDGET, Fetch(BUDGET, T[3], budget[1])),
                (MINISTER, Fetch(MINISTER, T[4], minister[1])),
                (HOME, Fetch(HOME, T[4], _page("The Daily Test", HOME_2, "The Daily Test"))),
                (FESTIVAL, Fetch(FESTIVAL, T[5], festival_page(FESTIVAL_2, beacon_base))),
                (HARBOUR, Fetch(HARBOUR, T[6], None, status=404, failure="http-404")),
                (MINISTER, Fetch(MINISTER, T[7], minister[0])),
                (BUDGET, Fetch(BUDGET, T[8], budget[2])),
            ]
            for url, fetch in fetches:
                record(archive, ids[url], fetch)
    finally:
        if previous is None:
            os.environ.pop("NEWSARCHIVE_NOW", None)
        else:
            os.environ["NEWSARCHIVE_NOW"] = previous
    return path
