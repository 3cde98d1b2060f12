"""serve: Datasette on 127.0.0.1 answers the canned queries, read-only, with the schema's descriptions."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.datasette_meta import schema_descriptions
HOST = "127.0.0.1"

from .archivist import T1, T2, T3, URL_A, URL_B, build_archive
from .conftest import REPO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> object:
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=10) as response:
        return json.load(response)


@contextlib.contextmanager
def serving(db: Path) -> Iterator[tuple[int, subprocess.Popen]]:
    """`newsarchive serve` in a subprocess on a free port; waits (bounded) until it answers, stops it after."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=db.parent)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(port, "/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {proc.stderr.read().decode() if proc.poll() is not None else 'timeout'}")
                time.sleep(0.2)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
