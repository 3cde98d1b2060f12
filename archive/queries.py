"""Read-only queries archivists ask: search, an article's history, diffs between versions, per-source stats.

Every function takes a ``sqlite_utils.Database`` opened on an archive and returns plain rows (dicts), so the
CLI, exports and tests share them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from . import aliases
from .clock import iso, parse_iso
from .errors import ArchiveError, UnknownArticle
from .urls import canonical_url
from .worddiff import word_changes

SNIPPET_MARK = "**"


class InvalidQuery(ArchiveError):
    """A search query is not valid FTS5 syntax."""


class InvalidTime(ArchiveError):
    """A --since/--until value is not an ISO 8601 date or time."""


def normalise_time(value: str | None) -> str | None:
    """An ISO 8601 date or time as the archive stores times (``2024-05-03T00:00:00Z``); None stays None.

    >>> normalise_time("2024-05-03")
    '2024-05-03T00:00:00Z'
    """
    if value is None:
        return None
    try:
        return iso(parse_iso(value))
    except ValueError:
        raise InvalidTime(f"{value!r} is not an ISO 8601 date or time (e.g. 2024-05-03 or 2024-05-03T10:00:00Z)") from None


def version_window(
    sources: Sequence[str] = (), since: str | None = None, until: str | None = None, *, alias: str = "v"
) -> tuple[list[str], list[Any]]:
    """SQL conditions (and parameters) selecting versions first seen in ``[since, until)`` of ``sources``."""
    where: list[str] = []
    params: list[Any] = []
    if sources:
        where.append(f"a.source in ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    if since:
        where.append(f"{alias}.first_seen_at >= ?")
        params.append(normalise_time(since))
    if until:
        where.append(f"{alias}.first_seen_at < ?")
        params.append(normalise_time(until))
    return where, params


def article_pages(alias: str = "a") -> str:
    """SQL condition: the article at ``alias`` is an article page, not a site's home page (``scheme://host/``,
    no path, no query) nor a feed, sitemap or section page the crawl polls. An import of a whole-site WARC or
    a feed linking its home page can give those versions; search, changes and feeds leave them out."""
    return (f"not ({alias}.url like '%/' and length({alias}.url) - length(replace({alias}.url, '/', '')) = 3)"
            f" and {alias}.url not in (select url from feeds)")


# -- search -------------------------------------------------------------------------------------


RANK_WINDOW = 2000


def search(
    db: sqlite_utils.Database,
    query: str,
    *,
    sources: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    edited_only: bool = False,
    limit: int = 20,
    marks: tuple[str, str] = (SNIPPET_MARK, SNIPPET_MARK),
) -> list[dict[str, Any]]:
    """Versions matching an FTS5 ``query``, best match first, with a ``snippet`` marking hits as ``**word**``
    (or between ``marks``). ``edited_only``: only articles with more than one version. Pages that are not
    articles (see :func:`article_pages`) never match.

    Without source or time filters, a query matching more than :data:`RANK_WINDOW` versions is ranked among
    the newest :data:`RANK_WINDOW` matches only: bm25 costs a few µs per matching version, so ranking every
    version that contains a common word would take most of a second on a large archive. Snippets are made
    for the page of results only (SQLite would otherwise build one for every ranked match before sorting).
    """
    where, params = version_window(sources, since, until)
    where.append(article_pages("a"))
    if edited_only:
        where.append("a.versions > 1")
    if sources or since or until:
        ranked = (
            "select versions_fts.rowid as id, versions_fts.rank as rank from versions_fts"
            " join versions v on v.id = versions_fts.rowid join articles a on a.id = v.article_id"
            f" where versions_fts match ? and {' and '.join(where)} order by rank, id limit ?"
        )
        params = [query, *params, limit]
    else:
        # FTS5 walks matches newest rowid first cheaply: one pass takes the window and ranks it
        ranked = (
            "select w.id, w.rank from (select rowid as id, rank from versions_fts where versions_fts match ?"
            " order by rowid desc limit ?) w join versions v on v.id = w.id join articles a on a.id = v.article_id"
            f" where {' and '.join(where)} order by w.rank, w.id limit ?"
        )
        params = [query, RANK_WINDOW, *params, limit]
    sql = (
        f"with top as ({ranked})"
        " select a.url, a.source, v.title, v.version, v.first_seen_at, v.last_seen_at, v.published_at,"
        " snippet(versions_fts, -1, ?, ?, '…', 16) as snippet"
        " from top join versions_fts on versions_fts.rowid = top.id join versions v on v.id = top.id"
        " join articles a on a.id = v.article_id where versions_fts match ? order by top.rank, top.id"
    )
    try:
        return list(db.query(sql, [*params, *marks, query]))
    except sqlite3.OperationalError as exc:  # the query is the only user input in this statement
        raise InvalidQuery(f"{query!r} is not a valid search query ({exc}); quote phrases with double quotes") from exc


def search_articles(db: sqlite_utils.Database, query: str, *, limit: int = 20, **filters: Any) -> list[dict[str, Any]]:
    """:func:`search` with one result per article: its best-matching version, plus ``versions_matched``
    (the numbers of its versions among the matches, oldest first) and ``versions`` (how many it has).
    ``filters`` are :func:`search`'s."""
    articles: dict[str, dict[str, Any]] = {}
    for row in search(db, query, limit=limit * 5, **filters):
        best = articles.setdefault(row["url"], {**row, "versions_matched": []})
        best["versions_matched"].append(row["version"])
    found = list(articles.values())[:limit]
    counts = dict(db.execute(
        f"select url, versions from articles where url in ({', '.join('?' for _ in found)})", [r["url"] for r in found]
    ).fetchall()) if found else {}
    for row in found:
        row["versions_matched"].sort()
        row["versions"] = counts.get(row["url"])
    return found


