"""`newsarchive serve` in a subprocess on a free port, for the tests that need a real HTTP server."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from .conftest import REPO

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> object:
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=10) as response:
        return json.load(response)


@contextlib.contextmanager
def serving(db: Path, *args: str) -> Iterator[tuple[int, subprocess.Popen]]:
    """`newsarchive serve` in a subprocess on a free port; waits (bounded) until it answers, stops it after."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "serve", "--db", str(db), "--port", str(port), *args],
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
