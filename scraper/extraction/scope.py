"""Where the article is on its page: the headline it hangs from, and the blocks around it that are not it.

A date, a credit or a microdata item belongs to the article unless it sits in a block a page puts around
its article: related-post lists and teasers of other articles, sidebars and widgets, comments, navigation,
share bars, the site's masthead (with its "today" clock) and footer. Mastheads, footers and ``<aside>`` are
recognised only outside the article's own container, where a theme also puts its ``entry-header``,
``entry-footer`` and meta aside; every other kind of block is out wherever it is.

The headline (the ``<h1>`` that matches the title) anchors the article: its nearest ``<article>``, microdata
article or ``<main>`` is the container, and when the headline is inside an ``<article>`` every other
``<article>`` of the page is another article's teaser. The elements nearest to the headline are where a page
shows its date line (:meth:`Scope.near_headline`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cached_property
from itertools import chain, zip_longest

from lxml.html import HtmlElement

# class/id words of blocks that are never the article (matched on the words of a class or id: "jp-relatedposts",
# "widget_recent_entries", "comment-list", "share-tools", "most-read")
_NEVER = re.compile(
    r"(?<![a-z])(?:related|relacionad|correlat|verwandt|recommend|empfehl|sidebar|widget[-_]?area|widget_|comments?(?![a-z])|"
    r"comment[-_]?(?:list|area|form|body|content|meta|respond|thread)|kommentar|disqus|popular|trending|"
    r"most[-_]?(?:read|viewed|popular)|meistgelesen|outbrain|taboola|newsletter|promos?(?![a-z])|breadcrumb|"
    r"menu(?![a-z])|navigation|carousel|slider(?![a-z])|ticker(?![a-z])|share(?![a-z])|sharing|social(?![a-z])|"
    r"recirc|read[-_]?next|next[-_]?post|prev[-_]?post|pagination|more[-_](?:stories|news|articles|from)|"
    r"similar|recent(?![a-z])|latest(?![a-z])|weitere|print[-_]?(?:header|footer|only)|glide)",
    re.IGNORECASE,
)
# the site's chrome: out when outside the article's container ("entry-header" and "post-footer" are the article's)
_CHROME = re.compile(r"(?:^|\s)(?:(?:site|global|page|main)[-_]?)?(?:header|footer|masthead|banner|top[-_]?bar|navbar)(?:\s|$)",
                     re.IGNORECASE)
_CHROME_TAGS = {"header", "footer", "aside"}
# what a reader does not see as the article's own date line: hidden and print-only parts, captions, quotes, embeds
_UNSEEN = re.compile(
    r"(?:^|\s)(?:hidden|d-none|is-hidden|rich-snippet-hidden|visually-hidden|visuallyhidden|sr-only|screen-reader-text|"
    r"element-hidden|element-invisible|invisible|hide|print-only|printonly|visible-print|print-header|print-footer)(?:\s|$)"
    r"|twitter-tweet|instagram-media|embed|caption",
    re.IGNORECASE,
)
_UNSEEN_TAGS = {"figure", "figcaption", "blockquote", "caption", "template", "script", "style", "noscript"}
_NEVER_TAGS = {"nav", "form", "select", "button", "menu"}
_CONTAINER_TAGS = ("article", "main")
_PARAGRAPHS = "boolean(.//p[3])"  # three paragraphs: the body, not the headline's own wrapper
_NEAR_LIMIT = 120  # elements looked at around the headline
_END_LIMIT = 40  # elements at the end of the container
_NEAR_SUBTREE = 25  # of which in one sibling's subtree (a sibling may be the whole body)


class Scope:
    """The article's place on one page; ``contains`` says whether an element belongs to it."""

    def __init__(self, tree: HtmlElement, title: str | None = None) -> None:
        self.tree = tree
        self.anchor = _anchor(tree, title, self)
        self._path = set(self.anchor.iterancestors()) | {self.anchor} if self.anchor is not None else set()
        self._teasers = self.anchor is not None and any(a.tag == "article" for a in self._path)
        self.container: HtmlElement | None = None
        self._known: dict[HtmlElement, bool] = {}
        self._loose: dict[HtmlElement, bool] = {}
        self._seen: dict[HtmlElement, bool] = {}
        self.container = _container(self.anchor) if self.anchor is not None else self._first_article()
        self._known.clear()  # judged before the container was known

    def contains(self, element: HtmlElement) -> bool:
        """Whether ``element`` is part of the article (not inside a block around it)."""
        return _climb(element, self._known, self._path, self._blocks)

    def beside_chrome(self, element: HtmlElement) -> bool:
        """Whether ``element`` is in the article or the site's chrome, never in a related block, a sidebar or
        comments (a site-wide "Last update" line sits in a masthead: see archive/sitewide.py)."""
        return _climb(element, self._loose, self._path, self._never)

    def shows(self, element: HtmlElement) -> bool:
        """Whether text in ``element`` is shown as the article's own: not hidden or print-only, nor in a
        caption, a quote or an embedded post (whose dates are another story's)."""
        return _climb(element, self._seen, {self.container} if self.container is not None else set(), unseen)

    @cached_property
    def near(self) -> list[HtmlElement]:
        """The elements around the headline that belong to the article, nearest first."""
        return [element for element in self.near_headline() if self.contains(element)]

    @cached_property
    def end(self) -> list[HtmlElement]:
        """The last elements of the article's container that belong to the article."""
        return [element for element in self.article_end() if self.contains(element)]

    def near_headline(self) -> Iterator[HtmlElement]:
        """Elements around the headline, nearest first: its neighbours after and before it, one level up at a time."""
        if self.anchor is None:
            starts = [node for node in self.tree.xpath("//article | //main | //body") if self.contains(node)]
            yield from _elements(starts[0] if starts else self.tree, _NEAR_LIMIT)
            return
        budget = _NEAR_LIMIT - _NEAR_SUBTREE
        # a theme may put the date line inside the <h1> (its own text is the headline, not a date line)
        yield from list(_elements(self.anchor, _NEAR_SUBTREE))[1:]
        child = self.anchor
        for parent in self.anchor.iterancestors():
            following, preceding = list(child.itersiblings())[:4], list(child.itersiblings(preceding=True))[:3]
            for sibling in (s for pair in zip_longest(following, preceding) for s in pair if s is not None):
                for element in _elements(sibling, min(budget, _NEAR_SUBTREE)):
                    budget -= 1
                    yield element
                if budget <= 0:
                    return
            if parent.tag == "body":
                return
            child = parent

    def _first_article(self) -> HtmlElement | None:
        """Without a headline: the page's first ``<article>`` or ``<main>`` outside the blocks around it."""
        return next((node for node in self.tree.xpath("//article | //main") if self.contains(node)), None)

    def article_end(self) -> list[HtmlElement]:
        """The last elements of the article's container (where "Erschienen am …" or "Stand: …" lines sit)."""
        if self.container is None:
            return []
        return self.container.xpath(f"(.//*)[position() > last() - {_END_LIMIT}]")

    def _blocks(self, node: HtmlElement) -> bool:
        if self._never(node):
            return True
        words = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag in _CHROME_TAGS or (words.strip() and _CHROME.search(words)):
            return not self._inside_container(node)
        return False

    def _never(self, node: HtmlElement) -> bool:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _NEVER_TAGS:
            return True
        words = f"{node.get('class', '')} {node.get('id', '')}"
        if words.strip() and _NEVER.search(words) and not _is_content(words):
            return True
        return self._teasers and tag == "article"  # the headline's own <article> is on the path

    def _inside_container(self, node: HtmlElement) -> bool:
        return self.container is not None and any(a is self.container for a in node.iterancestors())


