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

_LINE_BLOCKS = "//p|//li|//h1|//h2|//h3|//h4|//h5|//h6|//dd|//dt|//figcaption|//blockquote|//td|//th|//div|//span|//a"
_DECLARED = "//head/link[@rel='canonical']/@href|//head/meta[@property='og:url']/@content"
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
        for href in tree.xpath(_DECLARED):
            try:
                self.sites.append(urlsplit(urljoin(url, href.strip())))
            except ValueError:
                continue
        self._by_text: dict[str, HtmlElement] | None = None

    def element(self, line: str) -> HtmlElement | None:
        if self._by_text is None:
            self._by_text = {}
            for node in self.tree.xpath(_LINE_BLOCKS):
                text = norm(node.text_content())
                if text and len(text) <= _MAX_LINE:
                    self._by_text.setdefault(text, node)
        return self._by_text.get(norm(line))

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
    teasers = {i for i, line in enumerate(plain) if i not in repeats and line and len(line) <= _MAX_LINE
               and (node := lines.element(line)) is not None and lines.is_teaser(node)}
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


_LEAD = (
    "//*[self::p or self::div or self::h2 or self::span or self::section]"
    "[re:test(@class, '(?:^|[-_ ])(?:lead|teaser|intro|standfirst|summary|excerpt|deck|abstract|"
    "sub-?title|sub-?headline)(?:[-_ ]|$)', 'i') or @itemprop='description' or @itemprop='abstract']"
)
_REGEX = {"re": "http://exslt.org/regular-expressions"}
_LEAD_CHARS = (60, 1500)
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "img", "picture", "table",
               "section", "article", "video", "iframe"}


def with_lead(text: str, lines: PageLines) -> str:
    """The article's lead (standfirst) put back before the text when trafilatura dropped it.

    Themes call their lead a "teaser", an "intro" or a "summary", and trafilatura drops teasers; a lead is
    taken back only between the page's ``<h1>`` and the first line of the text, so another article's teaser
    in a sidebar (before the article, or after it) never is.
    """
    first = next((node for line in text.split("\n") if len(norm(line)) >= 40
                  and (node := lines.element(line)) is not None), None)
    if first is None:
        return text
    order = {node: index for index, node in enumerate(lines.tree.iter())}
    headings = lines.tree.xpath("//h1")
    start = order.get(headings[0], -1) if headings else -1
    end = order[first]
    found = norm(text)
    for node in lines.tree.xpath(_LEAD, namespaces=_REGEX):
        lead = norm(node.text_content())
        if not start < order.get(node, -1) < end or not _LEAD_CHARS[0] <= len(lead) <= _LEAD_CHARS[1]:
            continue
        if lead in found or node in first.iterancestors() or lines.is_teaser(node) or not _one_block(node):
            continue
        return f"{lead}\n{text}"
    return text


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
