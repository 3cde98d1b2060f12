"""Exceptions raised by the archive library; the CLI turns them into one-line messages."""


class ArchiveError(Exception):
    """Base class for archive failures."""


class ArchiveLocked(ArchiveError):
    """Another process holds the archive's write lock for longer than the busy timeout."""


class ArchiveUnwritable(ArchiveError):
    """The archive cannot take writes at all (disk full, read-only file, I/O error): every later write fails too."""


class NotAnArchive(ArchiveError):
    """The file exists but is not a newsarchive SQLite database (or is corrupt)."""


class UnknownArticle(ArchiveError):
    """No article matches the URL or id asked for."""