def _climb(element: HtmlElement, known: dict[HtmlElement, bool], stops: set[HtmlElement],
           excluded: Callable[[HtmlElement], bool]) -> bool:
    """False when ``element`` or an ancestor below the first of ``stops`` is ``excluded``; verdicts are
    remembered for every element on the way, so a page's elements are judged once each."""
    chain = []
    node: HtmlElement | None = element
    verdict = True
    while node is not None and node not in stops:
        if node in known:
            verdict = known[node]
            break
        chain.append(node)
        if excluded(node):
            verdict = False
            break
        node = node.getparent()
    for seen in chain:
        known[seen] = verdict
    return verdict


def unseen(node: HtmlElement) -> bool:
    """Whether ``node`` itself is hidden, print-only, a caption, a quote, an embed or a script."""
    if node.tag in _UNSEEN_TAGS:
        return True
    if not node.attrib:
        return False
    if node.get("hidden") is not None or "display:none" in node.get("style", "").replace(" ", ""):
        return True
    words = f"{node.get('class', '')} {node.get('id', '')}"
    return bool(words.strip()) and bool(_UNSEEN.search(words))


def _elements(root: HtmlElement, limit: int) -> Iterator[HtmlElement]:
    for element in root.iter():
        if limit <= 0:
            return
        if isinstance(element.tag, str):
            limit -= 1
            yield element


def _is_content(words: str) -> bool:
    """An article's own body can carry a block word ("post-content share-enabled"): its text is the article."""
    return bool(re.search(r"\b(?:article|entry|post|story)[-_]?(?:body|content|text)\b", words, re.IGNORECASE))


def _anchor(tree: HtmlElement, title: str | None, scope: Scope) -> HtmlElement | None:
    """The heading that carries the title: an ``<h1>`` (else an ``<h2>``/``<h3>``, as blog themes use) whose
    text is the title or a part of it; else the first ``<h1>`` outside the site's chrome."""
    wanted = _fold(title) if title else ""
    fallback = None
    # <h2>/<h3> are read only when no <h1> is the title (sidebars have dozens)
    lower = (lambda: tree.xpath("//body//*[self::h2 or self::h3]")) if wanted else list
    for heading in chain(tree.xpath("//body//h1"), _later(lower)):
        text = _fold(heading.text_content())
        if not text or unseen(heading):  # a screen-reader copy of the title is not where the article is
            continue
        if wanted and (text == wanted or (len(text) >= 10 and (text in wanted or wanted in text))):
            if heading.tag == "h1" or not _in_chrome(heading):
                return heading
        if fallback is None and heading.tag == "h1" and not _in_chrome(heading):
            fallback = heading
    return fallback


def _later(elements: Callable[[], list[HtmlElement]]) -> Iterator[HtmlElement]:
    yield from elements()


def _in_chrome(heading: HtmlElement) -> bool:
    return any(a.tag in ("header", "nav", "aside") and not a.xpath(".//p") for a in heading.iterancestors())


def _container(anchor: HtmlElement) -> HtmlElement | None:
    """The headline's ``<article>`` (or microdata article, or ``role=main``), else its ``<main>``, else the
    nearest element around it that holds paragraphs: the article's body."""
    for ancestor in anchor.iterancestors():
        if ancestor.tag == "article" or "Article" in (ancestor.get("itemtype") or "") or ancestor.get("role") == "main":
            return ancestor
    for ancestor in anchor.iterancestors():
        if ancestor.tag in _CONTAINER_TAGS or ancestor.tag == "body":
            return ancestor if ancestor.tag != "body" else None
        if ancestor.xpath(_PARAGRAPHS):
            return ancestor
    return None


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()
