"""Dates a page shows its readers, read inside the article only (see :mod:`.scope`).

- **Labelled lines**: "Published March 1, 2024", "Veröffentlicht am 16.08.2019 · Dauer: 1 Stunde",
  "Updated 5:47 PM ET", "Stand: 21.03.2024 14:35 Uhr", "Mis à jour le…", "Actualizado el…" — the first one
  around the headline (nearest first) or at the article's end whose date parses; the date is read from just
  after the label, its tail ignored. A page without a headline has them looked for everywhere.
- **The date line near the headline**: the first date shown in the elements around the ``<h1>`` (a byline
  "By Jane Doe · March 3, 2024", a kicker "Hamburg, 2. November 2021", a bare ``<span>25.01.2022</span>``,
  a ``<time datetime>``), skipping dates that an update label introduces.

Looking around the headline and at the article's end bounds the work (a few hundred elements at most, read
only when a field needs them). On a page without a headline, the page's bytes are searched for the labels'
words (``bytes.find``, cheaper than walking every text node); only text nodes holding a word found there are
read (one XPath with a ``contains()`` per word found).
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml.html import HtmlElement

from . import moments, textdates
from .moments import Moment
from .scope import Scope, unseen

_PUBLISHED_LABELS = (
    r"published(?:\s+on)?|posted(?:\s+on)?|first\s+published(?:\s+on)?|written(?:\s+on)?|publication\s+date|"
    r"date\s+de\s+publication|fecha\s+de\s+publicación|data\s+de\s+publicação|erscheinungsdatum|"
    r"veröffentlichungsdatum|(?:datum|date|fecha|data):|veröffentlicht(?:\s+am)?|"
    r"erschienen(?:\s+am)?|erstellt(?:\s+am)?|publiziert(?:\s+am)?|publié(?:\s+le)?|publicado(?:\s+(?:el|em|a|às))?|"
    r"pubblicato(?:\s+il)?|gepubliceerd(?:\s+op)?"
)
_UPDATED_LABELS = (
    r"last\s+updated?(?:\s+on)?|updated(?:\s+on)?|modified(?:\s+on)?|zuletzt\s+aktualisiert(?:\s+am)?|"
    r"aktualisiert(?:\s+am)?|stand:|mis\s+à\s+jour(?:\s+le)?|modifié(?:\s+le)?|última\s+actualización:?|"
    r"actualizado(?:\s+el)?|ultimo\s+aggiornamento:?|aggiornato(?:\s+il)?|modificato(?:\s+il)?|modifica\s+il|"
    r"última\s+atualização:?|atualizado(?:\s+em)?|bijgewerkt(?:\s+op)?|letzte\s+änderung:?"
)
PUBLISHED_LINE = re.compile(rf"\b(?:{_PUBLISHED_LABELS})\s*[:\-–]?\s*(?P<date>.{{0,70}})", re.IGNORECASE)
UPDATE_LINE = re.compile(rf"\b(?:{_UPDATED_LABELS})\s*[:\-–]?\s*(?P<date>.{{0,70}})", re.IGNORECASE)
# labels of a date that is not the article's publication: its update, an event it announces, a deadline
_OTHER_LABELS = r"termine?:?|veranstaltung|event|when:|wann:|deadline|frist|einsendeschluss|anmeldeschluss"
_OTHER_LABEL = re.compile(rf"\b(?:{_UPDATED_LABELS}|{_OTHER_LABELS})", re.IGNORECASE)
_ANY_LABEL = re.compile(rf"\b(?:{_PUBLISHED_LABELS}|{_UPDATED_LABELS}|{_OTHER_LABELS})|\bby\b", re.IGNORECASE)
_FIELD_BREAK = re.compile(r"[|·•]")  # "Updated March 1, 2024 | Politics", but also "12 marzo 2024 | 18:30"
# the labels' words as a page's bytes spell them (lowercased; UTF-8 and Latin-1 for the accented ones), and
# short pieces of them to look for first: a few bytes.find() on the page are far cheaper than a regex or a walk
_LABEL_WORDS = frozenset(
    variant
    for word in ("published", "posted", "written", "publication", "erscheinungsdatum", "veröffentlichungsdatum",
                 "datum", "date", "fecha", "data", "veröffentlicht", "erschienen", "erstellt", "publiziert", "publié",
                 "publicado", "pubblicato", "gepubliceerd", "updated", "update", "modified", "modifié", "modificato",
                 "modifica", "aktualisiert", "stand", "jour", "actualizado", "actualización", "aggiornato",
                 "aggiornamento", "atualizado", "atualização", "bijgewerkt", "änderung")
    for variant in (word.encode("utf-8"), word.encode("latin-1"))
)
_PUBLISHED_CUES = (b"publi", b"pubbl", b"datum", b"date:", b"fecha", b"data:", b"poste", b"writt", b"ffentl", b"rschien",
                   b"rstell")
_UPDATE_CUES = (b"updat", b"modifi", b"ktualis", b"stand", b"jour", b"tualiz", b"ggiorn", b"ijgewerk", b"nderung")
_TAG_WINDOW = 4000
_MAX_LINE = 240
_SHORT_LINE = 150  # a line near the headline is read whole up to this length, else only its start
_LINE_START = 25
_PREFIX = 50  # a date line's date comes after a byline or a place at most


class DateLines:
    """The visible dates of one page, each found once and only when asked for."""

    def __init__(self, body: bytes, tree: HtmlElement, scope: Scope, language: str | None) -> None:
        self.body, self.tree, self.scope, self.language = body, tree, scope, language

    @cached_property
    def published(self) -> Moment | None:
        """The first labelled publication line of the article."""
        return self._labelled(PUBLISHED_LINE)

    @cached_property
    def updated(self) -> Moment | None:
        """The first labelled update line of the article."""
        return self._labelled(UPDATE_LINE)

    @cached_property
    def near_headline(self) -> Moment | None:
        """The first date shown around the headline that no update label introduces."""
        for element, line in self._near:
            if element.tag == "time" and (found := moments.from_structured(element.get("datetime"))):
                return found
            # a long paragraph may begin with its date ("27.1.2022 - Bei der…", "Hamburg, 2. November 2021 –"),
            # a date further on in it is what the story tells
            start = _LINE_START if len(line) > _SHORT_LINE else None
            if found := self._date_in_line(line[:_MAX_LINE], start):
                return found
        return None

    def _date_in_line(self, line: str, starting_by: int | None = None) -> Moment | None:
        """The first date of ``line`` (starting by ``starting_by``) whose nearest label before it is not an
        update label."""
        if not line or not any(char.isdigit() for char in line):
            return None
        position = 0
        while written := textdates.read(line, self.language, anywhere=True, pos=position):
            if written.start > (starting_by if starting_by is not None else _PREFIX):
                return None  # what comes first is a sentence: its dates are the story's
            labels = [m for m in _ANY_LABEL.finditer(line, 0, written.start) if m.group().lower() != "by"]
            if not labels or not _OTHER_LABEL.fullmatch(labels[-1].group()):
                return moments.from_written(written)
            position = written.end
        return None

    def _labelled(self, label: re.Pattern[str]) -> Moment | None:
        """Labelled lines are looked for around the headline and at the article's end; on a page without a
        headline, and for an update line, wherever a label's word is (outside related blocks, sidebars and
        comments; a masthead's "Last update" is the site's, which archive/sitewide.py tells at store time)."""
        for line in [line for _, line in self._near + self._end]:
            if found := _after_label(line, label, self.language):
                return found
        if self.scope.anchor is not None and label is not UPDATE_LINE:
            return None
        for line in self._page_label_lines(_UPDATE_CUES if label is UPDATE_LINE else _PUBLISHED_CUES):
            if found := _after_label(line, label, self.language):
                return found
        return None

    @cached_property
    def _near(self) -> list[tuple[HtmlElement, str]]:
        return _lines([element for element in self.scope.near if self.scope.shows(element)])

    @cached_property
    def _end(self) -> list[tuple[HtmlElement, str]]:
        return _lines([element for element in self.scope.end if self.scope.shows(element)])

    def _page_label_lines(self, cues: tuple[bytes, ...]) -> list[str]:
        lines = []
        for text in self._label_texts(cues):
            holder = text.getparent()
            if holder is None or not self.scope.beside_chrome(holder):
                continue
            if text.is_tail and holder.getparent() is not None:
                holder = holder.getparent()
            joined = " ".join(" ".join(holder.itertext()).split())
            lines.append(joined if joined and len(joined) <= _MAX_LINE else " ".join(text.split()))
        return lines

    def _label_texts(self, cues: tuple[bytes, ...]) -> list:
        """Text nodes holding a label word: the words are looked for in the page's bytes (outside tags, as whole
        words), and only the text nodes holding what was found there are read."""
        literals = _label_literals(self.body, cues)
        if not literals:
            return []
        test = " or ".join(f"contains(., {_literal(literal)})" for literal in sorted(literals))
        return self.tree.xpath(f"//body//text()[{test}][not(parent::script or parent::style)]")


def _after_label(line: str, label: re.Pattern[str], language: str | None) -> Moment | None:
    for match in label.finditer(line):
        if found := _date_after_label(match.group("date"), language):
            return found
    return None


def _label_literals(body: bytes, cues: tuple[bytes, ...]) -> set[str]:
    """The label words of the page as written (their case, their encoding), found outside tags."""
    lowered = body.lower()
    found = set()
    for cue in cues:
        position = lowered.find(cue)
        while position >= 0:
            start, end = _word_around(lowered, position, position + len(cue))
            if lowered[start:end] in _LABEL_WORDS:
                window = max(0, start - _TAG_WINDOW)  # text nodes sit near a tag; a huge script is no text
                if lowered.rfind(b"<", window, start) < lowered.rfind(b">", window, start):
                    found.add(_decode(body[start:end]))
            position = lowered.find(cue, end)
    return found


def _word_around(text: bytes, start: int, end: int) -> tuple[int, int]:
    """The whole word (letters, and the bytes of accented letters) holding ``text[start:end]``."""
    while start > 0 and (text[start - 1] >= 0x80 or 0x61 <= text[start - 1] <= 0x7a):
        start -= 1
    while end < len(text) and (text[end] >= 0x80 or 0x61 <= text[end] <= 0x7a):
        end += 1
    return start, end


def _date_after_label(text: str, language: str | None) -> Moment | None:
    """The date at the start of ``text``, which ends at the next label (or field separator)."""
    snippet = _ANY_LABEL.split(text, maxsplit=1)[0].strip(" ,(")
    return moments.from_text(snippet, language) or moments.from_text(_FIELD_BREAK.split(snippet)[0], language)


def _lines(elements: list[HtmlElement]) -> list[tuple[HtmlElement, str]]:
    return [(element, line) for element in elements
            if element.tag not in ("script", "style", "noscript") and (line := _line(element))]


def _line(element: HtmlElement) -> str:
    """The element's text (without that of scripts and styles), whitespace-normalised, up to a line's length."""
    pieces: list[str] = []
    _text_into(element, pieces, _MAX_LINE + 20)
    return " ".join(" ".join(pieces).split())[:_MAX_LINE]


def _text_into(element: HtmlElement, pieces: list[str], budget: int) -> int:
    """Append the text of ``element`` and its shown descendants to ``pieces``, ``budget`` characters at most."""
    if element.text:
        pieces.append(element.text)
        budget -= len(element.text)
    for child in element:
        if budget <= 0:
            break
        if isinstance(child.tag, str) and not unseen(child):
            budget = _text_into(child, pieces, budget)
        if child.tail:
            pieces.append(child.tail)
            budget -= len(child.tail)
    return budget


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _literal(text: str) -> str:
    return f'"{text}"' if '"' not in text else f"'{text}'"
