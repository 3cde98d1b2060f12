"""archive.warc_framing: where each record of a WARC starts and ends, and where a file breaks (table-driven)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from archive.warc_framing import Break, Framed, frames, read_frame


def record(body: bytes, content_length: int | None = None) -> bytes:
    length = len(body) if content_length is None else content_length
    return (b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://x.test/\r\n"
            b"Content-Length: %d\r\n\r\n%s\r\n\r\n" % (length, body))


ONE, TWO = record(b"first"), record(b"second record")


def shape(items: list[Framed | Break]) -> list[tuple]:
    return [("record", i.offset, i.damage is not None, i.too_large) if isinstance(i, Framed)
            else ("break", i.offset, i.resumed_at) for i in items]


@pytest.mark.parametrize("name, data, expected", [
    ("empty file", b"", []),
    ("two plain records", ONE + TWO, [("record", 0, False, False), ("record", len(ONE), False, False)]),
    ("blank lines between and after", ONE + b"\r\n\n" + TWO + b"\r\n", [("record", 0, False, False),
                                                                        ("record", len(ONE) + 3, False, False)]),
    ("no final CRLFs at the end", ONE + TWO[:-4], [("record", 0, False, False), ("record", len(ONE), False, False)]),
    ("the file ends inside a record", ONE + TWO[:-10], [("record", 0, False, False), ("record", len(ONE), True, False)]),
    ("a Content-Length too short", record(b"first", 2) + TWO, [("record", 0, True, False),
                                                               ("record", len(ONE), False, False)]),
    ("junk, then a record", b"GET / HTTP/1.1\r\n\r\n" + TWO, [("break", 0, 18), ("record", 18, False, False)]),
    ("junk only", b"<html></html>", [("break", 0, None)]),
    ("a record over the cap", record(b"x" * 5000) + TWO, [("record", 0, False, True),
                                                          ("record", len(record(b"x" * 5000)), False, False)]),
])
def test_plain_files(tmp_path: Path, name: str, data: bytes, expected: list[tuple]) -> None:
    path = tmp_path / "f.warc"
    path.write_bytes(data)
    assert shape(list(frames(path, cap=4096))) == expected, name


@pytest.mark.parametrize("name, members, expected", [
    ("two members", [ONE, TWO], [("record", 0, False, False), ("record", "m1", False, False)]),
    ("the last member cut", [ONE, TWO, b"cut"], [("record", 0, False, False), ("record", "m1", False, False),
                                                 ("record", "m2", True, False)]),
    ("a member whose record is longer than its Content-Length", [ONE, record(b"second", 3)],
     [("record", 0, False, False), ("record", "m1", True, False)]),
    ("junk between members", [ONE, b"JUNK", TWO], [("record", 0, False, False), ("break", "m1", "m2"),
                                                   ("record", "m2", False, False)]),
])
def test_gzip_files(tmp_path: Path, name: str, members: list[bytes], expected: list[tuple]) -> None:
    parts = [m if m == b"JUNK" else gzip.compress(m) for m in members]
    if members[-1] == b"cut":
        parts[-1] = gzip.compress(TWO)[:20]
    offsets = {f"m{i}": sum(len(p) for p in parts[:i]) for i in range(len(parts))}
    path = tmp_path / "f.warc.gz"
    path.write_bytes(b"".join(parts))
    resolved = [tuple(offsets.get(v, v) if isinstance(v, str) else v for v in row) for row in expected]
    assert shape(list(frames(path, cap=4096))) == resolved, name


def test_read_frame_gives_the_same_bytes_as_the_scan(tmp_path: Path) -> None:
    for name, data in (("f.warc", ONE + TWO), ("f.warc.gz", gzip.compress(ONE) + gzip.compress(TWO))):
        path = tmp_path / name
        path.write_bytes(data)
        for frame in frames(path, cap=4096):
            assert isinstance(frame, Framed) and read_frame(path, frame.offset, 4096) == frame
