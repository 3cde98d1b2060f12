"""The last resort for a publication day: htmldate's extensive search, on the article only.

htmldate reads a copy of the article's container (or of the page without the blocks around the article),
so a sidebar's or a related post's date is never its answer, and it is given the URL. Its answer is kept only
when the article writes that day in full somewhere: what it makes up from a year or a month (a "© 2024"
footer becomes 2024-01-01, "06/2018" becomes 2018-06-01) is not a day the page shows. A page whose
article writes no full date is not searched at all (htmldate costs ~15 CPU-ms on such a page), and one
that writes a single day has that day.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy

from lxml.html import HtmlElement, fromstring

from archive.clock import utcnow

from . import moments, textdates
from .moments import Moment
from .scope import Scope
from .structured import PageData

# where a full date may be: digits with separators, a day before a month's name and a year, or a day and a
# year after a month's name ("March 7, 2024", read from the word before). Each starts with a digit, which the
# regex engine finds quickly.
_CUE = re.compile(
    r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}|\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?\d{4}"
    r"|(?P<tail>\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)
_WORD_BEFORE = re.compile(r"[^\W\d_]{3,}\.?\s+$")
_MAX_CUES = 300


def oldest_day(page: PageData, language: str | None) -> Moment | None:
    """htmldate's oldest plausible day among the days the article writes in full."""
    text = _article_text(page)
    written = set(written_days(text, language))
    if len(written) <= 1:  # none, or the one day the article writes: htmldate could only say the same
        return moments.from_structured(next(iter(written))) if written else None
    import htmldate

    latest = (utcnow() + moments.FUTURE_TOLERANCE).strftime("%Y-%m-%d")
    try:
        found = htmldate.find_date(_article_document(page), extensive_search=True, original_date=True,
                                   url=page.url or None, outputformat="%Y-%m-%d", max_date=latest)
    except (ValueError, TypeError):
        return None
    if not found or found.endswith("-01-01"):  # a written 1 January is also where a year is printed
        return None
    return moments.from_structured(found) if found in written else None


def written_days(text: str, language: str | None) -> Iterator[str]:
    """The days written in full in ``text`` (``YYYY-MM-DD``), in order."""
    for count, cue in enumerate(_CUE.finditer(text)):
        if count >= _MAX_CUES:
            return
        start = cue.start()
        if cue.group("tail") and (word := _WORD_BEFORE.search(text, max(0, start - 20), start)):
            start = word.start()
        if written := textdates.read(text, language, pos=start):
            yield written.moment.strftime("%Y-%m-%d")


def _article_text(page: PageData) -> str:
    root = page.scope.container if page.scope.container is not None else page.tree.find("body")
    return " ".join((root if root is not None else page.tree).itertext())


def _article_document(page: PageData) -> HtmlElement:
    """A document holding only the article: its container, else the page without the blocks around it."""
    scope = page.scope
    if scope.container is not None:
        document = fromstring("<html><body></body></html>")
        document.find("body").append(deepcopy(scope.container))
        return document
    document = deepcopy(page.tree)
    outside = Scope(document, page.title_hint)
    for element in [e for e in document.iter() if isinstance(e.tag, str) and e.tag not in ("html", "body")]:
        if element.getparent() is not None and not outside.contains(element):
            element.drop_tree()
    return document
