"""`newsarchive changes` (table, JSON, CSV, Atom) and the query behind it, on the web view's archive."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from click.testing import CliRunner

from archive import Archive
from archive.changes import recent_edits
from scraper.cli import main

from .webarchive import BUDGET, BUDGET_AMP, FESTIVAL, MINISTER, T


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_changes_json_lists_edits_newest_first_with_what_changed(web_archive: Path) -> None:
    code, out, _ = run("changes", "--db", str(web_archive))  # JSON off a terminal
    assert code == 0
    rows = json.loads(out)
    assert [(r["url"], r["previous_version"], r["version"], r["first_seen_at"]) for r in rows] == [
        (BUDGET, 2, 3, T[8]), (MINISTER, 2, 3, T[7]), (FESTIVAL, 1, 2, T[5]), (MINISTER, 1, 2, T[4]),
        (BUDGET, 1, 2, T[3])]
    budget_v2 = rows[4]
    assert budget_v2["title"] == "Council passes amended budget" and budget_v2["previous_title"] == "Council passes budget"
    assert budget_v2["changed_fields"] == ["title", "modified_at"]
    assert (budget_v2["words_added"], budget_v2["words_removed"]) == (11, 7)
    assert budget_v2["summary"] == "title changed; declared update changed; +11 −7 words"
    assert rows[1]["reverts_to"] == 1 and rows[1]["summary"] == "+1 −1 words; reverts to v1"
    assert rows[1]["changes"] == [{"field": "text", "op": "replace", "old": "Thursday", "new": "Friday"}]


def test_changes_match_diff_json(web_archive: Path) -> None:
    _, out, _ = run("changes", "--db", str(web_archive), "--url", BUDGET, "--json")
    edit = json.loads(out)[1]
    _, diff, _ = run("diff", BUDGET, "1", "2", "--db", str(web_archive), "--json")
    assert edit["changes"] == json.loads(diff)


def test_changes_filters(web_archive: Path) -> None:
    def listed(*args: str) -> list[tuple[str, int]]:
        code, out, err = run("changes", "--db", str(web_archive), "--nl", *args)
        assert code == 0, err
        return [(row["url"], row["version"]) for row in map(json.loads, out.splitlines())]

    assert listed("--source", "wire") == [(MINISTER, 3), (MINISTER, 2)]
    assert listed("--since", "2024-05-03") == [(BUDGET, 3), (MINISTER, 3), (FESTIVAL, 2)]
    assert listed("--until", "2024-05-02T08:00:00Z") == [(BUDGET, 2)]
    assert listed("--url", BUDGET_AMP) == [(BUDGET, 3), (BUDGET, 2)]
    assert listed("--limit", "1") == [(BUDGET, 3)]


def test_changes_table_and_csv(web_archive: Path) -> None:
    code, out, _ = run("changes", "--db", str(web_archive), "--table", "--source", "wire")
    assert code == 0
    assert "v2 → v3" in out and "+1 −1 words; reverts to v1" in out and "2 edit(s), newest first" in out
    code, out, _ = run("changes", "--db", str(web_archive), "--csv", "--limit", "1")
    assert out.splitlines()[0] == ("first_seen_at,source,url,previous_version,version,title,previous_title,"
                                   "words_added,words_removed,reverts_to,summary,id")
    assert out.splitlines()[1].startswith(f"{T[8]},daily,{BUDGET},2,3,Council passes amended budget,")


def test_changes_atom_is_the_web_feed(web_archive: Path) -> None:
    code, out, _ = run("changes", "--db", str(web_archive), "--format", "atom")
    assert code == 0
    feed = feedparser.parse(out.encode())
    assert feed.bozo == 0 and feed.feed.title == "Changes across the archive"
    with Archive(web_archive, readonly=True) as archive:
        assert [e.id for e in feed.entries] == [edit.entry_id for edit in recent_edits(archive.db)]
    assert feed.entries[0].link == BUDGET  # no web view to link to: the article itself
    assert "<ins>Correction:" in feed.entries[0].content[0].value
    code, atom_flag, _ = run("changes", "--db", str(web_archive), "--atom")
    assert atom_flag == out
    _, per_article, _ = run("changes", "--db", str(web_archive), "--atom", "--url", BUDGET_AMP)
    assert feedparser.parse(per_article.encode()).feed.title == f"Changes to {BUDGET}"


def test_changes_errors_are_one_line(web_archive: Path) -> None:
    code, _, err = run("changes", "--db", str(web_archive), "--since", "last week")
    assert code == 2 and err.startswith("Error: 'last week' is not an ISO 8601 date or time")
    code, _, err = run("changes", "--db", str(web_archive), "--url", "http://news.test/nope")
    assert code == 2 and err.startswith("Error: no article with URL 'http://news.test/nope'")


def test_edit_ids_are_stable_and_name_the_content(web_archive: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(web_archive.read_bytes())
    with Archive(web_archive, readonly=True) as one, Archive(copy, readonly=True) as two:
        first, second = recent_edits(one.db), recent_edits(two.db)
    assert [e.entry_id for e in first] == [e.entry_id for e in second]
    assert len({e.entry_id for e in first}) == len(first)


def test_recent_edits_walk_the_edits_index(web_archive: Path) -> None:
    with Archive(web_archive, readonly=True) as archive:
        plan = archive.db.execute(
            "explain query plan select v.id from versions v where v.version > 1 order by v.first_seen_at desc, v.id desc"
        ).fetchall()
    assert any("versions_edits" in row[-1] for row in plan)


def test_changes_starts_without_the_crawler_or_datasette(web_archive: Path) -> None:
    import subprocess
    import sys

    from .conftest import REPO

    code = ("import sys; from click.testing import CliRunner; from scraper.cli import main; "
            f"CliRunner().invoke(main, ['changes', '--db', {str(web_archive)!r}, '--atom']); "
            "print(sorted({'scrapy', 'trafilatura', 'datasette'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert out.strip() == "[]"
