"""`newsarchive export jsonl|json|warc`: the archive in formats other tools read."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any, TextIO

import click

from archive.atomicio import atomic_output
from archive.export_json import version_rows, write_json, write_jsonl
from archive.wacz_export import export_wacz
from archive.warc_export import DEFAULT_MAX_SIZE, export_warc
from scraper import __version__
from scraper.cli import CONTEXT, db_option
from scraper.reading import reading


def window_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--source`` (repeatable), ``--since``, ``--until`` shared by every export."""
    command = click.option("--until", metavar="TIME", help="Only what was first seen/fetched before this ISO date/time.")(command)
    command = click.option("--since", metavar="TIME", help="Only what was first seen/fetched at or after this ISO date/time.")(command)
    return click.option("--source", "sources", multiple=True, metavar="NAME", help="Only this source (repeatable).")(command)


@click.group("export", context_settings=CONTEXT, short_help="Export versions as JSON Lines/JSON, captures as WARC or WACZ.")
def command() -> None:
    """Export the archive: versions as JSON Lines or JSON, captures as WARC or WACZ.

    \b
    Example:
        newsarchive export jsonl - --source daily | jq .title
    """


def _write_text(out: str, write: Callable[[TextIO], int]) -> int:
    if out == "-":
        return write(sys.stdout)
    with atomic_output(out) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        count = write(text)
        text.flush()
        text.detach()
    return count


@command.command("jsonl", short_help="One JSON object per version.")
@click.argument("out")
@db_option
@window_options
def jsonl(out: str, db: str, sources: tuple[str, ...], since: str | None, until: str | None) -> None:
    """One JSON object per version (article fields + version fields) to OUT (`-` = stdout); --since/--until
    select versions by first_seen_at.

    \b
    Example:
        newsarchive export jsonl versions.jsonl --source daily --since 2024-05-01 --db archive.db
    """
    with reading(db) as archive:
        count = _write_text(out, lambda h: write_jsonl(version_rows(archive.db, sources=sources, since=since, until=until), h))
    if out != "-":
        click.echo(f"{out}: {count} versions", err=True)


@command.command("json", short_help="One JSON object per article, with its versions.")
@click.argument("out")
@db_option
@window_options
def json_(out: str, db: str, sources: tuple[str, ...], since: str | None, until: str | None) -> None:
    """A JSON array with one object per article, its versions in a `versions` array, to OUT (`-` = stdout).

    \b
    Example:
        newsarchive export json articles.json --db archive.db
    """
    with reading(db) as archive:
        count = _write_text(out, lambda h: write_json(version_rows(archive.db, sources=sources, since=since, until=until), h))
    if out != "-":
        click.echo(f"{out}: {count} articles", err=True)


def max_size_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-size`` of one WARC file."""
    return click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_SIZE, show_default=True,
                        help="Start a new WARC file (OUT-00001.warc.gz, …) once one reaches this many bytes.")(command)


@command.command("warc", short_help="Captures as WARC/1.1 that replay in pywb and import back as they were.")
@click.argument("out", type=click.Path(dir_okay=False))
@db_option
@window_options
@max_size_option
def warc(out: str, db: str, sources: tuple[str, ...], since: str | None, until: str | None, max_size: int) -> None:
    """Captures as WARC/1.1 (gzipped when OUT ends in .gz): the first capture of a body as a response, a later
    one of the same bytes as an identical-payload revisit, a 304 recheck as a server-not-modified revisit that
    replays; a request record per exchange; metadata records for each capture, version and article, so that
    `newsarchive import` restores them as they were. --since/--until select captures by fetched_at; --source
    also takes the stylesheets and images its articles use. Each file is written as OUT.open and renamed once
    complete and read back with valid digests.

    \b
    Example:
        newsarchive export warc news.warc.gz --since 2024-05-01 --db archive.db
    """
    with reading(db) as archive:
        report = export_warc(archive, out, sources=sources, since=since, until=until, max_size=max_size,
                             version=__version__)
    click.echo(report.line())


@command.command("wacz", short_help="Captures as a WACZ (py-wacz): WARC, index, pages with text, digests.")
@click.argument("out", type=click.Path(dir_okay=False))
@db_option
@window_options
@max_size_option
def wacz(out: str, db: str, sources: tuple[str, ...], since: str | None, until: str | None, max_size: int) -> None:
    """The WARC export packaged by py-wacz: the WARC file(s), a CDXJ index, pages/pages.jsonl with one page per
    article (URL, time, title and its latest exported version's text, for full-text search) and
    datapackage.json with every file's digest. Checked with `wacz validate` before it is renamed to OUT.
    Replay: ReplayWeb.page, or `wb-manager add COLL OUT --unpack-wacz` in pywb.

    \b
    Example:
        newsarchive export wacz news.wacz --source daily --db archive.db
    """
    with reading(db) as archive:
        report = export_wacz(archive, out, sources=sources, since=since, until=until, max_size=max_size,
                             version=__version__)
    click.echo(report.line())
