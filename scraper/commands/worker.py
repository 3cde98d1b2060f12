"""`newsarchive worker`: one crawler machine of a distributed crawl (fetches from Redis, never writes SQLite)."""

from __future__ import annotations

from typing import Any

import click

from scraper.cli import EXIT_FATAL, EXIT_USAGE, Seconds, fail


@click.command("worker")
@click.option("--redis", "redis_url", required=True, envvar="NEWSARCHIVE_REDIS", metavar="URL",
              help="Redis URL, e.g. redis://HOST:6379/0. Env: NEWSARCHIVE_REDIS.")
@click.option("--until-idle", type=Seconds(0, 30 * 86400), metavar="SECONDS",
              help="Exit once the crawl has been empty this long (for cron). Default: run until SIGTERM.")
@click.option("--lease-ttl", type=Seconds(0.5, 3600), default=10.0, show_default=True, metavar="SECONDS",
              help="Heartbeat lifetime: a killed worker's requests are re-done after this long.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details (INFO) to stderr.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also write the INFO log here.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. -s CONCURRENT_REQUESTS=64.")
def command(redis_url: str, until_idle: float | None, lease_ttl: float, verbose: bool, log_file: str | None,
            overrides: tuple[str, ...]) -> None:
    """Run a distributed crawl worker: fetch feeds and pages queued in Redis, push results to the stream.

    Workers share the queue and the seen-set; each host is fetched by one worker at a time. SIGTERM lets the
    requests in flight finish, then exits. The archive is written by `newsarchive ingest` (no --db here).

    \b
    Example:
        newsarchive worker --redis redis://10.0.0.5:6379/0
    """
    from scraper.distributed.connection import NotSeeded, RedisUnavailable
    from scraper.distributed.worker import run_worker
    from scraper.sources import ConfigError

    settings: dict[str, Any] = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    if log_file:
        settings.update(LOG_FILE=log_file, LOG_LEVEL="INFO")
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--set")
        settings[name] = value
    try:
        summary = run_worker(redis_url, until_idle=until_idle, lease_ttl=lease_ttl, overrides=settings)
    except (RedisUnavailable, NotSeeded) as exc:
        fail(str(exc), EXIT_FATAL)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(summary.line())
    if summary.finish_reason not in ("finished", "shutdown"):
        fail(f"worker did not stop cleanly ({summary.finish_reason or 'failed to start; see the log above'})", EXIT_FATAL)
