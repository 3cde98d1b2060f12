"""Export a WACZ (Web Archive Collection Zipped) with py-wacz: the WARC export, a CDXJ index, one page per
article in ``pages/pages.jsonl`` (URL, time, title and the latest exported version's text, for full-text
search in ReplayWeb.page), and ``datapackage.json`` with every file's digest. Written in a temporary
directory beside ``out``, validated with ``wacz validate``, then renamed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wacz.main import main as wacz_main

from .errors import ArchiveError
from .store import Archive
from .warc_export import DEFAULT_MAX_SIZE, WarcExportReport, export_warc

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}


class WaczInvalid(ArchiveError):
    """py-wacz could not write the WACZ, or ``wacz validate`` refused it."""


@dataclass
class WaczReport:
    """What a WACZ export wrote."""

    path: Path
    warc: WarcExportReport
    pages: int

    def line(self) -> str:
        """One-line summary for the CLI."""
        warc = self.warc
        return (f"{self.path}: {self.pages} pages; {len(warc.files)} WARC file(s): {warc.responses} responses,"
                f" {warc.revisits} revisits ({warc.not_modified} not modified), {warc.metadata} metadata; valid")


def export_wacz(
    archive: Archive,
    out: str | Path,
    *,
    sources: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    version: str = "",
) -> WaczReport:
    """Write the captures :func:`archive.warc_export.export_warc` selects as a validated WACZ at ``out``."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=out.parent) as work:
        folder = Path(work)
        warc = export_warc(archive, folder / "data.warc.gz", sources=sources, since=since, until=until,
                           max_size=max_size, version=version)
        pages = folder / "pages.jsonl"
        count = _write_pages(archive, warc, pages)
        partial = folder / out.name
        title = "newsarchive" + (f": {', '.join(sources)}" if sources else "")
        _wacz("create", *map(str, warc.files), "-o", str(partial), "-p", str(pages), "--copy-pages",
              "--title", title, "--desc", f"newsarchive {version} export".strip())
        _wacz("validate", "-f", str(partial))
        os.replace(partial, out)
    return WaczReport(out, warc, count)


def _write_pages(archive: Archive, warc: WarcExportReport, path: Path) -> int:
    """pages.jsonl: the header, then one page per exported article at its latest exported version."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(PAGES_HEADER) + "\n")
        for article_id, (url, fetched_at, version_id) in sorted(warc.latest.items()):
            version = archive.db.execute("select title, text from versions where id = ?", [version_id]).fetchone()
            page = {"id": f"article-{article_id}", "url": url, "ts": fetched_at, "title": version[0] or url,
                    "text": version[1]}
            handle.write(json.dumps(page, ensure_ascii=False) + "\n")
    return len(warc.latest)


def _wacz(*args: str) -> None:
    """Run a py-wacz command in this process; raise :class:`WaczInvalid` with its last words on failure."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            code = wacz_main(list(args))
    except Exception as exc:  # py-wacz raises what its parts raise (ValueError, zipfile, frictionless)
        raise WaczInvalid(f"wacz {args[0]} failed: {type(exc).__name__}: {exc}") from exc
    if code != 0:
        lines = [line for line in printed.getvalue().splitlines() if line.strip()]
        raise WaczInvalid(f"wacz {args[0]} failed: {lines[-1] if lines else f'exit status {code}'}")
