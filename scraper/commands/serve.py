"""`newsarchive serve`: browse the archive in Datasette on 127.0.0.1, read-only."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

import click

from archive.datasette_meta import metadata
from scraper.cli import EXIT_USAGE, db_option, fail
from scraper.reading import reading

HOST = "127.0.0.1"


def _checkpoint(path: Path) -> bool:
    """Move the WAL into the database file (immutable mode reads only that file); False if a writer holds it."""
    try:
        conn = sqlite3.connect(path, timeout=2)
        try:
            busy, wal_frames, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return busy == 0 and wal_frames == done


@click.command("serve", short_help="Browse the archive in Datasette (read-only).")
@db_option
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Port on 127.0.0.1.")
def command(db: str, port: int) -> None:
    """Browse the archive in Datasette at http://127.0.0.1:PORT/, read-only, with the schema's descriptions and
    canned queries: latest_versions, changed_recently (?days=N), search (?q=…), article_history (?url=…).

    The file is opened immutable (fast; a crawl's later changes show after a restart). While another process
    is writing it, it is opened read-only instead.

    \b
    Example:
        newsarchive serve --db archive.db --port 8001
    """
    from datasette.cli import serve as datasette_serve  # imported here: a slow import only `serve` needs

    path = Path(db)
    with reading(db) as archive:
        meta = metadata(archive.db, path.stem)
    immutable = _checkpoint(path)
    if not immutable:
        click.echo("Note: the archive is being written; serving it read-only (mode=ro), not immutable.", err=True)
    with tempfile.TemporaryDirectory(prefix="newsarchive-serve-") as tmp:
        meta_file = Path(tmp) / "metadata.json"
        meta_file.write_text(json.dumps(meta), encoding="utf-8")
        # Datasette opens a file given without --immutable with mode=ro: read-only, but it sees new commits.
        args = ["--immutable", str(path)] if immutable else [str(path)]
        args += ["--host", HOST, "--port", str(port), "--metadata", str(meta_file),
                 "--setting", "sql_time_limit_ms", "5000"]
        try:
            datasette_serve.main(args, prog_name="newsarchive serve", standalone_mode=False)
        except OSError as exc:
            fail(f"cannot serve on {HOST}:{port} ({exc}); choose another --port", EXIT_USAGE)
