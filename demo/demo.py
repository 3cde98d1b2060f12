"""`make demo`: serve the bundled sample news site on 127.0.0.1, crawl it, edit one article, crawl again.

Everything happens offline, in ./demo-output/ (archive.db, sources.toml), through the real `newsarchive` CLI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rich.console import Console
from rich.table import Table

from archive import Archive

SITE = Path(__file__).parent / "site"
OUT = Path("demo-output")
EDITED = "/news/harbour-bridge-reopens.html"
console = Console()


class SampleSite(SimpleHTTPRequestHandler):
    """Serves demo/site with {BASE} filled in; `edited` switches one article to its corrected text."""

    edited = False

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        path = self.path.split("?", 1)[0]
        file = SITE / path.lstrip("/")
        if not file.is_file():
            self.send_error(404)
            return
        body = file.read_text(encoding="utf-8").replace("{BASE}", f"http://{self.headers['Host']}")
        if path == EDITED and SampleSite.edited:
            body = edit(body)
        data = body.encode()
        self.send_response(200)
        kind = "application/rss+xml" if path.endswith(".xml") else "text/plain" if path.endswith(".txt") else "text/html; charset=utf-8"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def edit(page: str) -> str:
    """The newsroom's correction: a new headline and a corrected figure."""
    return (
        page.replace("Harbour bridge reopens after two years of repairs", "Harbour bridge reopens, three weeks early")
        .replace("all 112 suspension cables", "all 96 suspension cables")
        .replace("<p>The council will publish", "<p>Correction: an earlier version of this article gave the wrong number of cables.</p>\n<p>The council will publish")
    )


def newsarchive(*args: str) -> None:
    command = [sys.executable, "-m", "scraper", *args]
    console.print(f"[dim]$ newsarchive {' '.join(args)}[/]")
    subprocess.run(command, check=True)


def show_articles(db: Path) -> None:
    with Archive(db, readonly=True) as archive:
        rows = archive.db.query(
            "select a.id, v.title, v.author, v.published_at, a.versions from articles a"
            " join versions v on v.article_id = a.id and v.version = a.latest_version order by a.id"
        )
        table = Table("id", "title", "author", "published", "versions", title="Archived articles")
        for row in rows:
            table.add_row(str(row["id"]), row["title"], row["author"], row["published_at"], str(row["versions"]))
    console.print(table)


def show_history(db: Path, url_suffix: str) -> None:
    import difflib

    with Archive(db, readonly=True) as archive:
        versions = list(archive.db.query(
            "select v.* from versions v join articles a on a.id = v.article_id where a.url like ? order by v.version",
            ["%" + url_suffix],
        ))
    table = Table("version", "title", "first seen", "last seen", "content hash", title=f"History of {url_suffix}")
    for v in versions:
        table.add_row(str(v["version"]), v["title"], v["first_seen_at"], v["last_seen_at"], v["content_hash"][:19])
    console.print(table)
    if len(versions) >= 2:
        old, new = versions[-2], versions[-1]
        diff = difflib.unified_diff(
            [old["title"], *old["text"].splitlines()], [new["title"], *new["text"].splitlines()],
            f"version {old['version']}", f"version {new['version']}", lineterm="",
        )
        for line in diff:
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
            console.print(line, style=style, markup=False, highlight=False)


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SampleSite, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources = OUT / "sources.toml"
    sources.write_text(f'[[source]]\nname = "gazette"\nfeeds = ["{base}/rss.xml"]\ndelay = 0\n')
    db = OUT / "archive.db"
    console.rule(f"1. First crawl of the sample site at {base}")
    newsarchive("crawl", "--db", str(db), "--sources", str(sources))
    show_articles(db)
    console.rule("2. The newsroom corrects one article; crawl again with --recheck all")
    SampleSite.edited = True
    newsarchive("crawl", "--db", str(db), "--sources", str(sources), "--recheck", "all")
    show_history(db, EDITED)
    server.shutdown()
    console.rule(f"Done: the archive is {db} — try `sqlite-utils {db} \"select * from versions\" --table`")


if __name__ == "__main__":
    main()
