"""A local HTTP server for tests: routes are set (and changed between crawls) by the test."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Body = bytes | Callable[[], bytes]


@dataclass
class Route:
    body: Body = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    length: bool = True  # False: no Content-Length, the body ends when the connection closes


class LocalSite:
    """Serves ``routes`` on 127.0.0.1 and logs every request path; a route with an ``ETag`` header
    answers 304 to a matching ``If-None-Match``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                etag = route.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                body = route.body() if callable(route.body) else route.body
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in route.headers and route.length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: Body, *, status: int = 200, content_type: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None, length: bool = True) -> None:
        """Serve ``body`` at ``path`` (``length=False``: without ``Content-Length``, closing the connection)."""
        self.routes[path] = Route(body, status, {"Content-Type": content_type, **(headers or {})}, length)

    def hits(self, path: str) -> int:
        return sum(1 for requested, _ in self.requests if requested == path)

    def start(self) -> LocalSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
