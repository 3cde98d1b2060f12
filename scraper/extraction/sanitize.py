"""Pathological nesting: flatten the excess before libxml2 drops the rest of the page.

libxml2's HTML parser stops building the tree at ~256 levels and silently drops the rest of the
page, and trafilatura walks lists, quotes and tables recursively (Python's stack ends near 1,000
frames), so 2,000 nested ``blockquote``, ``ul/li``, ``table`` or ``article`` elements around or
inside an article left nothing to extract. A page nested deeper than :data:`FLATTEN_ABOVE` has start
tags removed from the markup (with their end tags; text and children stay in place): generic
wrappers (``div``, ``span``, ``font``, unknown elements…) opened more than :data:`MAX_DEPTH` elements
deep, and structural elements (``blockquote``, ``ul``/``li``, ``table``/``tr``/``td``, ``article``…)
nested more than :data:`SAME_NAME_MAX` in themselves, so an article at the bottom of 20,000 ``div``
keeps its ``main``, ``article`` and ``footer``. The page is then parsed with ``huge_tree``, and
anything still deeper than :data:`FLATTEN_ABOVE` (a tag the scan could not see) is unwrapped in the
tree. The article comes out as it would without the junk. Pages under the limit are parsed exactly
as before.

The scan is linear: the open elements are indexed by name, so a stray end tag costs O(1) (20,000
unclosed ``<span>`` followed by 20,000 ``</div>`` took 16 s when each end tag searched the stack),
and HTML's implied end tags (``<p>``, ``<li>``, ``<td>``, ``<tr>``, ``<dd>``, ``<option>``…) close
what they close, so a list of unclosed items does not count as nesting.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, fromstring
from trafilatura.utils import decode_file, load_html

LIBXML2_DEPTH_LIMIT = 256
FLATTEN_ABOVE = 160  # a tree deeper than this is flattened (real pages stay well under 50)
MAX_DEPTH = 100  # elements kept open; a wrapper opened deeper is dropped
SAME_NAME_MAX = 16  # a structural element inside as many of its kind is dropped (real quotes, lists: < 8)

STRUCTURAL = frozenset({"address", "article", "aside", "blockquote", "caption", "colgroup", "dd", "details", "dialog",
                        "dir", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
                        "li", "main", "menu", "nav", "ol", "optgroup", "option", "pre", "select", "summary", "table",
                        "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
                  "source", "track", "wbr", "basefont", "bgsound", "frame", "spacer"})
NEVER_DROPPED = frozenset({"html", "head", "body"})
# kept, and not counted: they cannot nest (a link is never dropped: section pages read them too)
NEVER_NESTED = frozenset({"a", "p", "h1", "h2", "h3", "h4", "h5", "h6"})
# start tags that close an open <p> (HTML's "close a p element")
CLOSES_P = frozenset({"address", "article", "aside", "blockquote", "details", "dialog", "dir", "div", "dl", "fieldset",
                      "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
                      "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul", "li", "dd", "dt"})
# start tag -> (elements it closes, elements that shield them): <li> closes an open <li> unless a list
# opened since, and so on
IMPLIED_END = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "tr": ({"tr"}, {"table", "thead", "tbody", "tfoot"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "thead": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tbody": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot"}, {"table"}),
    "option": ({"option"}, {"select", "datalist"}),
    "a": ({"a"}, set()),  # a link inside a link closes the first
}

_HUGE_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                          remove_pis=True, huge_tree=True)
# comments and raw-text elements are skipped whole (a "<div>" in a script is not a tag); a tag ends at
# the next ">" or before the next "<", so a page of "<a" without ">" is still read in one pass
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|textarea|xmp)\b[^<>]*>.*?(?:</\1\s*>|\Z)"
                    r"|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>", re.DOTALL | re.IGNORECASE)


def tree_depth(tree: HtmlElement) -> int:
    """Depth of the deepest element (the root is 1)."""
    return max(_depths(tree).values(), default=0)


# an element deeper than FLATTEN_ABOVE exists (libxml2 walks the levels: ~0.2 CPU-ms a page, a fifth of tree_depth)
_DEEPER_THAN_FLATTEN = etree.XPath("boolean(" + "/*" * (FLATTEN_ABOVE + 1) + ")")


def load_page(body: bytes) -> HtmlElement | None:
    """trafilatura's ``load_html``, but a page nested past libxml2's limit loses nothing."""
    tree = load_html(body)
    if tree is None or not _DEEPER_THAN_FLATTEN(tree):
        return tree
    try:
        deep = fromstring(flatten_markup(decode_file(body)), parser=_HUGE_PARSER)
    except (ValueError, TypeError):
        return tree
    if not len(deep):
        return tree
    unwrap_deeper(deep, FLATTEN_ABOVE)
    return deep


def flatten_markup(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Drop the start tags opened more than ``max_depth`` elements deep, and their end tags.

    >>> flatten_markup("<div><div><div><p>x</p></div></div></div>", max_depth=1)
    '<div><p>x</p></div>'
    >>> flatten_markup("<ul><li>a<li>b<li>c</ul>", max_depth=2)  # siblings, not nesting
    '<ul><li>a<li>b<li>c</ul>'
    """
    out: list[str] = []
    scan = _OpenElements(max_depth)
    position = 0
    for match in _TOKEN.finditer(html):
        name = match.group(3)
        if name is None:  # a comment or a raw-text element
            continue
        name = name.lower()
        if match.group(2):
            keep = scan.close(name)
        elif name in VOID or match.group(0).endswith("/>"):
            continue
        else:
            keep = scan.open(name)
        if not keep:
            out.append(html[position:match.start()])
            position = match.end()
    out.append(html[position:])
    return "".join(out)


