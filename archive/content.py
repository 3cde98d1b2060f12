"""What counts as "the same content": normalisation and hashing of extracted articles."""

from __future__ import annotations

import hashlib
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
