"""Article extraction: raw HTML bytes in, an :class:`archive.Extraction` or a failure reason out.

Pure functions with no Scrapy imports, so the crawler's worker pool, ``reextract`` and ``import`` share them.
"""

from .article import ExtractionResult, extract_article

__all__ = ["ExtractionResult", "extract_article"]
