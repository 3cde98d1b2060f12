"""The article's body text: trafilatura's, cleaned with what the page itself says about its parts.

trafilatura picks the main content of one page; what slips through is mostly of a few kinds, each
recognisable from the page (see docs/extraction.md for the figures on real pages):

- teasers: a paragraph or list item that is mostly a link to another page ("Read also: <a>…</a>"),
  and the "Related"/"Most read"/"Tags" blocks they sit in;
- the same paragraph twice (a page that carries its article more than once);
- trailing extras after the article's last paragraph, when the page's JSON-LD ``articleBody`` shows
  where the article ends;
- the lead (standfirst) that trafilatura drops as a "teaser" when the theme calls it one.

Every rule looks up the page element an output line came from, so a line is judged by its markup (its
links), never by its words alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from scraper.canonical import same_site

_MAX_CANDIDATES = 8  # links tried per line (a page repeats "Read more" links by the hundred)
_START = 24  # characters of a text node's start by which lines are looked up
_DECLARED = "link[@rel='canonical']/@href|meta[@property='og:url']/@content"
_MAX_LINE = 400
_TEASER_LINK_SHARE = 0.6
_MAX_LABEL = 30  # characters of a teaser that are not its link ("Lesen Sie auch:", "VEA TAMBIÉN:")
_LABEL_MARKS = " -–—•»›>|→"  # what may stand before a teaser's link besides a "Label:"
_MAX_TEASER_SHARE = 0.5  # a page that is mostly such links (a link-list post) keeps them: they are its content
_MAX_HEADING = 80
# headings of blocks that are not the article, in the languages of the sites we archive most
_RELATED = re.compile(
    r"[-•»>\s]*(?:related(?: (?:articles?|stories|posts|content|news))?|read (?:also|more|next)|see also|"
    r"more (?:from|on|about|stories|news)\b.*|recommended(?: for you)?|you (?:may|might) (?:also )?like|"
    r"most (?:read|popular|viewed)|trending|tags?|topics|"
    r"weitere (?:artikel|beiträge|nachrichten|meldungen)\b.*|das könnte sie (?:auch )?interessieren|"
    r"mehr zum thema\b.*|lesen sie (?:auch|mehr)|auch interessant|meistgelesen|schlagw(?:ö|oe)rter|themen|"
    r"lea (?:también|más)|notas relacionadas|(?:te|le) puede interesar|temas|más leídas\b.*|otras noticias\b.*|"
    r"(?:à )?lire aussi|sur le même sujet|articles similaires|leggi anche|potrebbe interessarti|"
    r"leia (?:também|mais)|veja também|czytaj (?:też|także|więcej)|zobacz (?:też|także)"
    r")\s*[:.!?…]*\s*",
    re.IGNORECASE,
)
_MIN_REPEAT = 40  # characters: shorter lines ("Photo:", "Advertisement") may repeat in a real article
_WORD = re.compile(r"\w+")


def norm(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text and what each rule removed (for counting and for tests)."""

    text: str
    removed: tuple[tuple[str, str], ...] = ()  # (rule, line)


