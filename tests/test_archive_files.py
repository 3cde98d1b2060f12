"""Issue 19, items 8 and 9: a damaged archive is one ``Error:`` line from every command; another
application's SQLite file is refused before anything in it changes."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive, Capture, Extraction, NotAnArchive
from scraper.cli import main

from .conftest import run_cli, write_sources


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


FOREIGN = {
    "another-app": ["create table users (id integer primary key, name text)", "insert into users values (1, 'ann')"],
    "name-clash": ["create table articles (id integer primary key, body text)", "insert into articles values (1, 'x')"],
    "other-migrations": ["create table _migrations (id integer primary key, app text)", "insert into _migrations values (1, 'auth')"],
    "a-view-only": ["create view v as select 1 as one"],
}


@pytest.mark.parametrize("name", FOREIGN)
def test_another_applications_file_is_refused_unchanged(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.db"
    conn = sqlite3.connect(path)
    for statement in FOREIGN[name]:
        conn.execute(statement)
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotAnArchive, match=r"not a newsarchive archive \(it holds another application's tables: .*\); "
                                           r"nothing was changed: choose another --db"):
        Archive(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no -wal, no -shm
    assert sqlite3.connect(path).execute("pragma journal_mode").fetchone() == ("delete",)


def test_an_empty_sqlite_file_becomes_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).execute("pragma user_version = 0").connection.close()
    Archive(path).close()
    assert "articles" in {row[0] for row in sqlite3.connect(path).execute("select name from sqlite_master")}


def test_crawl_on_a_foreign_file_exits_1_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("create table articles (id integer primary key, body text)")  # the clash that failed half-way
    conn.commit()
    conn.close()
    before = digest(path)
    sources = write_sources(tmp_path / "sources.toml", '[[source]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/rss"]\n')
    result = run_cli("crawl", "--db", str(path), "--sources", str(sources))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}: not a newsarchive archive (it holds another application's tables: articles); "
        "nothing was changed: choose another --db"]
    assert digest(path) == before and not (tmp_path / "app.db-wal").exists()


@pytest.fixture(scope="module")
def archive_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("pristine") / "archive.db"
    with Archive(path) as archive:
        for i in range(20):
            article = archive.add_article(f"https://news.example/{i}", "daily")
            archive.record_capture(article, Capture(f"https://news.example/{i}", "2024-05-03T10:00:00Z", 200,
                                                    {"Content-Type": "text/html"}, f"<p>{i}</p>".encode() * 200),
                                   Extraction(text=f"Council budget story {i}. " * 40, title=f"Story {i}"))
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode = delete")  # everything in the main file, where the bytes are flipped
    conn.close()
    return path.read_bytes()


def damaged_offset(data: bytes, where: str) -> int:
    """Offset of the middle of ``where``'s CREATE statement in the file, or of the type byte of the
    captures table's root page for ``page``."""
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    if where == "page":
        root, size = conn.execute("select rootpage, (select page_size from pragma_page_size()) from sqlite_master"
                                  " where name = 'captures'").fetchone()
        return (root - 1) * size
    sql = conn.execute("select sql from sqlite_master where name = ?", [where]).fetchone()[0]
    return data.index(sql.encode()) + len(sql) // 2


# where one byte is flipped: the CREATE of a table, of the full-text index (read only when searching),
# of a view and of a trigger, and a b-tree page of the captures
DAMAGE = ["articles", "versions_fts", "captures_full", "versions_ai", "page"]
COMMANDS = [["stats"], ["search", "council"], ["history", "https://news.example/3"], ["diff", "https://news.example/3"],
            ["export", "jsonl", "-"], ["export", "warc"], ["reextract"]]


@pytest.mark.parametrize("where", DAMAGE)
def test_a_flipped_byte_is_one_error_line_from_every_command(tmp_path: Path, archive_bytes: bytes, where: str) -> None:
    data = bytearray(archive_bytes)
    offset = damaged_offset(archive_bytes, where)
    data[offset] ^= 0x01
    path = tmp_path / "damaged.db"
    runner = CliRunner()
    failed = []
    for command in COMMANDS:
        path.write_bytes(bytes(data))
        if command == ["export", "warc"]:
            command = [*command, str(tmp_path / "out.warc.gz")]
        result = runner.invoke(main, [*command, "--db", str(path)])
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        if result.exit_code == 0:  # the damage is where this command does not read
            assert not errors, (command, result.stderr)
            continue
        failed.append(command[0])
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
        assert result.exit_code == 1 and result.stderr.splitlines() == errors and len(errors) == 1, (command, result.stderr)
        assert str(path) in errors[0] and ("corrupt" in errors[0] or "damaged" in errors[0]), errors[0]
    assert failed  # the damage was found