"""Exports appear only when complete and valid: a kill mid-export leaves no final file and an intact archive."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from .archivist import build_archive
from .conftest import REPO
from .crashkit import HEALTHY, health


def export(db: Path, *args: str, crash_at: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if crash_at:
        env["NEWSARCHIVE_CRASH_AT"] = crash_at
    return subprocess.Popen([sys.executable, "-m", "scraper", "export", *args, "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)


def warc_records(path: Path) -> list[str]:
    with open(path, "rb") as handle:
        return [record.rec_type for record in ArchiveIterator(handle, check_digests=True)]


@pytest.mark.parametrize("kind,name,partial", [("jsonl", "out.jsonl", "out.jsonl.partial"),
                                               ("warc", "out.warc.gz", "out.warc.gz.open")])
def test_kill_before_rename_leaves_no_final_file_and_keeps_the_previous_export(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, name: str, partial: str) -> None:
    db = build_archive(tmp_path / "archive.db", monkeypatch)
    out = tmp_path / name
    assert export(db, kind, str(out)).wait(timeout=120) == 0
    previous = out.read_bytes()
    proc = export(db, kind, str(out), crash_at="export-rename")
    proc.communicate(timeout=120)
    assert proc.returncode == -9  # killed after writing everything, before the rename
    assert out.read_bytes() == previous  # the complete earlier export is untouched
    assert (tmp_path / partial).exists()  # what a killed run leaves: the partial name, never the final one
    assert health(db) == HEALTHY
    out.unlink()
    assert export(db, kind, str(out)).wait(timeout=120) == 0  # the next run completes
    if kind == "warc":
        assert warc_records(out).count("response") == 4
    else:
        assert len(out.read_text().splitlines()) == 3


def test_random_kills_mid_export_never_leave_a_broken_final_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_archive(tmp_path / "archive.db", monkeypatch)
    rng = random.Random(7)
    for attempt in range(4):
        out = tmp_path / f"run{attempt}.warc.gz"
        proc = export(db, "warc", str(out))
        time.sleep(rng.uniform(0.2, 2.5))  # start-up and export take ~1–3 s here
        proc.kill()
        proc.communicate(timeout=60)
        if out.exists():  # finished before the kill: then it must be complete and valid
            assert warc_records(out).count("response") == 4
        assert health(db) == HEALTHY
