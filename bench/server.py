"""Serve the benchmark site (a directory) on 127.0.0.1 with aiohttp, in its own process.

aiohttp's static handler sends ``ETag``/``Last-Modified`` and answers conditional requests with 304,
so rechecks can use validators. Run: ``python -m bench.server ROOT PORT``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from aiohttp import web

from .measure import cpu_seconds


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SiteServer:
    """The server subprocess; a context manager that waits until it answers and stops it after."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SiteServer:
        self.process = subprocess.Popen([sys.executable, "-m", "bench.server", str(self.root), str(self.port)])
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=1).read()
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.__exit__()
                    raise RuntimeError(f"bench server on {self.base} did not start") from None
                time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far."""
        assert self.process is not None
        return cpu_seconds(self.process.pid)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _app(root: Path) -> web.Application:
    app = web.Application()
    app.router.add_static("/", root, show_index=False, append_version=False)
    return app


if __name__ == "__main__":
    web.run_app(_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]), print=None,
                access_log=None, handle_signals=True)
