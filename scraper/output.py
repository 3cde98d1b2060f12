"""The output options every read command shares (sqlite-utils conventions).

``--table`` (the default on a terminal), ``--json`` (the default when piped: one JSON array), ``--nl`` (one JSON
object per line) and ``--csv`` (a header row, then one row per record; nested values as JSON).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMATS = ("table", "json", "nl", "csv")


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--table/--json/--nl/--csv`` as one ``fmt`` argument (None = choose by terminal)."""
    for name, help_text in reversed(
        [
            ("table", "Readable table (default on a terminal)."),
            ("json", "A JSON array (default when not a terminal)."),
            ("nl", "Newline-delimited JSON: one object per line."),
            ("csv", "CSV with a header row."),
        ]
    ):
        command = click.option(f"--{name}", "fmt", flag_value=name, help=help_text)(command)
    return command


def stdout_is_terminal() -> bool:
    """Whether standard output is an interactive terminal (tables and colours) or a pipe/file (JSON, plain)."""
    return sys.stdout.isatty()


def resolve_format(fmt: str | None) -> str:
    """The chosen format, or the default for where stdout goes."""
    return fmt or ("table" if stdout_is_terminal() else "json")


def emit(
    rows: Sequence[dict[str, Any]],
    fmt: str | None,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    render: Callable[[str, Any], str | Text] | None = None,
) -> None:
    """Print ``rows`` in ``fmt``; ``render(column, value)`` formats table cells (default: ``str``, null as blank)."""
    fmt = resolve_format(fmt)
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        click.echo(json.dumps(list(rows), indent=2, ensure_ascii=False))
    elif fmt == "nl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row.get(name)) for name in columns])
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(table_text(rows, columns, title=title, caption=caption, render=render), nl=False)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return "" if value is None else value


def plain_cell(_column: str, value: Any) -> str:
    """Default table cell: blank for null, ``k: v, …`` for dicts, ``yes``/blank for booleans."""
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {count}" for key, count in value.items())
    return str(value)


def console(width: int | None = None) -> Console:
    """A rich console writing into a string; colour only on a real terminal."""
    terminal = stdout_is_terminal()
    return Console(
        file=io.StringIO(),
        width=width or (None if terminal else 160),
        force_terminal=terminal,
        color_system="auto" if terminal else None,
        highlight=False,
    )


def table_text(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    title: str | None = None,
    caption: str | None = None,
    render: Callable[[str, Any], str | Text] | None = None,
) -> str:
    """``rows`` as a rich table, returned as text."""
    render = render or plain_cell
    table = Table(title=title, caption=caption, show_lines=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        cells = (render(name, row.get(name)) for name in columns)
        # Text, not markup: archived titles may contain "[...]".
        table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in cells))
    out = console()
    out.print(table)
    return out.file.getvalue()  # type: ignore[attr-defined]
