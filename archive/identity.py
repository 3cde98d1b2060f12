"""Which article a capture belongs to, once its redirect and declared canonical URLs are known.

A canonical URL names the article, so a capture whose canonical is another known article's URL joins
that article — but only when it is the same article. Templates get this wrong: a section URL in every
page's ``og:url`` (refused before it gets here, see :func:`scraper.canonical.declared_aliases`), or one
URL declared by every page of a site. So a canonical that leads to a known article whose text is not
the capture's is a *shared canonical*: remembered in ``shared_canonicals``, never an identity again,
and the article it had renamed gets its own URL back. Nothing is merged on its word.
"""

from __future__ import annotations

import sqlite_utils

from . import aliases
from .content import similar
from .model import Capture, Extraction


def resolve_identity(db: sqlite_utils.Database, article_id: int, capture: Capture,
                     extraction: Extraction | None) -> int:
    """The id of the article ``capture`` belongs to (merging a pending duplicate into it); records its aliases."""
    now = capture.fetched_at
    canonical = next((url for url, kind in capture.aliases if kind == "canonical"), None)
    refused = None
    if canonical is not None and _shared(db, canonical):
        canonical, refused = None, canonical
    identity = canonical or next((url for url, kind in capture.aliases if kind == "redirect"), None)
    if identity is not None:
        known = aliases.resolve(db, identity)
        if known is None:
            db.execute("update articles set url = ? where id = ?", [identity, article_id])
        elif known != article_id:
            if identity == canonical and not _same_article(db, known, extraction):
                _share(db, identity, known, now)
                refused = identity
            else:
                _join(db, article_id, known, now)
                article_id = known
    for url, kind in capture.aliases:
        if url != refused:
            aliases.remember(db, url, article_id, kind, now)
    return article_id


def _join(db: sqlite_utils.Database, article_id: int, known: int, now: str) -> None:
    if db.execute("select versions from articles where id = ?", [article_id]).fetchone()[0] == 0:
        aliases.merge_into(db, article_id, known)
        return
    # its versions stay on it; its URLs now lead to the known article, which is checked instead
    db.execute("update article_urls set article_id = ? where article_id = ?", [known, article_id])
    db.execute("update articles set status = 'merged', next_check_at = null, last_checked_at = ? where id = ?",
               [now, article_id])


def _same_article(db: sqlite_utils.Database, known: int, extraction: Extraction | None) -> bool:
    """Whether the known article's latest text is this capture's (or it has none to compare)."""
    row = db.execute("select text from versions where article_id = ? order by version desc limit 1", [known]).fetchone()
    if row is None or extraction is None:
        return True
    return similar(row[0] or "", extraction.text)


def _shared(db: sqlite_utils.Database, url: str) -> bool:
    return db.execute("select 1 from shared_canonicals where url = ?", [url]).fetchone() is not None


def _share(db: sqlite_utils.Database, url: str, known: int, now: str) -> None:
    """Mark ``url`` as declared by different articles; the article renamed to it gets its first URL back."""
    source = db.execute("select source from articles where id = ?", [known]).fetchone()[0]
    db.execute("insert into shared_canonicals (url, source, found_at) values (?, ?, ?) on conflict do nothing",
               [url, source, now])
    own = db.execute(
        "select url from article_urls where article_id = ? and url != ? and kind != 'canonical'"
        " order by first_seen_at, rowid limit 1", [known, url],
    ).fetchone()
    if own is not None:
        db.execute("update articles set url = ? where id = ? and url = ?", [own[0], known, url])
    db.execute("delete from article_urls where url = ? and kind = 'canonical'", [url])
