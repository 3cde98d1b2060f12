"""`newsarchive export jsonl|json|warc`: the archive in formats other tools read."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any, TextIO

import click

from archive.atomicio import atomic_output
from archive.export_json import version_rows, write_json, write_jsonl
from archive.warc_export import DEFAULT_MAX_SIZE, export_warc
from scraper import __version__
from scraper.cli import CONTEXT, db_option
from scraper.reading import reading


def window_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--source`` (repeatable), ``--since``, ``--until`` shared by every export."""
    command = click.option("--until", metavar="TIME", help="Only what was first seen/fetched before this ISO date/time.")(command)
    command = click.option("--since", metavar="TIME", help="Only what was first seen/fetched at or after this ISO date/time.")(command)
    return click.option("--source", "sources", multiple=True, metavar="NAME", help="Only this source (repeatable).")(command)


@click.group("export", context_settings=CONTEXT, short_help="Export versions as JSON Lines/JSON, captures as WARC.")
def command() -> None:
    """Export the archive: versions as JSON Lines or JSON, captures as WARC.

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


@command.command("warc", short_help="Captures as WARC/1.1 (revisits, metadata, rotation).")
@click.argument("out", type=click.Path(dir_okay=False))
@db_option
@window_options
@click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_SIZE, show_default=True,
              help="Start a new file (OUT-00001.warc.gz, …) once one reaches this many bytes.")
def warc(out: str, db: str, sources: tuple[str, ...], since: str | None, until: str | None, max_size: int) -> None:
    """Captures as WARC/1.1 (gzipped when OUT ends in .gz): request + response records at the fetch time,
    revisit records for repeated bodies, a metadata record per version. --since/--until select captures by
    fetched_at. Each file is written as OUT.open and renamed once complete and read back with valid digests.

    \b
    Example:
        newsarchive export warc news.warc.gz --since 2024-05-01 --db archive.db
    """
    with reading(db) as archive:
        report = export_warc(archive, out, sources=sources, since=since, until=until, max_size=max_size,
                             version=__version__)
    click.echo(
        f"{', '.join(str(p) for p in report.files)}: {report.responses} responses, {report.revisits} revisits,"
        f" {report.requests} requests, {report.metadata} metadata; {report.skipped_no_response} captures without a"
        " response skipped"
    )