def source_names(db: sqlite_utils.Database) -> list[str]:
    """Every source with an article in the archive, sorted."""
    return [row[0] for row in db.execute("select distinct source from articles order by source")]


# -- resolving an article ----------------------------------------------------------------------


def resolve_article(db: sqlite_utils.Database, url: str) -> dict[str, Any]:
    """The ``articles`` row for ``url``: as given or canonicalised, directly or through any alias in ``article_urls``."""
    for candidate in dict.fromkeys([url, canonical_url(url)]):
        if (article_id := aliases.resolve(db, candidate)) is not None:
            return db["articles"].get(article_id)
    raise UnknownArticle(f"no article with URL {url!r} in this archive; check the URL with `newsarchive search`")


def versions_of(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """Every ``versions`` row of an article, oldest first."""
    return list(db.query("select * from versions where article_id = ? order by version", [article_id]))


# -- history and diff -----------------------------------------------------------------------------


def history(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """One row per version: dates, word counts, words added/removed and title/author changes since the previous one."""
    return history_of(versions_of(db, article_id))


def history_of(versions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """:func:`history` of ``versions`` rows already read (oldest first)."""
    rows = []
    previous: dict[str, Any] | None = None
    for version in versions:
        added, removed = word_changes(previous["text"] if previous else "", version["text"])
        row = {
            "version": version["version"],
            "first_seen_at": version["first_seen_at"],
            "last_seen_at": version["last_seen_at"],
            "modified_at": version["modified_at"],
            "title": version["title"],
            "author": version["author"],
            "words": len(version["text"].split()),
            "words_added": added,
            "words_removed": removed,
            "title_changed": previous is not None and previous["title"] != version["title"],
            "author_changed": previous is not None and previous["author"] != version["author"],
            "reverts_to": version["reverts_to"],
        }
        rows.append(row)
        previous = version
    return rows


def pick_versions(
    db: sqlite_utils.Database, article_id: int, v1: int | None = None, v2: int | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two versions ``diff`` compares: previous vs latest by default, ``v1`` vs latest, or ``v1`` vs ``v2``."""
    return choose_versions(versions_of(db, article_id), article_id, v1, v2)


def choose_versions(
    versions: Sequence[dict[str, Any]], article_id: int, v1: int | None = None, v2: int | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """:func:`pick_versions` among an article's ``versions`` rows already read."""
    by_number = {row["version"]: row for row in versions}
    if not by_number:
        raise UnknownArticle(f"article {article_id} has no versions yet; nothing to compare")
    latest = max(by_number)
    if v1 is None:
        v1, v2 = max(latest - 1, 1), latest
    elif v2 is None:
        v2 = latest
    for number in (v1, v2):
        if number not in by_number:
            raise UnknownArticle(f"article {article_id} has no version {number} (versions 1–{latest})")
    return by_number[v1], by_number[v2]


# -- stats ------------------------------------------------------------------------------------------


def stats(db: sqlite_utils.Database, path: Path | None = None) -> list[dict[str, Any]]:
    """Per source: articles, versions, captures, failures by reason, last crawl, next due; then a total row
    (``source`` null) carrying ``db_bytes``, the archive's size on disk (file + WAL)."""
    # A source's last crawl is its latest feed poll or article fetch, whichever came last.
    polled = {row["source"]: row["polled"] for row in db.query("select source, max(last_polled_at) as polled from feeds group by source")}
    articles = {
        row["source"]: row
        for row in db.query(
            f"select source, count(*) as articles, coalesce(sum(versions), 0) as versions,"
            f" max(last_checked_at) as checked, min(next_check_at) as next_due from articles group by source"
        )
    }
    rows: dict[str, dict[str, Any]] = {}
    for source in sorted(set(polled) | set(articles)):
        counts = articles.get(source, {})
        times = [t for t in (polled.get(source), counts.get("checked")) if t]
        rows[source] = {
            "source": source,
            "articles": counts.get("articles", 0),
            "versions": counts.get("versions", 0),
            "captures": 0,
            "failed": 0,
            "failures": {},
            "last_crawl": max(times) if times else None,
            "next_due": counts.get("next_due"),
            "db_bytes": None,
        }
    for row in db.query(
        "select a.source, c.error, count(*) as n from captures c join articles a on a.id = c.article_id"
        " group by a.source, c.error order by a.source, n desc, c.error"
    ):
        entry = rows[row["source"]]
        entry["captures"] += row["n"]
        if row["error"] is not None:
            entry["failed"] += row["n"]
            entry["failures"][row["error"]] = row["n"]
    total = _total(list(rows.values()))
    total["db_bytes"] = _size_on_disk(path) if path is not None else None
    return [*rows.values(), total]


def _total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    failures: dict[str, int] = {}
    for row in rows:
        for reason, count in row["failures"].items():
            failures[reason] = failures.get(reason, 0) + count
    last = [r["last_crawl"] for r in rows if r["last_crawl"]]
    due = [r["next_due"] for r in rows if r["next_due"]]
    return {
        "source": None,
        "articles": sum(r["articles"] for r in rows),
        "versions": sum(r["versions"] for r in rows),
        "captures": sum(r["captures"] for r in rows),
        "failed": sum(r["failed"] for r in rows),
        "failures": dict(sorted(failures.items(), key=lambda item: (-item[1], item[0]))),
        "last_crawl": max(last) if last else None,
        "next_due": min(due) if due else None,
        "db_bytes": None,
    }


def _size_on_disk(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
