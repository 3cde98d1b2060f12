"""Recorded schema migrations. Append new ones; never edit one that has shipped.

Each migration runs once, inside the write transaction that records it in ``_migrations``.
docs/schema.md documents the resulting schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlite_utils

from .clock import now_iso


def _initial_schema(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "source": str,
            "status": str,
            "first_seen_at": str,
            "last_checked_at": str,
            "latest_version": int,
            "versions": int,
            "discovered_via": str,
            "entry_title": str,
            "entry_author": str,
            "entry_published_at": str,
            "entry_updated_at": str,
            "last_error": str,
        },
        pk="id",
        not_null={"url", "source", "status", "first_seen_at", "versions"},
        defaults={"status": "pending", "versions": 0},
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["source", "status"])
    db["versions"].create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "content_hash": str,
            "first_seen_at": str,
            "last_seen_at": str,
            "title": str,
            "author": str,
            "published_at": str,
            "published_source": str,
            "modified_at": str,
            "modified_source": str,
            "language": str,
            "description": str,
            "sitename": str,
            "text": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "version", "content_hash", "first_seen_at", "last_seen_at", "text"},
    )
    db["versions"].create_index(["article_id", "version"], unique=True)
    db["versions"].create_index(["content_hash"])
    db["captures"].create(
        {
            "id": int,
            "article_id": int,
            "version_id": int,
            "url": str,
            "fetched_at": str,
            "status": int,
            "headers": str,
            "body": bytes,
            "body_codec": str,
            "body_hash": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("version_id", "versions", "id")],
        not_null={"article_id", "url", "fetched_at"},
    )
    db["captures"].create_index(["article_id", "fetched_at"])
    db["captures"].create_index(["body_hash"])
    db["feeds"].create(
        {
            "url": str,
            "source": str,
            "etag": str,
            "last_modified": str,
            "last_polled_at": str,
            "last_status": int,
            "last_error": str,
            "entries": int,
        },
        pk="url",
        not_null={"source"},
    )
    db["versions"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")


def _revisits(db: sqlite_utils.Database) -> None:
    articles = db["articles"]
    articles.add_column("next_check_at", str)
    articles.add_column("gone_at", str)
    articles.add_column("missing_checks", int, not_null_default=0)
    articles.add_column("etag", str)
    articles.add_column("last_modified", str)
    articles.add_column("entry_source", str)
    articles.create_index(["next_check_at"])
    db["versions"].add_column("reverts_to", int)
    feeds = db["feeds"]
    feeds.add_column("kind", str, not_null_default="feed")
    feeds.add_column("next_poll_at", str)
    feeds.add_column("poll_interval", int)
    feeds.add_column("new_entries", int)
    db["article_urls"].create(
        {"url": str, "article_id": int, "kind": str, "first_seen_at": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id"},
    )
    db["article_urls"].create_index(["article_id"])
    db.execute(
        "insert into article_urls (url, article_id, kind, first_seen_at) select url, id,"
        " case when discovered_via = 'manual' then 'manual' else 'feed' end, first_seen_at from articles"
    )
    # archived articles are rechecked at the next crawl, which then puts them on the ladder
    db.execute("update articles set next_check_at = last_checked_at where versions > 0")
    db.execute("update articles set entry_source = 'feed' where discovered_via != 'manual'")


def _metadata(db: sqlite_utils.Database) -> None:
    """Issue #6: the source of every metadata field, date precision and original offsets, authors as a list."""
    versions = db["versions"]
    for column in (
        "title_source", "authors", "author_source",
        "published_precision", "published_offset", "modified_precision", "modified_offset",
    ):
        versions.add_column(column, str)
    db.execute("create index if not exists versions_modified on versions (modified_source, modified_at)")
    db["sitewide_updates"].create({"source": str, "modified_at": str, "found_at": str}, pk=("source", "modified_at"))


