"""A corpus of real pages with annotations (trafilatura's evaluation set), and a server for it on 127.0.0.1.

The corpus is not part of this repository (its pages belong to their publishers): bring it with
``git clone https://github.com/adbar/trafilatura`` (or any copy of its ``tests/`` folder) and point
``--corpus`` at the folder holding ``evaldata.json``, ``eval/`` and ``cache/``.

Each page is served at ``http://127.0.0.1:PORT/<original host><original path>``, so the path (and any date
in it) is what the site used, and grouped into sources by host, each with an RSS feed that lists only the
links — no titles or dates a crawler could take instead of reading the page.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from archive.urls import canonical_url


@dataclass(frozen=True)
class Page:
    """One annotated page: its original URL, the file's bytes and the annotation."""

    url: str
    html: bytes
    gold: dict[str, Any]

    @property
    def host(self) -> str:
        """The page's host; ``hard`` for the corpus's pages annotated without their URL (``hard::file``)."""
        return urlsplit(self.url).netloc.lower() or self.url.split("::", 1)[0]

    @property
    def source(self) -> str:
        """The source a crawler would file it under: the host without ``www.``."""
        host = self.host
        return host[4:] if host.startswith("www.") else host

    def local_path(self) -> str:
        """The path it is served at: ``/host/path?query`` (percent-encoded like a browser would)."""
        parts = urlsplit(self.url if "://" in self.url else "/" + self.url.split("::", 1)[-1])
        path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        query = "?" + quote(parts.query, safe="=&%:@!$'()*+,;/?-._~") if parts.query else ""
        return f"/{self.host}{path}{query}"


def load(folder: Path) -> list[Page]:
    """Every page of the corpus whose HTML file exists, sorted by URL."""
    gold = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(gold):
        for sub in ("eval", "cache"):
            path = folder / sub / gold[url]["file"]
            if path.is_file():
                pages.append(Page(url, path.read_bytes(), gold[url]))
                break
    return pages


class CorpusServer:
    """Serves pages, one RSS feed per source (``/feeds/<source>.xml``) and an empty robots.txt.

    Pages are found by their exact path or by the archive's canonical form of their URL (the crawler
    canonicalises before it fetches). ``replace`` maps a path to other bytes, for a re-rendered page.
    """

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        self.replace: dict[str, bytes] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._by_path: dict[str, Page] = {}
        for page in pages:
            self._by_path[page.local_path()] = page
            self._by_path[_path_of(canonical_url(self.base + page.local_path()))] = page

    def url_of(self, page: Page) -> str:
        return self.base + page.local_path()

    def sources(self) -> dict[str, list[Page]]:
        grouped: dict[str, list[Page]] = {}
        for page in self.pages:
            grouped.setdefault(page.source, []).append(page)
        return grouped

    def feed_url(self, source: str) -> str:
        return f"{self.base}/feeds/{quote(source)}.xml"

    def sources_toml(self) -> str:
        """A sources.toml with one source per host, no delay (everything is on 127.0.0.1)."""
        blocks = [
            f'[[source]]\nname = {json.dumps(name)}\nfeeds = [{json.dumps(self.feed_url(name))}]\n'
            "delay = 0\nconcurrency = 8\n"
            for name in self.sources()
        ]
        return "\n".join(blocks)

    def _feed(self, source: str) -> bytes | None:
        pages = self.sources().get(source)
        if pages is None:
            return None
        items = "".join(f"<item><link>{escape(self.url_of(p))}</link></item>" for p in pages)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(source)}</title>'
                f"<link>{escape(self.base)}/</link>{items}</channel></rss>").encode()

    def body(self, path: str) -> tuple[bytes, str] | None:
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n", "text/plain"
        if path.startswith("/feeds/") and path.endswith(".xml"):
            from urllib.parse import unquote

            feed = self._feed(unquote(path[len("/feeds/"):-len(".xml")]))
            return (feed, "application/rss+xml") if feed is not None else None
        if path in self.replace:
            return self.replace[path], "text/html"
        page = self._by_path.get(path)
        return (page.html, "text/html") if page is not None else None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                found = server.body(self.path)
                if found is None:
                    self.send_error(404)
                    return
                body, content_type = found
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> CorpusServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
