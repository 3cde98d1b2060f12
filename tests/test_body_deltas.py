"""A later body of an article is stored as a zstd delta against the article's latest whole body."""

from __future__ import annotations

from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import Archive, Capture, DiscoveredLink, Extraction, codec
from archive.warc_export import export_warc

from .pages import article_html, noisy, paragraphs

T = ["2024-05-03T10:00:00Z", "2024-05-04T10:00:00Z", "2024-05-05T10:00:00Z", "2024-05-06T10:00:00Z"]
URL = "https://example.com/news/story"


def _page(paras: list[str], title: str = "Council approves budget") -> bytes:
    return noisy(article_html(title, paras, noise="{noise}"))


def _store(archive: Archive, article_id: int, at: str, body: bytes, text: str) -> None:
    capture = Capture(url=URL, fetched_at=at, status=200, headers={"Content-Type": "text/html"}, body=body)
    archive.record_capture(article_id, capture, Extraction(text=text, title="Council approves budget"))


def _article(archive: Archive) -> int:
    [article_id] = archive.record_feed_poll("https://example.com/rss", "daily", status=200,
                                            links=[DiscoveredLink(URL)]).new_ids
    return article_id


def test_an_edit_and_a_noisy_refetch_are_stored_as_deltas_against_the_first_body(tmp_path: Path) -> None:
    paras = paragraphs(1, 40)
    first, noise_only = _page(paras), _page(paras)
    edited = _page(paras[:10] + ["A corrected paragraph."] + paras[11:] + ["Update: an added paragraph."])
    with Archive(tmp_path / "a.db") as archive:
        article_id = _article(archive)
        _store(archive, article_id, T[0], first, "v1")
        _store(archive, article_id, T[1], noise_only, "v1")  # same text, new bytes (a rotated token)
        _store(archive, article_id, T[2], edited, "v2")
        stored = list(archive.db.query("select id, body_codec, body_base, length(body) as size from captures order by id"))
        assert [(r["body_codec"], r["body_base"]) for r in stored] == [
            ("zstd", None), ("zstd-delta", 1), ("zstd-delta", 1)]
        assert stored[1]["size"] < 200 and stored[2]["size"] < stored[0]["size"] / 10
        assert [archive.capture_body(r["id"]) for r in stored] == [first, noise_only, edited]
        assert archive.db.execute("select count(*) from versions").fetchone()[0] == 2


def test_a_redesigned_page_is_stored_whole_and_becomes_the_next_base(tmp_path: Path) -> None:
    paras = paragraphs(2, 40)
    first = _page(paras)
    redesign = _page(paragraphs(3, 40), title="Budget approved after all-night session")
    after = _page(paragraphs(3, 40) + ["Update: the mayor responds."], title="Budget approved after all-night session")
    with Archive(tmp_path / "a.db") as archive:
        article_id = _article(archive)
        for at, body, text in ((T[0], first, "v1"), (T[1], redesign, "v2"), (T[2], after, "v3")):
            _store(archive, article_id, at, body, text)
        stored = list(archive.db.query("select id, body_codec, body_base from captures order by id"))
        assert [(r["body_codec"], r["body_base"]) for r in stored] == [("zstd", None), ("zstd", None), ("zstd-delta", 2)]
        assert [archive.capture_body(r["id"]) for r in stored] == [first, redesign, after]


def test_the_warc_export_writes_a_delta_stored_body_whole(tmp_path: Path) -> None:
    paras = paragraphs(4, 30)
    bodies = [_page(paras), _page(paras + ["Update: a correction."])]
    with Archive(tmp_path / "a.db") as archive:
        article_id = _article(archive)
        _store(archive, article_id, T[0], bodies[0], "v1")
        _store(archive, article_id, T[1], bodies[1], "v2")
        assert archive.db.execute("select body_codec from captures where id = 2").fetchone()[0] == "zstd-delta"
        export_warc(archive, tmp_path / "out.warc.gz")
    with (tmp_path / "out.warc.gz").open("rb") as handle:
        payloads = [r.content_stream().read() for r in ArchiveIterator(handle) if r.rec_type == "response"]
    assert payloads == bodies


def test_migration_0010_keeps_old_bodies_readable_and_deltas_new_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archive import migrations

    paras = paragraphs(5, 30)
    bodies = [_page(paras), _page(paras + ["Update: a correction."])]
    path = tmp_path / "old.db"
    with monkeypatch.context() as patched:
        before_0010 = [name for name, _ in migrations.MIGRATIONS].index("0010_body_deltas")
        patched.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before_0010])
        with Archive(path) as old:  # a capture as the code before 0010 wrote it
            article_id = _article(old)
            assert "body_base" not in old.db["captures"].columns_dict
            old.db["captures"].insert({"article_id": article_id, "url": URL, "fetched_at": T[0], "status": 200,
                                       "headers": "{}", "body": codec.compress(bodies[0]), "body_codec": "zstd",
                                       "body_hash": codec.body_hash(bodies[0])})
    with Archive(path) as upgraded:
        assert upgraded.db.execute("pragma integrity_check").fetchone()[0] == "ok"
        _store(upgraded, article_id, T[1], bodies[1], "v2")
        rows = list(upgraded.db.query("select id, body_codec, body_base from captures_full order by id"))
        assert [(r["body_codec"], r["body_base"]) for r in rows] == [("zstd", None), ("zstd-delta", 1)]
        assert [upgraded.capture_body(r["id"]) for r in rows] == bodies