def _performance(db: sqlite_utils.Database) -> None:
    """Re-index a version in ``versions_fts`` only when an indexed column changes.

    The trigger sqlite-utils creates fires on ANY update of ``versions``, so every unchanged recheck
    (which only moves ``last_seen_at``) deleted and re-inserted the whole text in the FTS index:
    CPU, WAL and index growth for nothing. Rewritten generically (the columns are read from
    ``versions_fts``) so it also fits an FTS table a later feature widened.
    """
    columns = ", ".join(f'"{column.name}"' for column in db["versions_fts"].columns)
    triggers = db.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'versions'"
    ).fetchall()
    for name, sql in triggers:
        pattern = re.compile(r'AFTER\s+UPDATE\s+ON\s+("?versions"?)', re.IGNORECASE)
        if "versions_fts" in sql and pattern.search(sql):
            db.execute(f'drop trigger "{name}"')
            db.execute(pattern.sub(lambda m: f"AFTER UPDATE OF {columns} ON {m.group(1)}", sql, count=1))


def _scaling(db: sqlite_utils.Database) -> None:
    # Results the distributed writer has stored, by task id: a redelivered result is recognised and skipped.
    db.execute(
        "create table ingested_tasks (task text primary key, ingested_at text not null) without rowid"
    )
    db["ingested_tasks"].create_index(["ingested_at"])


def _search_prefixes(db: sqlite_utils.Database) -> None:
    """Prefix indexes for 2- and 3-character prefixes in ``versions_fts``.

    Without them FTS5 answers ``elec*`` by merging the posting lists of every indexed word that starts
    so: 30-350 ms on 100k versions (docs/performance.md); with them, about 1 ms. They roughly double
    the index (the FTS index is ~10% of an archive). The table is re-created with the same columns,
    tokenizer and content table, then rebuilt from ``versions``; the triggers on ``versions`` name it
    and keep working.
    """
    sql = db.execute("select sql from sqlite_master where name = 'versions_fts'").fetchone()[0]
    if "prefix=" in sql.replace(" ", "").lower():
        return
    create = sql.rstrip().removesuffix(")").rstrip().rstrip(",") + ",\n    prefix='2 3'\n)"
    db.execute("drop table versions_fts")
    db.execute(create)
    db.execute("insert into versions_fts (versions_fts) values ('rebuild')")


def _capture_patches(db: sqlite_utils.Database) -> None:
    """A capture that stores no body may keep its headers as a merge patch on an earlier capture.

    ``headers_base`` names that capture (a response stored in full) and ``url`` is null when it is
    the base's: an unchanged check then costs ~200 bytes instead of ~340 (docs/performance.md, 5b).
    The partial index finds an article's latest full capture without scanning its checks; the view
    ``captures_full`` shows every capture with its URL and headers resolved.
    """
    db.execute("alter table captures add column headers_base integer references captures(id)")
    _drop_not_null(db, "captures", "url")
    db.execute(
        "create index captures_full_headers on captures (article_id, id) where headers_base is null and status is not null"
    )
    db.execute(_CAPTURES_FULL_VIEW_0009)


def _body_deltas(db: sqlite_utils.Database) -> None:
    """A later body of an article may be stored as a zstd delta against an earlier one.

    ``body_base`` names the capture whose body (always stored whole) is the delta's dictionary; the
    partial index finds an article's latest whole body. ``captures_full`` gains the column.
    """
    db.execute("alter table captures add column body_base integer references captures(id)")
    db.execute("create index captures_whole_bodies on captures (article_id, id) where body_codec = 'zstd'")
    db.execute("drop view captures_full")
    db.execute(CAPTURES_FULL_VIEW)


def _edits_index(db: sqlite_utils.Database) -> None:
    """Edits (versions after an article's first) by the time they were first seen, newest first.

    Recent changes and the Atom feeds of changes (archive/changes.py) read a page of edits across the whole
    archive; without it SQLite reads every version (texts included) and sorts them: ~0.5 s on 100k versions.
    """
    db.execute("create index versions_edits on versions (first_seen_at, id) where version > 1")
