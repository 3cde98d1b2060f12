"""`newsarchive import`: the records of WARC files become captures, and versions where a page is an article."""

from __future__ import annotations

from pathlib import Path

import click

from archive import Archive, ArchiveError
from archive.warc_import import DEFAULT_SOURCE, import_warcs
from archive.warc_scan import DEFAULT_CAP
from scraper.cli import EXIT_FATAL, EXIT_USAGE, db_option, fail
from scraper.settings import NEWSARCHIVE_EXTRACT_MEMORY_MB, NEWSARCHIVE_EXTRACT_TIMEOUT
from scraper.sources import Source, SourcesError, load_sources


@click.command("import", short_help="Import WARC files: captures, and versions of the pages that are articles.")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--source", metavar="NAME",
              help=f"File new articles under this source of the sources file, so crawls recheck them (default: the"
                   f" source in newsarchive's metadata records, else '{DEFAULT_SOURCE}', never rechecked).")
@click.option("--sources", type=click.Path(dir_okay=False), default="sources.toml", show_default=True,
              help="The sources file: which sources crawls recheck (and their revisit ladders).")
@click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_CAP, show_default=True,
              help="Skip a record (or a decoded body) larger than this many bytes, as `too-large`.")
@click.option("--extract-timeout", type=click.FloatRange(min=0.1), default=NEWSARCHIVE_EXTRACT_TIMEOUT, show_default=True,
              help="Seconds one page may take to extract (the crawl's bound); then it is `extract-timeout`.")
def command(files: tuple[str, ...], db: str, source: str | None, sources: str, max_size: int, extract_timeout: float) -> None:
    """Import WARC files (ours, `wget --warc-file`, Browsertrix, Common Crawl) record by record, as captures at
    their WARC-Date. A page that extracts as an article becomes a version of its article; every other response
    (a home page, an image, a redirect, an error) is kept as a capture without an article. Records newsarchive
    exported come back as they were stored. A bad record is skipped with a counted reason; where a file breaks
    (a cut gzip member, a Content-Length that lies, bytes that are no WARC) one line names the file and the
    byte, reading resumes at the next record, and the exit status is 1.

    \b
    Example:
        newsarchive import crawl-2024-05.warc.gz --source daily --db archive.db
    """
    from scraper.extraction.worker import ExtractionPool  # trafilatura: slow to import, only needed here

    configured = _configured(Path(sources), explicit=sources != "sources.toml")
    if source is not None and source not in {s.name for s in configured}:
        fail(f"--source {source!r} is not a source in {sources}; add it there so crawls recheck its articles,"
             f" or leave --source out (new articles are then filed under '{DEFAULT_SOURCE}', never rechecked)", EXIT_USAGE)
    pool = ExtractionPool(1, timeout=extract_timeout, memory_mb=NEWSARCHIVE_EXTRACT_MEMORY_MB, max_tasks=200)
    try:
        with Archive(db) as archive:
            archive.scheduled_sources = {s.name for s in configured}
            archive.ladders.update({s.name: s.revisit for s in configured})
            report = import_warcs(archive, files, pool.extract, source=source, cap=max_size)
    except ArchiveError as exc:
        fail(str(exc), EXIT_FATAL)
    finally:
        pool.close()
    click.echo(report.line())
    for problem in report.broken:
        click.echo(f"Error: {problem}", err=True)
    if report.broken:
        raise SystemExit(EXIT_FATAL)


def _configured(path: Path, *, explicit: bool) -> list[Source]:
    """The sources of the sources file (none when the default file does not exist)."""
    if not explicit and not path.exists():
        return []
    try:
        return load_sources(path)
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
