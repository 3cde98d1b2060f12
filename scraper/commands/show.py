"""`newsarchive show`: one version's fields and text, or one capture's HTML."""

from __future__ import annotations

from typing import Any

import click

from archive.queries import resolve_article
from archive.show import capture_view, first_capture, version_view
from scraper.cli import EXIT_USAGE, db_option, fail
from scraper.output import emit, output_options
from scraper.reading import reading

_HEAD = ("url", "version", "versions", "first_seen_at", "last_seen_at", "reverts_to", "title", "authors",
         "published_at", "modified_at", "language", "sitename", "description", "capture_ids")


@click.command("show", short_help="A version's text and fields, or a capture's HTML.")
@click.argument("url", required=False)
@click.argument("version", type=int, required=False)
@click.option("--html", is_flag=True, help="Print the raw HTML of the capture that first showed the version, decoded.")
@click.option("--capture", "capture_id", type=int, metavar="ID", help="Print this capture's HTML (any capture; URL optional).")
@db_option
@output_options
def command(url: str | None, version: int | None, html: bool, capture_id: int | None, db: str, fmt: str | None) -> None:
    """Show version VERSION (default: the latest) of the article at URL (any alias): its fields, then its text.
    --html prints the page as captured instead (its HTML, decoded by its charset); --capture ID picks the
    capture (a 304 shows the body it confirmed). --json/--nl/--csv give one record with every field.

    \b
    Example:
        newsarchive show https://example.com/news/story 2 --db archive.db
    """
    if url is None and capture_id is None:
        fail("give the article's URL (or --capture ID)", EXIT_USAGE)
    with reading(db) as archive:
        article = resolve_article(archive.db, url) if url is not None else None
        if capture_id is not None or html:
            if capture_id is None:
                assert article is not None
                capture_id = first_capture(archive.db, article["id"], version_view(archive.db, article, version)["version"])
            row = capture_view(archive, capture_id, article["id"] if article else None)
        else:
            assert article is not None
            row = version_view(archive.db, article, version)
    if fmt in ("json", "nl", "csv"):
        emit([row], fmt)
    elif "html" in row:
        click.echo(row["html"], nl=False)  # exactly the page, to redirect into a file
    else:
        click.echo(_text(row))


def _text(view: dict[str, Any]) -> str:
    head = []
    for name in _HEAD:
        value = view.get(name)
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        head.append(f"{name}: {value}")
    return "\n".join(head) + "\n\n" + view["text"]
