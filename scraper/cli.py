"""The `newsarchive` command line: a thin click layer over the crawler and the archive library."""

from __future__ import annotations

import importlib
import math
import sqlite3
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
        callback=_remember_db,
    )(command)


_DB_META = "newsarchive.db"


def _remember_db(ctx: click.Context, param: click.Parameter, value: str) -> str:
    ctx.meta[_DB_META] = value  # ctx.meta is shared by every context of the invocation
    return value


class Seconds(click.ParamType):
    """A number of seconds from ``low`` to ``high``: click's FloatRange lets ``inf`` and ``nan`` through."""

    name = "seconds"

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not (math.isfinite(number) and self.low <= number <= self.high):
            low, high = (int(x) if x == int(x) else x for x in (self.low, self.high))
            self.fail(f"{value!r} is not a number of seconds from {low} to {high}", param, ctx)
        return number


# command name -> module in scraper/commands/ defining ``command``, in `--help` order
COMMANDS = {
    "crawl": "crawl", "add": "add", "search": "search", "history": "history", "diff": "diff", "show": "show",
    "changes": "changes", "stats": "stats",
    "export": "export", "import": "import_warc", "reextract": "reextract", "serve": "serve", "worker": "worker",
    "ingest": "ingest",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs (or `--help` lists them all): the crawl
    commands pull in Scrapy and trafilatura, which a `search` or `history` has no use for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return importlib.import_module(f"{__package__}.commands.{COMMANDS[name]}").command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an archive error no command caught (a damaged file found mid-way, say) is one
        ``Error:`` line and exit 1, never a traceback."""
        from archive.errors import ArchiveError

        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            fail(str(exc), EXIT_FATAL)
        except sqlite3.DatabaseError as exc:
            from archive.db import translate

            fail(str(translate(exc, _db_of(ctx))), EXIT_FATAL)


def _db_of(ctx: click.Context) -> str | None:
    """The ``--db`` of the command being run (see :func:`db_option`), for the message."""
    return ctx.meta.get(_DB_META)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="newsarchive")
def main() -> None:
    """newsarchive: crawl news feeds, keep every version of every article in SQLite."""


def fail(message: str, code: int) -> NoReturn:
    """Print ``Error: message`` on stderr and exit with ``code``."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def commands() -> dict[str, click.Command]:
    """Every command by name, its module imported (for `--help` checks and documentation tests)."""
    ctx = click.Context(main)
    return {name: command for name in main.list_commands(ctx) if (command := main.get_command(ctx, name))}