class PageLines:
    """Finds the page element an extracted line came from (elements of up to ``_MAX_LINE`` characters)."""

    def __init__(self, tree: HtmlElement, url: str) -> None:
        self.tree = tree
        self.url = url
        # the site is where the page was fetched and where it says it lives (canonical, og:url)
        self.sites = [urlsplit(url)]
        head = tree.find("head")
        for href in head.xpath(_DECLARED) if head is not None else ():
            try:
                self.sites.append(urlsplit(urljoin(url, href.strip())))
            except ValueError:
                continue
        self._links: dict[str, list[HtmlElement]] | None = None
        self._starts: dict[str, list[HtmlElement]] = {}

    def teaser(self, line: str) -> HtmlElement | None:
        """The element of ``line`` when it is a teaser (see :meth:`is_teaser`), else None.

        A teaser's text is a link's, after at most a ``Label:``, or starts with one of its links; so only
        links are indexed, by their text and how it starts (one pass over the page's links, the first time),
        and a line's element is looked for only from a link that could be in it.
        """
        key = norm(line)
        if not key or len(key) > _MAX_LINE:
            return None
        if self._links is None:
            self._index_links()
        texts = {key, key.partition(":")[2].strip(), key.rstrip(_LABEL_MARKS + ".")} - {""}
        candidates = [link for text in texts for link in self._links.get(text, ())]
        candidates += self._starts.get(key[:_START], ()) if len(key) >= _START else ()
        for link in list(dict.fromkeys(candidates))[:_MAX_CANDIDATES]:
            if (node := _holding(link, key)) is not None and self.is_teaser(node):
                return node
        return None

    def _index_links(self) -> None:
        self._links, self._starts = {}, {}
        for a in self.tree.iter("a"):
            if a.get("href"):
                text = norm(a.text_content())
                self._links.setdefault(text, []).append(a)
                if len(text) >= _START:
                    self._starts.setdefault(text[:_START], []).append(a)

    def element(self, line: str) -> HtmlElement | None:
        """The outermost element whose whole text is ``line`` (whitespace-normalised), or None: a walk of the
        page's text in document order to where the line starts."""
        key = norm(line)
        if not key or len(key) > _MAX_LINE:
            return None
        for node in self.tree.iter():
            if not isinstance(node.tag, str) or node.tag in ("script", "style"):
                continue
            for piece, holder in ((node.text, node), (node.tail, node.getparent())):
                start = " ".join(piece[:_START * 3].split())[:_START] if piece else ""
                if len(start) >= min(8, len(key)) and key.startswith(start) and holder is not None:
                    if (found := _holding(holder, key)) is not None:
                        return found
        return None

    def is_teaser(self, node: HtmlElement) -> bool:
        """A link to another page of the site with at most a label around it ("Read also: <a>…</a>")."""
        total = len(norm(node.text_content()))
        if not total:
            return False
        anchors = node.xpath("ancestor-or-self::a[@href][1]")
        if anchors and self._leaves(anchors[0].get("href")):
            return True
        leaving = [a for a in node.iter("a") if self._leaves(a.get("href"))]
        linked = sum(len(norm(a.text_content())) for a in leaving)
        if not leaving or linked < _TEASER_LINK_SHARE * total or total - linked > _MAX_LABEL:
            return False
        label = _label(node, leaving[0])
        return not label.strip(_LABEL_MARKS) or label.endswith(":")

    def _leaves(self, href: str | None) -> bool:
        """Whether a link leads to another page of this site (a teaser's link; a source or a shop is not)."""
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return False
        try:
            target = urlsplit(urljoin(self.url, href.strip()))
        except ValueError:  # "http://[not-an-address]/": not a link anywhere
            return False
        if any(target.path == page.path and target.query == page.query for page in self.sites):
            return False  # this page (a table of contents, another spelling of its URL)
        return any(_same_site(target.hostname or "", page.hostname or "") for page in self.sites)


def clean(text: str, lines: PageLines) -> Cleaned:
    """Drop teaser lines and repeated blocks from trafilatura's text.

    A teaser is a line whose page element is a link to another page of the site with at most a label
    around it; a page that is mostly such lines (a link-list post) keeps them, they are its content. A
    repeated block is a run of two or more lines that already appeared (a page carrying its article
    twice); one repeated line alone stays (a refrain, a repeated quote).
    """
    raw = text.split("\n")
    plain = [norm(line[2:] if line.startswith(("- ", "• ")) else line) for line in raw]
    repeats = _repeated_blocks(plain)
    teasers = {i for i, line in enumerate(plain) if i not in repeats and lines.teaser(line) is not None}
    if sum(len(raw[i]) for i in teasers) > _MAX_TEASER_SHARE * len(text):
        teasers = set()
    headings = _teaser_headings(plain, teasers | repeats)
    gone = {i: "repeated" for i in repeats} | {i: "teaser" for i in teasers} | {i: "heading" for i in headings}
    removed = tuple((gone[i], raw[i]) for i in sorted(gone))
    kept = [line for i, line in enumerate(raw) if i not in gone]
    return Cleaned("\n".join(kept).strip(), removed)


