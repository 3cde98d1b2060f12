"""`newsarchive ingest`: the single archive writer of a distributed crawl."""

from __future__ import annotations

import logging

import click

from archive import Archive, ArchiveError
from archive.lock import crawl_lock
from scraper.cli import EXIT_FATAL, Seconds, db_option, fail


@click.command("ingest")
@db_option
@click.option("--redis", "redis_url", required=True, envvar="NEWSARCHIVE_REDIS", metavar="URL",
              help="Redis URL, e.g. redis://HOST:6379/0. Env: NEWSARCHIVE_REDIS.")
@click.option("--until-idle", type=Seconds(0, 30 * 86400), metavar="SECONDS",
              help="Exit once no result has come for this long (for cron). Default: run until SIGTERM.")
@click.option("--batch", type=click.IntRange(min=1), default=200, show_default=True,
              help="Results stored per write transaction.")
@click.option("-v", "--verbose", is_flag=True, help="Log each batch (INFO) to stderr.")
def command(db: str, redis_url: str, until_idle: float | None, batch: int, verbose: bool) -> None:
    """Store the results workers push to Redis in the archive (the only process writing it).

    Reads the results stream in a consumer group and acknowledges a batch only after it is committed:
    kill it at any point and restart it, nothing is lost or stored twice. SIGTERM finishes the batch in hand.
    Holds the archive's crawl lock: a single-machine `crawl` of the same archive waits for another time.

    \b
    Example:
        newsarchive ingest --redis redis://10.0.0.5:6379/0 --db archive.db
    """
    from scraper.distributed.connection import RedisUnavailable, connect
    from scraper.distributed.ingest import Writer, install_signal_handlers

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    try:
        server = connect(redis_url)
        # The writer is this archive's crawl: a single-machine `crawl` on it meanwhile would fetch twice.
        with crawl_lock(db), Archive(db) as archive:
            writer = Writer(server, archive, batch=batch)
            install_signal_handlers(writer)
            stats = writer.run(until_idle=until_idle)
    except RedisUnavailable as exc:
        fail(str(exc), EXIT_FATAL)
    except ArchiveError as exc:
        fail(str(exc), EXIT_FATAL)
    click.echo(stats.line())
