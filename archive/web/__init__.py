"""newsarchive's Datasette plugin: an archivist's web view of what changed, and readable tables. Read-only.

Pages (stable addresses): ``/-/article?url=URL`` (any alias; ``&v1=N&v2=M``), ``/-/changes`` (``?source=``,
``?since=``, ``?until=``), ``/-/search?q=``, ``/-/changes.atom`` (``?source=``, ``?url=``) and
``/-/capture/ID`` (a capture's page as archived, inert). Tables get the schema's descriptions, short hashes and
links to those pages; canned queries resolve URLs as the CLI does (SQL function ``canonical_url()``).

Installed with newsarchive (entry point ``datasette`` → ``newsarchive``), so ``datasette archive.db`` loads it;
``newsarchive serve`` runs Datasette with it. Settings (``plugins: newsarchive:`` in Datasette's metadata):
``replay_url`` (a pywb collection, e.g. ``http://127.0.0.1:8080/news/``; else ``$NEWSARCHIVE_REPLAY_URL``) and
``database`` (which archive the pages read when several are served).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

from archive.urls import canonical_url

from . import filters, registry, views

if TYPE_CHECKING:  # datasette.app imports the plugins: importing it here would be circular
    from datasette.app import Datasette

_HASH_COLUMNS = {"content_hash", "body_hash"}


@hookimpl
def startup(datasette: Datasette) -> Any:
    async def inner() -> None:
        await registry.discover(datasette)
    return inner


@hookimpl
def get_metadata(datasette: Datasette, key: str, database: str, table: str) -> dict[str, Any]:
    return registry.archive_metadata(datasette)


def _canonical(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        return canonical_url(str(url))
    except ValueError:  # not a URL at all: nothing canonical about it, and no article has it
        return None


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("canonical_url", 1, _canonical, deterministic=True)


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Datasette) -> None:
    env.filters.update(filters.FILTERS)
    env.globals["na_url"] = lambda path, **params: filters.page_url(datasette, path, params)


@hookimpl
def extra_css_urls(database: str | None, datasette: Datasette) -> list[str]:
    if database and database in registry.archive_names(datasette):
        return [datasette.urls.static_plugins(registry.PLUGIN, "tables.css")]
    return []


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return views.ROUTES


@hookimpl
def menu_links(datasette: Datasette) -> list[dict[str, str]]:
    return [
        {"href": datasette.urls.path("/-/changes"), "label": "Recent changes"},
        {"href": datasette.urls.path("/-/search"), "label": "Search the archive"},
        {"href": datasette.urls.path("/-/changes.atom"), "label": "Atom feed of changes"},
    ]


@hookimpl
def render_cell(row: sqlite3.Row, value: Any, column: str, table: str | None, database: str,
                datasette: Datasette) -> Markup | None:
    """Short hashes (the full one on hover), the page as archived instead of ``<Binary>``, and a link from an
    article's URL to its page in the web view."""
    if column in _HASH_COLUMNS and isinstance(value, str) and value.startswith("sha256:"):
        return Markup(f'<span class="na-hash" title="{escape(value)}">{escape(filters.short_hash(value))}</span>')
    keys = row.keys() if hasattr(row, "keys") else []
    if table in ("captures", "captures_full") and column == "body" and isinstance(value, bytes) and "id" in keys:
        href = datasette.urls.path(f"/-/capture/{row['id']}")
        return Markup(f'<a href="{href}">page as archived</a> ({len(value):,} bytes stored)')
    if table == "articles" and column == "url" and isinstance(value, str) and value.startswith(("http://", "https://")):
        href = datasette.urls.path("/-/article?" + urlencode({"url": value}))
        return Markup(f'<a href="{escape(value)}" rel="noreferrer">{escape(value)}</a> · <a href="{href}">history</a>')
    return None
