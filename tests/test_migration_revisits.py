"""Migration 0002_revisits upgrades an archive written by 0001 in place."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from archive import Archive
from archive import migrations


def test_0002_backfills_aliases_and_schedules_a_recheck(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations._initial_schema(db)
    db["_migrations"].insert({"name": "0001_initial_schema", "applied_at": "2024-01-01T00:00:00Z"}, pk="name")
    db["articles"].insert_all([
        {"url": "https://e.com/a", "source": "s", "status": "archived", "first_seen_at": "2024-01-01T00:00:00Z",
         "last_checked_at": "2024-01-02T00:00:00Z", "versions": 1, "discovered_via": "https://e.com/rss"},
        {"url": "https://e.com/b", "source": "manual", "status": "pending", "first_seen_at": "2024-01-03T00:00:00Z",
         "versions": 0, "discovered_via": "manual"},
    ])
    db.close()
    with Archive(path) as archive:
        applied = [r["name"] for r in archive.db.query("select name from _migrations order by name")]
        assert applied == [name for name, _ in migrations.MIGRATIONS]  # 0002 and every later migration
        assert list(archive.db.query("select url, article_id, kind, first_seen_at from article_urls order by url")) == [
            {"url": "https://e.com/a", "article_id": 1, "kind": "feed", "first_seen_at": "2024-01-01T00:00:00Z"},
            {"url": "https://e.com/b", "article_id": 2, "kind": "manual", "first_seen_at": "2024-01-03T00:00:00Z"},
        ]
        assert list(archive.db.query("select next_check_at, gone_at, missing_checks, entry_source from articles order by id")) == [
            {"next_check_at": "2024-01-02T00:00:00Z", "gone_at": None, "missing_checks": 0, "entry_source": "feed"},
            {"next_check_at": None, "gone_at": None, "missing_checks": 0, "entry_source": None},
        ]
        assert "reverts_to" in archive.db["versions"].columns_dict
        assert {"kind", "next_poll_at", "poll_interval", "new_entries"} <= set(archive.db["feeds"].columns_dict)
