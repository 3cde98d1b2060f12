"""Opening the archive for the read commands, with library errors turned into one-line CLI errors."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from archive import Archive, ArchiveError, UnknownArticle
from archive.queries import InvalidQuery, InvalidTime
from scraper.cli import EXIT_FATAL, EXIT_USAGE, fail


@contextlib.contextmanager
def reading(db: str) -> Iterator[Archive]:
    """The archive at ``db``, read-only; an :class:`ArchiveError` inside exits with ``Error: …``."""
    try:
        with Archive(db, readonly=True) as archive:
            yield archive
    except (UnknownArticle, InvalidQuery, InvalidTime) as exc:
        fail(str(exc), EXIT_USAGE)
    except ArchiveError as exc:
        fail(str(exc), EXIT_FATAL)
