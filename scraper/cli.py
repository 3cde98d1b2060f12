"""The `newsarchive` command line: a thin click layer over the crawler and the archive library."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from . import __version__

EXIT_FATAL = 1
EXIT_USAGE = 2
EXIT_BUSY = 75  # EX_TEMPFAIL: another crawl holds the archive; cron simply tries again later

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH`` (default ``archive.db``, or ``$NEWSARCHIVE_DB``), shared by every command."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        default="archive.db",
        envvar="NEWSARCHIVE_DB",
        show_default=True,
        help="Archive file (SQLite). Env: NEWSARCHIVE_DB.",
    )(command)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="newsarchive")
def main() -> None:
    """newsarchive: crawl news feeds, keep every version of every article in SQLite."""


def fail(message: str, code: int) -> NoReturn:
    """Print ``Error: message`` on stderr and exit with ``code``."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _register() -> None:
    # Each command lives in scraper/commands/<name>.py; imported here so `main` knows them.
    from .commands import add, crawl, diff, export, history, import_warc, ingest, reextract, search, serve, stats, worker

    for module in (crawl, add, search, history, diff, stats, export, import_warc, reextract, serve, worker, ingest):
        main.add_command(module.command)



_register()
