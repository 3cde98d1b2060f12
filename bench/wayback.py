"""pywb's ``wayback`` replay server on 127.0.0.1, over a temporary collections directory (tests and benches).

Collections are made with pywb's own ``wb-manager`` (``init``, ``add``, ``add --unpack-wacz``), exactly as
docs/archivist.md tells an archivist to; the server picks new collections up without a restart.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def timestamp(iso: str) -> str:
    """``2024-05-03T10:00:00Z`` as a replay URL's timestamp: ``20240503100000``."""
    return iso.replace("-", "").replace(":", "").replace("T", "").rstrip("Z")


class Wayback:
    def __init__(self, root: Path) -> None:
        self.root = root
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Wayback:
        (self.root / "collections").mkdir(parents=True, exist_ok=True)
        log = open(self.root / "wayback.log", "wb")
        self.process = subprocess.Popen([str(BIN / "wayback"), "-b", "127.0.0.1", "-p", str(self.port)],
                                        cwd=self.root, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).read()
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"wayback did not start: {(self.root / 'wayback.log').read_text()[-2000:]}")
                time.sleep(0.2)

    def add(self, collection: str, path: Path, *, wacz: bool = False) -> None:
        """``wb-manager init COLLECTION`` then ``wb-manager add COLLECTION PATH [--unpack-wacz]``."""
        for args in (["init", collection], ["add", collection, str(path), *(["--unpack-wacz"] if wacz else [])]):
            done = subprocess.run([str(BIN / "wb-manager"), *args], cwd=self.root, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr

    def get(self, collection: str, when: str, url: str, mode: str = "id_") -> tuple[int, bytes]:
        """``(status, body)`` of the replay of ``url`` at ``when`` (ISO), following pywb's redirects."""
        try:
            with urllib.request.urlopen(f"{self.base}/{collection}/{timestamp(when)}{mode}/{url}", timeout=30) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