def _web_archive(db: sqlite_utils.Database) -> None:
    """Captures without an article, and page requisites (issue 16).

    ``captures.article_id`` becomes nullable: an imported page that is not an article, a stylesheet or an
    image is kept as a capture of its URL alone (the partial index finds a URL's latest one). ``requisites``
    holds each stylesheet, image, font and script an article page referenced (its own conditional recheck
    schedule); ``article_requisites`` which articles referenced it.
    """
    _drop_not_null(db, "captures", "article_id")
    db.execute("create index captures_without_article on captures (url, id) where article_id is null")
    db.execute(
        "create table requisites (id integer primary key, url text not null unique, source text not null,"
        " parent_id integer references requisites(id), first_seen_at text not null, last_checked_at text,"
        " next_check_at text, last_changed_at text, etag text, last_modified text, last_status integer,"
        " last_error text)"
    )
    db.execute("create index requisites_due on requisites (source, next_check_at)")
    db.execute(
        "create table article_requisites (article_id integer not null references articles(id),"
        " requisite_id integer not null references requisites(id), first_seen_at text not null,"
        " primary key (article_id, requisite_id)) without rowid"
    )
    db.execute("create index article_requisites_requisite on article_requisites (requisite_id)")


def _drop_not_null(db: sqlite_utils.Database, table: str, column: str) -> None:
    """Make ``column`` nullable in place, by SQLite's documented procedure for removing a NOT NULL
    constraint (https://sqlite.org/lang_altertable.html#otheralter): the stored rows do not change, so
    only the schema text is rewritten, inside the caller's transaction, with no copy of the table."""
    sql = db.execute("select sql from sqlite_master where type = 'table' and name = ?", [table]).fetchone()[0]
    nullable = re.sub(rf'("{column}"\s+\w+)\s+NOT NULL', r"\1", sql, count=1, flags=re.IGNORECASE)
    if nullable == sql:
        return
    version = db.execute("pragma schema_version").fetchone()[0]
    db.execute("pragma writable_schema = on")
    try:
        db.execute("update sqlite_master set sql = ? where type = 'table' and name = ?", [nullable, table])
        db.execute(f"pragma schema_version = {version + 1}")
    finally:
        db.execute("pragma writable_schema = off")


_CAPTURES_FULL_VIEW_0009 = """create view captures_full as
select c.id, c.article_id, c.version_id, coalesce(c.url, b.url) as url, c.fetched_at, c.status,
    case when c.headers_base is null then c.headers else json_patch(b.headers, c.headers) end as headers,
    c.body, c.body_codec, c.body_hash, c.error, c.headers_base
from captures c left join captures b on b.id = c.headers_base"""

CAPTURES_FULL_VIEW = """create view captures_full as
select c.id, c.article_id, c.version_id, coalesce(c.url, b.url) as url, c.fetched_at, c.status,
    case when c.headers_base is null then c.headers else json_patch(b.headers, c.headers) end as headers,
    c.body, c.body_codec, c.body_hash, c.error, c.headers_base, c.body_base
from captures c left join captures b on b.id = c.headers_base"""


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("0001_initial_schema", _initial_schema),
    ("0002_revisits", _revisits),
    ("0005_metadata", _metadata),
    ("0006_performance", _performance),
    ("0007_scaling", _scaling),
    ("0008_search_prefixes", _search_prefixes),
    ("0009_capture_patches", _capture_patches),
    ("0010_body_deltas", _body_deltas),
    ("0011_web_archive", _web_archive),
    ("0013_edits_index", _edits_index),
]


def pending(db: sqlite_utils.Database) -> list[str]:
    """Names of migrations not yet applied to ``db``."""
    applied = _applied(db)
    return [name for name, _ in MIGRATIONS if name not in applied]


def apply(db: sqlite_utils.Database) -> list[str]:
    """Apply every pending migration (caller holds a write transaction); return their names."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    applied = _applied(db)
    done = []
    for name, migrate in MIGRATIONS:
        if name in applied:
            continue
        migrate(db)
        db["_migrations"].insert({"name": name, "applied_at": now_iso()})
        done.append(name)
    return done


def _applied(db: sqlite_utils.Database) -> set[str]:
    if "_migrations" not in db.table_names():
        return set()
    return {row["name"] for row in db.query("select name from _migrations")}
