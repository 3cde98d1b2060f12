"""Idempotent ingestion: which results (by task id) the distributed writer has already stored."""

from __future__ import annotations

from datetime import timedelta

from .clock import iso, now_iso, utcnow
from .store import Archive


def claim(archive: Archive, task: str) -> bool:
    """Record ``task`` as stored; False when it already was. Call inside the write unit that stores it."""
    cursor = archive.db.execute(
        "insert into ingested_tasks (task, ingested_at) values (?, ?) on conflict(task) do nothing",
        [task, now_iso()],
    )
    return cursor.rowcount == 1


def prune(archive: Archive, *, days: int = 30) -> int:
    """Forget task ids stored more than ``days`` ago (no stream entry can be redelivered that late)."""
    cutoff = iso(utcnow() - timedelta(days=days))
    cursor = archive.db.execute("delete from ingested_tasks where ingested_at < ?", [cutoff])
    return cursor.rowcount


def urls_after(archive: Archive, last_id: int, limit: int) -> list[dict[str, object]]:
    """``id`` and ``url`` of up to ``limit`` articles with an id above ``last_id`` (seen-set sync)."""
    return list(archive.db.query("select id, url from articles where id > ? order by id limit ?", [last_id, limit]))
