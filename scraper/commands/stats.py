"""`newsarchive stats`: what the archive holds, per source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.queries import stats
from scraper.cli import db_option
from scraper.output import emit, output_options, plain_cell
from scraper.reading import reading

COLUMNS = ("source", "articles", "versions", "captures", "failed", "failures", "last_crawl", "next_due", "db_bytes")


def _cell(column: str, value: Any) -> str:
    if column == "source" and value is None:
        return "(all)"
    if column == "db_bytes" and value is not None:
        return f"{value / 1_048_576:.1f} MiB"
    return plain_cell(column, value)


@click.command("stats", short_help="Articles, versions, captures and failures per source.")
@db_option
@output_options
def command(db: str, fmt: str | None) -> None:
    """Per source: articles, versions, captures, failed captures by reason, last crawl and next due check;
    the last row (source null) totals them and gives the archive's size on disk.

    \b
    Example:
        newsarchive stats --db archive.db --json
    """
    with reading(db) as archive:
        rows = stats(archive.db, Path(db))
    emit(rows, fmt, columns=COLUMNS, render=_cell)
