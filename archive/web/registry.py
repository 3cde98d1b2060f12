"""Which of the databases Datasette serves are newsarchive archives, and reading them through archive/ functions.

Found once at startup (a database with ``_migrations``, ``articles`` and ``versions``); the plugin's pages read
the first one, or the one named by the plugin setting ``database``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import sqlite_utils

from archive.datasette_meta import metadata

if TYPE_CHECKING:  # datasette.app imports the plugins: see __init__.py
    from datasette.app import Datasette

PLUGIN = "newsarchive"
_ARCHIVE_TABLES = {"_migrations", "articles", "versions"}

T = TypeVar("T")


class NoArchive(LookupError):
    """None of the databases served is a newsarchive archive (or not the one the settings name)."""

# Datasette instance -> {database name: its metadata}, in the order Datasette lists the databases
_found: weakref.WeakKeyDictionary[Datasette, dict[str, dict[str, Any]]] = weakref.WeakKeyDictionary()


async def discover(datasette: Datasette) -> None:
    """Find the archives among ``datasette``'s databases and build their metadata (descriptions, queries)."""
    found: dict[str, dict[str, Any]] = {}
    for name, database in datasette.databases.items():
        if database.is_memory or not _ARCHIVE_TABLES <= set(await database.table_names()):
            continue
        found[name] = await database.execute_fn(lambda conn, name=name: metadata(_wrap(conn), name))
    _found[datasette] = found


def archive_metadata(datasette: Datasette) -> dict[str, Any]:
    """The metadata of every archive served (a fresh copy: Datasette merges other metadata into what it gets)."""
    found = _found.get(datasette)
    if not found:
        return {}
    merged: dict[str, Any] = {"databases": {}}
    for meta in found.values():
        merged.update({key: value for key, value in meta.items() if key != "databases"})
        merged["databases"].update(meta["databases"])
    return _copy(merged)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


def archive_names(datasette: Datasette) -> list[str]:
    """The names of the archives served."""
    return list(_found.get(datasette) or {})


def archive_name(datasette: Datasette) -> str:
    """The database the pages read: the plugin setting ``database``, else the first archive served."""
    found = _found.get(datasette) or {}
    wanted = (datasette.plugin_config(PLUGIN) or {}).get("database")
    if wanted:
        if wanted not in found:
            raise NoArchive(f"the database {wanted!r} (plugin setting {PLUGIN}.database) is not a newsarchive archive")
        return wanted
    if not found:
        raise NoArchive("no newsarchive archive is being served: start it with `newsarchive serve --db archive.db`")
    return next(iter(found))


async def read(datasette: Datasette, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(db, *args, **kwargs)`` on a read connection to the archive (in Datasette's SQL thread)."""
    database = datasette.get_database(archive_name(datasette))
    return await database.execute_fn(lambda conn: function(_wrap(conn), *args, **kwargs))


def _wrap(conn: Any) -> sqlite_utils.Database:
    # Datasette's own connection: leave its pragmas and functions as Datasette set them
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
