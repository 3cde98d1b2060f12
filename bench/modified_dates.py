"""Update dates on real pages, measured as far as they can be: the development set has no gold for them.

Reported for each system that gives update dates: how many pages have one, how many of those precede the
publication day (never allowed), and, on the pages that show their readers an update line ("Updated …",
"Aktualisiert am …", "Mis à jour le …", found in the page's visible text, anywhere on it), how often the
update day is one that line writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from .corpus import Page


@dataclass(frozen=True)
class Shown:
    """The days a page's visible update lines write."""

    days: frozenset[str]


def shown_updates(page: Page) -> Shown:
    """Every day written in a visible update line of ``page``."""
    from scraper.extraction.datelines import UPDATE_LINE
    from scraper.extraction.htmldates import written_days
    from scraper.extraction.sanitize import load_page

    tree = load_page(page.html)
    if tree is None:
        return Shown(frozenset())
    days: set[str] = set()
    for line in _visible_lines(tree, UPDATE_LINE):
        for match in UPDATE_LINE.finditer(line):
            days.update(written_days(match.group("date"), None))
    return Shown(frozenset(days))


def report(pages: list[Page], results: dict[str, dict], shown: dict[str, Shown]) -> str:
    """Markdown lines about the update dates of each system in ``results`` (url -> result with
    ``day`` and ``modified_day``)."""
    showing = [page for page in pages if shown[page.url].days]
    lines = ["", f"Update dates (no gold: {len(showing)} pages show an update line)", "",
             "| system | with an update date | before publication | on a page with an update line: "
             "a day it writes | none found |", "|---|---|---|---|---|"]
    for name, by_url in results.items():
        found = [page for page in pages if by_url[page.url].modified_day]
        before = [page for page in found if by_url[page.url].day and by_url[page.url].modified_day < by_url[page.url].day]
        agree = [page for page in showing if by_url[page.url].modified_day in shown[page.url].days]
        missing = [page for page in showing if not by_url[page.url].modified_day]
        lines.append(f"| {name} | {len(found)}/{len(pages)} | {len(before)} | {len(agree)}/{len(showing)} "
                     f"| {len(missing)} |")
    return "\n".join(lines)


def _visible_lines(tree: HtmlElement, label: re.Pattern[str]) -> list[str]:
    """The visible lines (an element's text, 240 characters at most) holding ``label``."""
    body = tree.find("body")
    if body is None:
        return []
    lines = []
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript"):
            continue
        for text in (element.text, element.tail):
            if text and label.search(text):
                parent = element if text is element.text else element.getparent()
                joined = " ".join(" ".join(parent.itertext()).split()) if parent is not None else text
                lines.append(joined[:240] if len(joined) <= 240 else " ".join(text.split()))
    return lines
