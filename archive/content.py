"""What counts as "the same content": normalisation and hashing of extracted articles."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .model import Extraction


def normalise(text: str | None) -> str:
    """NFKC-normalise and collapse all whitespace runs to one space.

    >>> normalise("Caf\\u0065\\u0301  au\\n\\tlait ")
    'Café au lait'
    """
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    # str.split() splits on exactly the characters r"\s" matches (str.isspace), several times faster
    return " ".join(text.split())


def content_hash(extraction: Extraction) -> str:
    """``sha256:<hex>`` of the normalised title and text; versions differ exactly when this differs."""
    key = normalise(extraction.title) + "\n" + normalise(extraction.text)
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


_WORD = re.compile(r"\w+")
SAME_ARTICLE = 0.5  # share of the shorter text's word 4-grams found in the other


def similar(text: str, other: str) -> bool:
    """Whether two texts are versions of one article: at least half of the shorter one's word 4-grams
    are in the longer one (an edit keeps most of them; two different articles share almost none).

    >>> similar("the council approved the budget on tuesday night", "the council approved the budget on monday")
    True
    """
    first, second = _shingles(text), _shingles(other)
    if not first or not second:
        return not first and not second
    return len(first & second) >= SAME_ARTICLE * min(len(first), len(second))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(normalise(text).casefold())
    return {tuple(words[i:i + 4]) for i in range(max(1, len(words) - 3))} if words else set()
