"""Pathological nesting: flatten the excess before libxml2 drops the rest of the page.

libxml2's HTML parser stops building the tree at ~256 levels and silently drops the rest of the
page, so 300 nested ``<span>`` before an article left trafilatura nothing to extract (and nesting
inside an article would shrink its text). A page that reaches the limit has its generic wrapper
tags (``div``, ``span``, ``font``…) opened deeper than :data:`MAX_DEPTH` removed from the markup,
their text and children kept in place; it is then parsed with ``huge_tree``, so the article comes
out as it would without the junk. Pages under the limit are parsed exactly as before.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement, HTMLParser, fromstring
from trafilatura.utils import decode_file, load_html

LIBXML2_DEPTH_LIMIT = 256
MAX_DEPTH = 100
WRAPPERS = frozenset({"div", "span", "font", "b", "i", "u", "em", "strong", "small", "big", "center", "a",
                      "section", "ins", "del", "s", "sub", "sup", "mark", "abbr", "cite", "q", "label", "nobr"})

_HUGE_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                          remove_pis=True, huge_tree=True)


def tree_depth(tree: HtmlElement) -> int:
    """Depth of the deepest element (the root is 1)."""
    return max(_depths(tree).values(), default=0)


def load_page(body: bytes) -> HtmlElement | None:
    """trafilatura's ``load_html``, but a page nested past libxml2's limit loses nothing."""
    tree = load_html(body)
    if tree is None or _last_depth(tree) < LIBXML2_DEPTH_LIMIT - 1 or tree_depth(tree) < LIBXML2_DEPTH_LIMIT - 1:
        return tree
    try:
        deep = fromstring(flatten_markup(decode_file(body)), parser=_HUGE_PARSER)
    except (ValueError, TypeError):
        return tree
    return deep if len(deep) else tree


def _last_depth(tree: HtmlElement) -> int:
    """Depth of the last node in document order: where libxml2 stopped building, when it stopped at its depth
    limit (so a shallow last node proves nothing was dropped, without walking the whole tree: ~1.5 CPU-ms)."""
    depth, node = 1, tree
    while len(node):
        node, depth = node[-1], depth + 1
    return depth


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def flatten_markup(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Drop wrapper start tags opened more than ``max_depth`` wrappers deep, and their end tags.

    >>> flatten_markup("<div><div><div><p>x</p></div></div></div>", max_depth=1)
    '<div><p>x</p></div>'
    """
    out: list[str] = []
    open_wrappers: list[tuple[str, bool]] = []  # (tag, dropped) for every wrapper still open
    kept = 0
    position = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name not in WRAPPERS or match.group(0).endswith("/>"):
            continue
        drop = False
        if not closing:
            drop = kept >= max_depth
            open_wrappers.append((name, drop))
            kept += not drop
        else:
            for index in range(len(open_wrappers) - 1, -1, -1):
                if open_wrappers[index][0] == name:
                    drop = open_wrappers[index][1]
                    kept -= sum(1 for _, dropped in open_wrappers[index:] if not dropped)
                    del open_wrappers[index:]
                    break
        if drop:
            out.append(html[position:match.start()])
            position = match.end()
    out.append(html[position:])
    return "".join(out)


def _depths(tree: HtmlElement) -> dict[HtmlElement, int]:
    depths = {tree: 1}
    for element in tree.iterdescendants():
        depths[element] = depths[element.getparent()] + 1
    return depths
