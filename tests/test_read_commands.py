"""search, history, diff and stats through CliRunner on an archive built with the Archive API."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from scraper.cli import main

from .archivist import T1, T2, T3, URL_A, URL_B, archive_file  # noqa: F401 (fixture)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_search_json_is_the_default_off_a_terminal_best_match_first(archive_file: Path) -> None:
    code, out, _ = run("search", "amended OR harbour", "--db", str(archive_file))
    assert code == 0
    rows = json.loads(out)
    assert [(r["url"], r["version"], r["source"]) for r in rows] == [
        (URL_A, 2, "daily"), (URL_B, 1, "wire"), (URL_A, 1, "daily")]
    assert rows[0]["title"] == "Council passes amended budget"
    assert rows[0]["first_seen_at"] == rows[0]["last_seen_at"] == T3
    assert "**harbour**" in rows[1]["snippet"]


def test_search_filters_by_source_time_window_and_limit(archive_file: Path) -> None:
    def urls(*extra: str) -> list[tuple[str, int]]:
        code, out, _ = run("search", "budget", "--db", str(archive_file), "--nl", *extra)
        assert code == 0
        return [(row["url"], row["version"]) for row in map(json.loads, out.splitlines())]

    assert urls("--source", "wire") == [(URL_B, 1)]
    assert sorted(urls("--since", "2024-05-04")) == [(URL_A, 2)]
    assert sorted(urls("--until", "2024-05-04")) == [(URL_A, 1), (URL_B, 1)]
    assert len(urls("--limit", "1")) == 1


def test_search_csv_and_table(archive_file: Path) -> None:
    code, out, _ = run("search", "amended", "--db", str(archive_file), "--csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "url,source,title,version,first_seen_at,last_seen_at,published_at,snippet"
    assert lines[1].startswith(f"{URL_A},daily,Council passes amended budget,2,{T3},{T3},2024-05-02T08:00:00Z,")
    assert len(lines) == 2
    code, out, _ = run("search", "amended", "--db", str(archive_file), "--table")
    assert code == 0
    assert "┃ url" in out and "1 result(s) for 'amended'" in out and "**" not in out


def test_search_bad_query_and_bad_time_are_usage_errors(archive_file: Path) -> None:
    code, _, err = run("search", 'budget "unclosed', "--db", str(archive_file))
    assert code == 2 and err.startswith("Error: 'budget \"unclosed' is not a valid search query")
    code, _, err = run("search", "budget", "--since", "last tuesday", "--db", str(archive_file))
    assert code == 2
    assert err == "Error: 'last tuesday' is not an ISO 8601 date or time (e.g. 2024-05-03 or 2024-05-03T10:00:00Z)\n"


def test_history_lists_versions_with_changes(archive_file: Path) -> None:
    code, out, _ = run("history", URL_A, "--db", str(archive_file), "--json")
    assert code == 0
    assert json.loads(out) == [
        {"version": 1, "first_seen_at": T1, "last_seen_at": T2, "modified_at": None,
         "title": "Council passes budget", "author": "Jane Reporter", "words": 120, "words_added": 120,
         "words_removed": 0, "title_changed": False, "author_changed": False, "reverts_to": None},
        {"version": 2, "first_seen_at": T3, "last_seen_at": T3, "modified_at": "2024-05-04T09:00:00Z",
         "title": "Council passes amended budget", "author": "Jane Q Reporter", "words": 124, "words_added": 5,
         "words_removed": 1, "title_changed": True, "author_changed": True, "reverts_to": None},
    ]


def test_history_accepts_non_canonical_and_alias_urls(archive_file: Path) -> None:
    code, out, _ = run("history", "HTTP://News.Test/politics/budget?utm_source=x#top", "--db", str(archive_file), "--nl")
    assert code == 0 and [json.loads(line)["version"] for line in out.splitlines()] == [1, 2]
    conn = sqlite3.connect(archive_file)
    conn.execute("insert into article_urls values ('http://news.test/amp/budget', 1, 'amp', ?)", [T1])
    conn.commit()
    conn.close()
    code, out, _ = run("history", "http://news.test/amp/budget", "--db", str(archive_file), "--csv")
    assert code == 0
    assert out.splitlines()[0] == ("version,first_seen_at,last_seen_at,modified_at,title,author,words,words_added,"
                                   "words_removed,title_changed,author_changed,reverts_to")
    assert out.splitlines()[1] == f"1,{T1},{T2},,Council passes budget,Jane Reporter,120,120,0,0,0,"


def test_history_shows_reverts_to(archive_file: Path) -> None:
    conn = sqlite3.connect(archive_file)
    conn.execute("update versions set reverts_to = 1 where article_id = 1 and version = 2")
    conn.commit()
    conn.close()
    code, out, _ = run("history", URL_A, "--db", str(archive_file), "--json")
    assert code == 0 and [row["reverts_to"] for row in json.loads(out)] == [None, 1]


def test_history_of_unknown_url_is_a_usage_error(archive_file: Path) -> None:
    code, out, err = run("history", "http://news.test/nope", "--db", str(archive_file))
    assert (code, out) == (2, "")
    assert err == ("Error: no article with URL 'http://news.test/nope' in this archive; "
                   "check the URL with `newsarchive search`\n")


def test_diff_plain_unified_off_a_terminal(archive_file: Path) -> None:
    code, out, _ = run("diff", URL_A, "--db", str(archive_file))
    assert code == 0
    lines = out.splitlines()
    assert lines[:9] == [
        f"--- {URL_A} v1 ({T1})",
        f"+++ {URL_A} v2 ({T3})",
        "@@ -1,8 +1,8 @@",
        "-title: Council passes budget",
        "-author: Jane Reporter",
        "+title: Council passes amended budget",
        "+author: Jane Q Reporter",
        " published_at: 2024-05-02T08:00:00Z",
        "-modified_at: ",
    ]
    assert lines[9] == "+modified_at: 2024-05-04T09:00:00Z"
    assert sum(1 for line in lines if line.startswith("+") and line.endswith("festival after the budget vote.")) == 1


def test_diff_json_lists_field_and_word_changes(archive_file: Path) -> None:
    code, out, _ = run("diff", URL_A, "1", "2", "--db", str(archive_file), "--json")
    assert code == 0
    assert json.loads(out) == [
        {"field": "title", "op": "replace", "old": "Council passes budget", "new": "Council passes amended budget"},
        {"field": "author", "op": "replace", "old": "Jane Reporter", "new": "Jane Q Reporter"},
        {"field": "modified_at", "op": "insert", "old": None, "new": "2024-05-04T09:00:00Z"},
        {"field": "text", "op": "replace", "old": "festival.", "new": "festival after the budget vote."},
    ]
    code, out, _ = run("diff", URL_A, "2", "--db", str(archive_file), "--csv")
    assert (code, out) == (0, "field,op,old,new\n")


def test_diff_table_is_an_inline_word_diff(archive_file: Path) -> None:
    code, out, _ = run("diff", URL_A, "--db", str(archive_file), "--table")
    assert code == 0
    assert out.splitlines()[2] == "title: Council passes budget → Council passes amended budget"
    assert "festival. festival after the budget vote." in " ".join(out.split())


def test_diff_of_missing_version_is_a_usage_error(archive_file: Path) -> None:
    code, _, err = run("diff", URL_A, "1", "7", "--db", str(archive_file))
    assert code == 2 and err == "Error: article 1 has no version 7 (versions 1–2)\n"


def test_stats_per_source_and_total(archive_file: Path) -> None:
    code, out, _ = run("stats", "--db", str(archive_file), "--json")
    assert code == 0
    rows = json.loads(out)
    size = archive_file.stat().st_size + Path(f"{archive_file}-wal").stat().st_size
    assert rows == [
        {"source": "daily", "articles": 2, "versions": 2, "captures": 3, "failed": 0, "failures": {},
         "last_crawl": T3, "next_due": "2024-05-04T09:45:00Z", "db_bytes": None},
        {"source": "wire", "articles": 1, "versions": 1, "captures": 2, "failed": 1, "failures": {"http-404": 1},
         "last_crawl": T3, "next_due": "2024-05-04T10:30:00Z", "db_bytes": None},
        {"source": None, "articles": 3, "versions": 3, "captures": 5, "failed": 1, "failures": {"http-404": 1},
         "last_crawl": T3, "next_due": "2024-05-04T09:45:00Z", "db_bytes": size},
    ]


def test_stats_table_and_csv(archive_file: Path) -> None:
    code, out, _ = run("stats", "--db", str(archive_file), "--table")
    assert code == 0
    assert [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")] == ["daily", "wire", "(all)"]
    assert "http-404: 1" in out
    code, out, _ = run("stats", "--db", str(archive_file), "--csv")
    assert out.splitlines()[:3] == [
        "source,articles,versions,captures,failed,failures,last_crawl,next_due,db_bytes",
        f"daily,2,2,3,0,{{}},{T3},2024-05-04T09:45:00Z,",
        f'wire,1,1,2,1,"{{""http-404"": 1}}",{T3},2024-05-04T10:30:00Z,',
    ]


def test_read_commands_on_a_missing_archive_fail_cleanly(tmp_path: Path) -> None:
    code, _, err = run("stats", "--db", str(tmp_path / "none.db"))
    assert code == 1
    assert err == f"Error: {tmp_path / 'none.db'}: no such archive; run `newsarchive crawl --db {tmp_path / 'none.db'}` first\n"


def test_stats_counts_feed_polls_as_crawls_and_lists_feed_only_sources(archive_file: Path, monkeypatch) -> None:
    from archive import Archive

    monkeypatch.setenv("NEWSARCHIVE_NOW", "2024-05-05T06:00:00Z")
    with Archive(archive_file) as archive:
        archive.record_feed_poll("http://news.test/rss", "daily", status=304)
        archive.record_feed_poll("http://quiet.test/rss", "quiet", status=200)
    code, out, _ = run("stats", "--db", str(archive_file), "--nl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["source"], r["articles"], r["last_crawl"]) for r in rows] == [
        ("daily", 2, "2024-05-05T06:00:00Z"), ("quiet", 0, "2024-05-05T06:00:00Z"), ("wire", 1, T3),
        (None, 3, "2024-05-05T06:00:00Z")]


def test_archive_library_modules_import_neither_scrapy_nor_the_extractor() -> None:
    import subprocess
    import sys

    modules = ["archive", "archive.queries", "archive.worddiff", "archive.export_json", "archive.warc_export",
               "archive.warc_import", "archive.reextract", "archive.datasette_meta", "archive.atomicio"]
    code = (f"import sys\nfor m in {modules!r}: __import__(m)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted', 'trafilatura', 'datasette'))\n"
            "print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr


def test_search_ranks_within_the_newest_matches_when_a_word_is_everywhere(archive_file: Path, monkeypatch) -> None:
    from archive import Archive, queries

    with Archive(archive_file) as archive:
        everywhere = [row["id"] for row in archive.db.query("select rowid as id from versions_fts where versions_fts match 'city'")]
        assert len(everywhere) == 3
        monkeypatch.setattr(queries, "RANK_WINDOW", 2)
        found = queries.search(archive.db, "city")
        unbounded = queries.search(archive.db, "city", sources=["daily", "wire"])
    newest_two = sorted(everywhere)[-2:]
    assert sorted(row["version"] for row in found) == sorted(
        row["version"] for row in archive_rows(archive_file, newest_two))
    assert len(found) == 2 and len(unbounded) == 3  # a filter ranks every match


def archive_rows(path: Path, ids: list[int]) -> list[dict]:
    from archive import Archive

    with Archive(path) as archive:
        return list(archive.db.query(f"select version from versions where id in ({', '.join('?' * len(ids))})", ids))