def _teaser_headings(lines: list[str], gone: set[int]) -> set[int]:
    """Short lines that head only removed teasers ("Most read" above its links), and a "Related"/"Tags"
    heading left last, after the article, when trafilatura already dropped its links."""
    found = set()
    for i, line in enumerate(lines):
        if i in gone or not line or len(line) > _MAX_HEADING:
            continue
        j = i + 1
        while j < len(lines) and (j in gone or not lines[j]):
            j += 1
        headed = sum(k in gone for k in range(i + 1, j)) >= 2 and not line.endswith((".", ",", ";"))
        if headed and (j == len(lines) or len(lines[j]) <= _MAX_HEADING):
            found.add(i)
    end = len(lines)
    while end and (end - 1 in gone or end - 1 in found or not lines[end - 1] or _RELATED.fullmatch(lines[end - 1])):
        if lines[end - 1] and _RELATED.fullmatch(lines[end - 1]):
            found.add(end - 1)
        end -= 1
    return found


def _repeated_blocks(lines: list[str]) -> set[int]:
    """Indexes of lines that repeat an earlier line and sit next to another such line."""
    seen: set[str] = set()
    repeated = []
    for line in lines:
        repeated.append(len(line) >= _MIN_REPEAT and line in seen)
        seen.add(line)
    return {i for i, flag in enumerate(repeated) if flag and (
        (i > 0 and repeated[i - 1]) or (i + 1 < len(repeated) and repeated[i + 1]))}


_LEAD_TAGS = ("p", "div", "h2")
_LEAD_CLASS = re.compile(r"(?:^|[-_ ])(?:lead|teaser|intro|standfirst|summary|excerpt|deck|abstract|"
                         r"sub-?title|sub-?headline)(?:[-_ ]|$)", re.IGNORECASE)
_LEAD_CHARS = (60, 1500)
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "img", "picture", "table",
               "section", "article", "video", "iframe"}


def with_lead(text: str, lines: PageLines) -> str:
    """The article's lead (standfirst) put back before the text when trafilatura dropped it.

    Themes call their lead a "teaser", an "intro" or a "summary", and trafilatura drops teasers; a lead is
    taken back only between the page's ``<h1>`` and the first line of the text, so another article's teaser
    in a sidebar (before the article, or after it) never is.
    """
    candidates = [node for node in lines.tree.iter(*_LEAD_TAGS) if _LEAD_CLASS.search(node.get("class") or "")
                  or node.get("itemprop") in ("description", "abstract")]
    found = norm(text)
    candidates = [node for node in candidates if _LEAD_CHARS[0] <= len(lead := norm(node.text_content())) <= _LEAD_CHARS[1]
                  and lead not in found and _one_block(node)]
    if not candidates:
        return text
    first = next((node for line in text.split("\n") if len(norm(line)) >= 40
                  and (node := lines.element(line)) is not None), None)
    if first is None:
        return text
    title = lines.tree.find(".//h1")
    after = _position(title) if title is not None else ()
    before = _position(first)
    for node in candidates:
        if after < _position(node) < before and node not in first.iterancestors() and not lines.is_teaser(node):
            return f"{norm(node.text_content())}\n{text}"
    return text


def _position(node: HtmlElement) -> tuple[int, ...]:
    """A key that sorts elements in document order: the child indexes on the path from the root."""
    path = []
    while (parent := node.getparent()) is not None:
        path.append(parent.index(node))
        node = parent
    return tuple(reversed(path))


def _holding(node: HtmlElement, text: str) -> HtmlElement | None:
    """``node`` or the ancestor whose normalised text is ``text``, outermost of equals; None if none is."""
    found = None
    while node is not None and isinstance(node.tag, str):
        own = norm(node.text_content())
        if own == text:
            found = node
        elif len(own) > len(text) or found is not None:
            break
        node = node.getparent()
    return found


def _one_block(node: HtmlElement) -> bool:
    """A single paragraph of text (``<p class=lead>`` or a wrapper around one ``<p>``), not a box of several."""
    inner = [child for child in node.iterdescendants() if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS]
    return not inner or (len(inner) == 1 and inner[0].tag == "p")


def _label(node: HtmlElement, link: HtmlElement) -> str:
    """The text of ``node`` before its first leaving ``link``."""
    before = []
    for piece in node.xpath(".//text()"):
        parent = piece.getparent()
        inside = parent is link and not piece.is_tail or link in parent.iterancestors()
        if inside:
            break
        before.append(piece)
    return norm("".join(before))


@lru_cache(maxsize=4096)
def _same_site(host: str, other: str) -> bool:
    return host == other or same_site(f"http://{host}/", f"http://{other}/")