class _OpenElements:
    """The stack of open elements, each marked kept or dropped, indexed by name (O(1) per tag, amortised)."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.stack: list[tuple[str, bool, int]] = []  # (name, kept, counts towards the depth)
        self.by_name: dict[str, list[int]] = {}
        self.kept_by_name: dict[str, int] = {}
        self.kept = 0

    def open(self, name: str) -> bool:
        """Open ``name`` (after the end tags it implies); False when its start tag is dropped."""
        if name in CLOSES_P and self.stack and self.stack[-1][0] == "p":
            self._pop_to(len(self.stack) - 1)
        if name in IMPLIED_END:
            closes, shields = IMPLIED_END[name]
            index = self._innermost(closes)
            if index >= 0 and index > self._innermost(shields):
                self._pop_to(index)
        if name in NEVER_DROPPED or name in NEVER_NESTED:
            keep = True
        elif name in STRUCTURAL:
            keep = self.kept_by_name.get(name, 0) < SAME_NAME_MAX and self.kept < 2 * self.max_depth
        else:  # a generic wrapper, or an element HTML does not define
            keep = self.kept < self.max_depth
        weight = int(keep and name not in NEVER_NESTED)
        self.by_name.setdefault(name, []).append(len(self.stack))
        self.stack.append((name, keep, weight))
        self.kept += weight
        self.kept_by_name[name] = self.kept_by_name.get(name, 0) + keep
        return keep

    def close(self, name: str) -> bool:
        """Close the innermost open ``name`` (a stray end tag is left to the parser); False when its
        start tag was dropped."""
        positions = self.by_name.get(name)
        if not positions:
            return True
        index = positions[-1]
        keep = self.stack[index][1]
        self._pop_to(index)
        return keep

    def _innermost(self, names: set[str]) -> int:
        return max((self.by_name[name][-1] for name in names if self.by_name.get(name)), default=-1)

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            name, keep, weight = self.stack.pop()
            self.by_name[name].pop()
            self.kept -= weight
            self.kept_by_name[name] -= keep


def unwrap_deeper(tree: HtmlElement, depth: int) -> None:
    """Unwrap (``drop_tag``) every element deeper than ``depth``: its text and children stay in place."""
    for element in [element for element, level in _depths(tree).items() if level > depth]:
        element.drop_tag()


def _depths(tree: HtmlElement) -> dict[HtmlElement, int]:
    depths = {tree: 1}
    for element in tree.iterdescendants():
        depths[element] = depths[element.getparent()] + 1
    return depths
