"""Atom feeds of changes (RFC 4287, written with feedgen): one entry per edit, the diff inside as HTML.

The web view serves them at ``/-/changes.atom`` and `newsarchive changes --format atom` prints the same.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from html import escape
from urllib.parse import urlencode

from feedgen.feed import FeedGenerator

from .changes import ID_NAMESPACE, Edit
from .clock import parse_iso
from .diffhtml import fields_html, inline_html
from .queries import normalise_time

# XML 1.0 forbids most control characters; an archived text may carry them (lxml refuses to write them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EPOCH = "1970-01-01T00:00:00Z"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def feed_scope(sources: Sequence[str] = (), since: str | None = None, until: str | None = None,
               url: str | None = None) -> str:
    """What a feed of changes selects, as its id names it: the web view and the CLI give one feed one id.

    >>> feed_scope(["wire", "daily"], since="2024-05-01")
    'changes?source=daily&source=wire&since=2024-05-01T00%3A00%3A00Z'
    """
    pairs = [("source", name) for name in sorted(sources)]
    pairs += [(name, normalise_time(value)) for name, value in (("since", since), ("until", until)) if value]
    pairs += [("url", url)] if url else []
    return "changes?" + urlencode(pairs)


def feed_title(sources: Sequence[str] = (), url: str | None = None) -> str:
    """``Changes to URL``, ``Changes in daily, wire`` or ``Changes across the archive``."""
    if url:
        return f"Changes to {url}"
    return f"Changes in {', '.join(sources)}" if sources else "Changes across the archive"


def entry_html(edit: Edit, link: str) -> str:
    """An edit as HTML for a feed reader: what changed, the changed fields, then the text's inline word diff
    with unchanged stretches cut to a note (readers drop ``<details>`` and styles; ``<del>``/``<ins>`` stay)."""
    head = (f'<p>{escape(edit.summary())} — <a href="{escape(link)}">v{edit.previous_version} → v{edit.version}</a>'
            f" of {escape(edit.url)} ({escape(edit.source)}), first seen {escape(edit.first_seen_at)}.</p>")
    return head + fields_html(edit.old, edit.new) + inline_html(edit.old["text"], edit.new["text"],
                                                                collapse="note", diff=edit.diff)


def changes_feed(
    edits: Sequence[Edit],
    *,
    title: str,
    scope: str,
    self_url: str | None = None,
    link: Callable[[Edit], str] | None = None,
) -> bytes:
    """The Atom document (UTF-8 bytes) for ``edits``, newest first.

    ``scope`` names what the feed selects (e.g. ``changes?source=daily``): the feed's id is a UUID named by
    it, so the feed keeps its id wherever it is served. ``link(edit)`` gives each entry's link (default: the
    article's own URL). ``updated`` is the newest edit's time (the epoch for an empty feed), so the same edits
    always give the same bytes.
    """
    link = link or (lambda edit: edit.url)
    feed = FeedGenerator()
    feed.id(uuid.uuid5(ID_NAMESPACE, scope).urn)
    feed.title(_xml(title))
    feed.author({"name": "newsarchive"})
    feed.generator("newsarchive")
    feed.updated(parse_iso(edits[0].first_seen_at if edits else EPOCH))
    if self_url:
        feed.link(href=self_url, rel="self")
    for edit in edits:
        entry = feed.add_entry(order="append")
        href = link(edit)
        entry.id(edit.entry_id)
        entry.title(_xml(f"{edit.title} (v{edit.version}): {edit.summary()}"))
        seen = parse_iso(edit.first_seen_at)  # a datetime: feedgen would run dateutil's parser on a string
        entry.updated(seen)
        entry.published(seen)
        entry.link(href=href, rel="alternate", type="text/html")
        entry.category(term=edit.source)
        if edit.new["author"]:
            entry.author({"name": _xml(edit.new["author"])})
        entry.content(_xml(entry_html(edit, href)), type="html")
    return feed.atom_str(pretty=True)
