"""serve: Datasette on 127.0.0.1 answers the canned queries, read-only, with the schema's descriptions."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.datasette_meta import schema_descriptions
from scraper.cli import main

from .archivist import T1, T2, T3, URL_A, URL_B, build_archive
from .conftest import REPO
from .served import HOST, get, serving


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    db = build_archive(tmp_path / "news.db", monkeypatch)
    with serving(db) as (port, _):
        yield port


def test_serve_answers_the_canned_queries(served: int) -> None:
    port = served
    latest = get(port, "/news/latest_versions.json?_shape=array")
    assert [(r["url"], r["version"], r["title"], r["first_seen_at"]) for r in latest] == [
        (URL_A, 2, "Council passes amended budget", T3), (URL_B, 1, "Harbour storm closes bridge", T1)]
    changed = get(port, "/news/changed_recently.json?_shape=array&days=100000")
    assert changed == [{"url": URL_A, "source": "daily", "version": 2, "title": "Council passes amended budget",
                        "first_seen_at": T3}]
    assert get(port, "/news/changed_recently.json?_shape=array&days=1") == []
    found = get(port, "/news/search.json?_shape=array&q=amended")
    assert [(r["url"], r["version"], r["snippet"]) for r in found] == [(URL_A, 2, "Council passes **amended** budget")]
    history = get(port, f"/news/article_history.json?_shape=array&url={URL_A}")
    assert [(r["version"], r["first_seen_at"], r["last_seen_at"]) for r in history] == [(1, T1, T2), (2, T3, T3)]


def test_serve_is_read_only_and_described(served: int) -> None:
    port = served
    databases = get(port, "/-/databases.json")
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("news", False)]
    meta = get(port, "/-/metadata.json")
    tables = meta["databases"]["news"]["tables"]
    assert tables["versions"]["columns"]["content_hash"] == "sha256:<hex> of normalised title + text"
    assert tables["captures"]["description"] == "every fetch of an article page"
    assert set(meta["databases"]["news"]["queries"]) == {"latest_versions", "changed_recently", "search", "article_history"}
    request = urllib.request.Request(f"http://{HOST}:{port}/news/-/create", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=10)


def test_every_documented_table_has_descriptions_for_its_columns() -> None:
    described = schema_descriptions((REPO / "docs" / "schema.md").read_text(encoding="utf-8"))
    assert {"articles", "versions", "captures", "feeds"} <= set(described)
    assert all(info["columns"] for name, info in described.items() if name != "_migrations")


def test_serve_falls_back_to_read_only_while_a_writer_holds_the_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_archive(tmp_path / "busy.db", monkeypatch)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("update articles set last_error = 'x' where id = 3")
    try:
        with serving(db) as (port, proc):
            assert [(d["name"], d["is_mutable"]) for d in get(port, "/-/databases.json")] == [("busy", True)]
            writer.execute("COMMIT")
            rows = get(port, "/busy.json?sql=select+last_error+from+articles+where+id+%3D+3&_shape=array")
            assert rows == [{"last_error": "x"}]  # a read-only connection sees later commits
    finally:
        writer.close()
    assert "serving it read-only (mode=ro), not immutable" in proc.stderr.read().decode()


def test_serve_passes_host_port_and_datasette_options_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_archive(tmp_path / "opts.db", monkeypatch)
    with serving(db, "--host", "127.0.0.1", "--setting", "sql_time_limit_ms", "1234") as (port, _):
        settings = get(port, "/-/settings.json")
        assert settings["sql_time_limit_ms"] == 1234 and settings["truncate_cells_html"] == 300
        with urllib.request.urlopen(f"http://{HOST}:{port}/-/changes", timeout=10) as response:
            assert "Recent changes" in response.read().decode()


def test_serve_get_prints_a_page_without_listening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_archive(tmp_path / "get.db", monkeypatch)
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--replay-url", "http://127.0.0.1:8080/news",
                                       "--get", f"/-/article?url={URL_A}"])
    assert result.exit_code == 0, result.output
    assert "Council passes amended budget" in result.stdout
    assert f'href="http://127.0.0.1:8080/news/20240503100000/{URL_A}"' in result.stdout


def test_serve_refuses_a_bad_replay_url_and_a_missing_archive(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db"), "--replay-url", "pywb"])
    assert result.exit_code == 2 and "'pywb' is not an http(s) URL of a pywb collection" in result.stderr
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'none.db'}: no such archive; run `newsarchive crawl --db {tmp_path / 'none.db'}` first\n"


def test_datasette_itself_loads_the_web_view(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_archive(tmp_path / "plain.db", monkeypatch)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    page = subprocess.run([sys.executable, "-m", "datasette", str(db), "--get", "/-/changes.atom"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert page.returncode == 0, page.stderr
    assert "<title>Changes across the archive</title>" in page.stdout
    query = subprocess.run([sys.executable, "-m", "datasette", str(db), "--get",
                            f"/plain/article_history.json?_shape=array&url={URL_A}?utm_source=x"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert [row["version"] for row in json.loads(query.stdout)] == [1, 2]


def test_every_column_of_a_new_archive_has_its_own_description(tmp_path: Path) -> None:
    described = schema_descriptions((REPO / "docs" / "schema.md").read_text(encoding="utf-8"))
    with Archive(tmp_path / "fresh.db") as archive:
        names = [n for n in archive.db.table_names() + archive.db.view_names()
                 if not n.startswith("versions_fts") and n != "_migrations"]
        for name in names:
            columns = [row[1] for row in archive.db.execute(f'pragma table_info("{name}")')]
            meanings = described[name]["columns"]
            assert [c for c in columns if c not in meanings] == [], f"{name}: undocumented columns"
            texts = [meanings[c] for c in columns]
            assert len(set(texts)) == len(texts), f"{name}: two columns read the same description"


def test_schema_descriptions_read_markdown_not_patterns() -> None:
    text = ("## `t` — a *table* with [a link](x)\n\n| column | meaning |\n|---|---|\n"
            "| `a` | `a\\|b` escaped pipe, **bold** |\n| `b`, `c` | shared |\n\n## `v` — view\n"
            "| column | meaning |\n|---|---|\n| `a` | as in `t` |\n| `z` | as in `t` |\n")
    assert schema_descriptions(text) == {
        "t": {"description": "a table with a link", "columns": {"a": "a|b escaped pipe, bold", "b": "shared", "c": "shared"}},
        "v": {"description": "view", "columns": {"a": "a|b escaped pipe, bold", "z": "as in t"}},
    }
