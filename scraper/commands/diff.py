"""`newsarchive diff`: what changed between two versions of an article."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click
from rich.text import Text

from archive.queries import pick_versions, resolve_article
from archive.worddiff import FIELDS, changes, text_segments, unified
from scraper.cli import db_option
from scraper.output import console, emit, output_options, resolve_format
from scraper.reading import reading


CONTEXT_WORDS = 12  # unchanged words shown on each side of a change


def _label(article: dict[str, Any], version: dict[str, Any]) -> str:
    return f"{article['url']} v{version['version']} ({version['first_seen_at']})"


def _coloured(old: dict[str, Any], new: dict[str, Any], article: dict[str, Any]) -> str:
    out = console()
    out.print(Text(f"--- {_label(article, old)}", style="red"))
    out.print(Text(f"+++ {_label(article, new)}", style="green"))
    for name in FIELDS:
        if old.get(name) != new.get(name):
            line = Text(f"{name}: ")
            line.append(str(old.get(name) or ""), style="red strike")
            line.append(" → ")
            line.append(str(new.get(name) or ""), style="green")
            out.print(line)
    text = Text()
    for op, words in text_segments(old["text"], new["text"], context=CONTEXT_WORDS):
        style = {"delete": "red strike", "insert": "green underline"}.get(op, "")
        text.append(words + " ", style=style)
    out.print(text)
    return out.file.getvalue()  # type: ignore[attr-defined]


@click.command("diff", short_help="What changed between two versions of an article.")
@click.argument("url")
@click.argument("v1", type=int, required=False)
@click.argument("v2", type=int, required=False)
@db_option
@output_options
def command(url: str, v1: int | None, v2: int | None, db: str, fmt: str | None) -> None:
    """Compare two versions of the article at URL (any alias): previous vs latest by default, V1 vs latest,
    or V1 vs V2. A coloured word diff on a terminal, a plain unified diff otherwise; --json/--nl/--csv list
    the changes (field, op, old, new).

    \b
    Example:
        newsarchive diff https://example.com/news/story 1 3 --db archive.db
    """
    with reading(db) as archive:
        article = resolve_article(archive.db, url)
        old, new = pick_versions(archive.db, article["id"], v1, v2)
    if fmt in ("json", "nl", "csv"):
        emit([asdict(change) for change in changes(old, new)], fmt, columns=("field", "op", "old", "new"))
    elif resolve_format(fmt) == "table":
        click.echo(_coloured(old, new, article), nl=False)
    else:
        click.echo(unified(old, new, _label(article, old), _label(article, new)), nl=False)
