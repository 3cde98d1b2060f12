"""`newsarchive serve`: the archive in Datasette with the archivist's web view, read-only, on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import os
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import click

from scraper.cli import EXIT_USAGE, db_option, fail
from scraper.reading import reading

HOST = "127.0.0.1"
REPLAY_ENV = "NEWSARCHIVE_REPLAY_URL"
# Datasette settings the archive wants, before any the user passes (theirs win: Datasette keeps the last)
SETTINGS = ("--setting", "sql_time_limit_ms", "5000", "--setting", "truncate_cells_html", "300")


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


def _replay_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"{value!r} is not an http(s) URL of a pywb collection, e.g. http://127.0.0.1:8080/news/",
                                 param_hint="--replay-url")
    return value if value.endswith("/") else value + "/"


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@click.command("serve", short_help="The archive in Datasette, with the archivist's web view (read-only).",
               context_settings={"ignore_unknown_options": True})
@db_option
@click.option("--host", default=HOST, show_default=True, help="Address to listen on (anything but loopback is public).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port (0: any free one).")
@click.option("--replay-url", metavar="URL", help="A pywb collection to link captures to, e.g. http://127.0.0.1:8080/news/ "
              "(links are URL + 14-digit timestamp + '/' + page URL).")
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED)
def command(db: str, host: str, port: int, replay_url: str | None, datasette_args: tuple[str, ...]) -> None:
    """Serve the archive at http://HOST:PORT/: recent changes (/-/changes), search (/-/search), article pages
    (/-/article?url=URL, any alias, &v1=N&v2=M), Atom feeds of changes (/-/changes.atom?source=…|url=…) and
    every table, with the schema's descriptions and canned queries. Read-only.

    The file is opened immutable (fast; a crawl's later changes show after a restart). While another process
    is writing it, it is opened read-only instead. Any other option is passed on to `datasette serve`
    (e.g. --setting, --metadata, --get PATH).

    \b
    Example:
        newsarchive serve --db archive.db --port 8001 --replay-url http://127.0.0.1:8080/news/
    """
    from datasette.cli import serve as datasette_serve  # imported here: a slow import only `serve` needs

    path = Path(db)
    replay = _replay_url(replay_url)
    with reading(db):
        pass  # one clear error for a missing or foreign file, before Datasette starts
    immutable = _checkpoint(path)
    if not immutable:
        click.echo("Note: the archive is being written; serving it read-only (mode=ro), not immutable.", err=True)
    if not _is_loopback(host):
        click.echo(f"Note: serving on {host}: anyone who can reach this machine can read the archive.", err=True)
    if port and "--get" not in datasette_args:
        click.echo(f"The archivist's view: http://{host}:{port}/-/changes (search: /-/search)", err=True)
    # Datasette opens a file given without --immutable with mode=ro: read-only, but it sees new commits.
    args = ["--immutable", str(path)] if immutable else [str(path)]
    args += ["--host", host, "--port", str(port), *SETTINGS, *datasette_args]
    previous = os.environ.get(REPLAY_ENV)
    if replay:
        os.environ[REPLAY_ENV] = replay  # read by the plugin (archive/web) in this process
    try:
        datasette_serve.main(args, prog_name="newsarchive serve", standalone_mode=False)
    except OSError as exc:
        fail(f"cannot serve on {host}:{port} ({exc}); choose another --port", EXIT_USAGE)
    except click.ClickException as exc:
        fail(f"{exc.format_message()} (passed to datasette serve)", EXIT_USAGE)
    finally:
        if previous is None:
            os.environ.pop(REPLAY_ENV, None)
        else:
            os.environ[REPLAY_ENV] = previous
