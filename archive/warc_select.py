"""Which captures an export writes, in fetch order: those fetched in ``[since, until)``, of ``sources``
(their articles' captures and the requisites those articles use), and, for a window, the latest capture
before it of each requisite the window's articles use — so the slice replays styled on its own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from .queries import normalise_time

_COLUMNS = (
    "c.id, c.article_id, c.version_id, c.url, c.fetched_at, c.status, c.headers, c.body_hash, c.error,"
    " a.url as article_url, v.version as version_number, r.source as requisite_source,"
    " r.first_seen_at as requisite_first_seen_at, p.url as requisite_parent"
)
_FROM = (
    " from captures_full c left join articles a on a.id = c.article_id left join versions v on v.id = c.version_id"
    " left join requisites r on c.article_id is null and r.url = c.url left join requisites p on p.id = r.parent_id"
)
# An archive not yet migrated to 0011 (exports open it read-only): no requisites, every capture has an article.
_COLUMNS_0010 = (
    "c.id, c.article_id, c.version_id, c.url, c.fetched_at, c.status, c.headers, c.body_hash, c.error,"
    " a.url as article_url, v.version as version_number, null as requisite_source,"
    " null as requisite_first_seen_at, null as requisite_parent"
)
_FROM_0010 = " from captures_full c join articles a on a.id = c.article_id left join versions v on v.id = c.version_id"


@dataclass(frozen=True)
class ExportSelection:
    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None


def select_captures(db: sqlite_utils.Database, selection: ExportSelection) -> Iterator[dict[str, Any]]:
    """Rows of the captures to export, oldest first (see the module docstring)."""
    since, until = normalise_time(selection.since), normalise_time(selection.until)
    if "requisites" not in db.table_names():
        yield from _select_0010(db, selection.sources, since, until)
        return
    window, window_params = [], []
    if since:
        window.append("fetched_at >= ?")
        window_params.append(since)
    if until:
        window.append("fetched_at < ?")
        window_params.append(until)
    where, params = [f"c.{condition}" for condition in window], list(window_params)
    if selection.sources:
        used, used_params = _requisites_used(selection.sources)
        where.append(f"(a.source in ({', '.join('?' for _ in selection.sources)}) or r.id in ({used}))")
        params = [*window_params, *selection.sources, *used_params]
    if since:
        articles = f"select article_id from captures where {' and '.join(window)}"
        used, used_params = _requisites_used(selection.sources, articles, window_params)
        before = (f"select {_COLUMNS}{_FROM} where c.id in (select max(c2.id) from captures c2 join requisites r2 on"
                  f" r2.url = c2.url where c2.article_id is null and c2.fetched_at < ? and r2.id in ({used})"
                  " group by r2.id) order by c.fetched_at, c.id")
        yield from db.query(before, [since, *used_params])
    sql = f"select {_COLUMNS}{_FROM} where {' and '.join(where) or '1 = 1'} order by c.fetched_at, c.id"
    yield from db.query(sql, params)


def _requisites_used(sources: tuple[str, ...], articles: str | None = None, articles_params: list[Any] | None = None
                     ) -> tuple[str, list[Any]]:
    """A recursive SELECT of the ids of the requisites used by the articles of ``sources`` (all when empty;
    only those among the ids ``articles`` selects, if given) and of the requisites those use, with its parameters."""
    where, params = [], []
    if sources:
        where.append(f"a.source in ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    if articles:
        where.append(f"ar.article_id in ({articles})")
        params.extend(articles_params or [])
    sql = (
        "with recursive used(id) as (select ar.requisite_id from article_requisites ar join articles a"
        f" on a.id = ar.article_id {'where ' + ' and '.join(where) if where else ''}"
        " union select r3.id from requisites r3 join used on r3.parent_id = used.id) select id from used"
    )
    return sql, params


def _select_0010(db: sqlite_utils.Database, sources: tuple[str, ...], since: str | None, until: str | None
                 ) -> Iterator[dict[str, Any]]:
    where, params = [], []
    if sources:
        where.append(f"a.source in ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    for condition, value in (("c.fetched_at >= ?", since), ("c.fetched_at < ?", until)):
        if value:
            where.append(condition)
            params.append(value)
    sql = f"select {_COLUMNS_0010}{_FROM_0010} where {' and '.join(where) or '1 = 1'} order by c.fetched_at, c.id"
    yield from db.query(sql, params)
