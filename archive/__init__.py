"""newsarchive's SQLite archive: schema, version decisions, queries. Imports nothing from Scrapy.

>>> from archive import Archive
"""

from . import requisites
from .decide import Decision, Outcome, decide
from .errors import ArchiveError, ArchiveLocked, ArchiveUnwritable, NotAnArchive, UnknownArticle
from .model import ArticleCapture, Capture, DiscoveredLink, EntryHints, Extraction
from .store import Archive
from .urls import canonical_url

__all__ = [
    "Archive",
    "ArchiveError",
    "ArchiveLocked",
    "ArchiveUnwritable",
    "ArticleCapture",
    "Capture",
    "Decision",
    "DiscoveredLink",
    "EntryHints",
    "Extraction",
    "NotAnArchive",
    "Outcome",
    "UnknownArticle",
    "canonical_url",
    "decide",
]
