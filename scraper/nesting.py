"""Feeds and sitemaps nested deeper than their parser allows, read anyway: the excess is cut.

``json.loads`` recurses once per level and raises ``RecursionError`` at about 1,000 levels, so one
item of a JSON Feed carrying a deeply nested extension would cost every item of the feed. Such a
document is read again with every container nested deeper than :data:`MAX_DEPTH` replaced by
``null``: the items keep their URL, title and dates. libxml2 stops reading XML at 256 levels (2,048
with ``huge_tree``), silently: every ``<url>`` of a sitemap after a deep one was lost.
:func:`shallow_xml` removes the tags nested deeper than :data:`MAX_DEPTH` (their text stays).
Both are linear scans over strings (or comments) and brackets (or tags).
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # levels kept; no feed or sitemap means more
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_XML_TOKEN = re.compile(rb"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<[?!][^<>]*>|<(/?)[^\s<>/!?][^<>]*?(/?)>",
                        re.DOTALL)


def loads_shallow(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(body)``, or, when that nests too deep, the document cut at ``max_depth`` levels
    (raises ValueError for invalid JSON)."""
    try:
        return json.loads(body)
    except RecursionError:
        return json.loads(prune(body, max_depth))


def prune(body: bytes, max_depth: int) -> bytes:
    """``body`` with each container opened deeper than ``max_depth`` levels replaced by ``null``.

    >>> prune(b'{"a": [[[1]]], "b": "[x"}', max_depth=2)
    b'{"a": [null], "b": "[x"}'
    """
    out: list[bytes] = []
    depth = 0
    cut_from = None  # offset of the container being cut, while inside it
    position = 0
    for match in _TOKEN.finditer(body):
        token = match.group()
        if token[:1] == b'"':
            continue
        if token in (b"[", b"{"):
            depth += 1
            if depth > max_depth and cut_from is None:
                cut_from = match.start()
        elif depth > 0:
            depth -= 1
            if cut_from is not None and depth == max_depth:
                out += [body[position:cut_from], b"null"]
                position, cut_from = match.end(), None
    out.append(body[position:])
    return b"".join(out)


def shallow_xml(body: bytes, max_depth: int = MAX_DEPTH) -> bytes:
    """``body`` without the start and end tags of elements nested deeper than ``max_depth``.

    >>> shallow_xml(b"<a><b><c>x</c></b><d/></a>", max_depth=2)
    b'<a><b>x</b><d/></a>'
    """
    out: list[bytes] = []
    depth = 0
    position = 0
    for match in _XML_TOKEN.finditer(body):
        closing, empty = match.group(1), match.group(2)
        if closing is None or empty:  # a comment, CDATA, declaration or an empty element <x/>
            deep = empty and depth >= max_depth
        elif closing:
            deep = depth > max_depth
            depth = max(0, depth - 1)
        else:
            depth += 1
            deep = depth > max_depth
        if deep:
            out.append(body[position:match.start()])
            position = match.end()
    out.append(body[position:])
    return b"".join(out)
