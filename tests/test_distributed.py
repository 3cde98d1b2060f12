"""Distributed crawl end to end: a real redis-server, `crawl --distributed`, workers and the writer as subprocesses.

Needs ``NEWSARCHIVE_TEST_REDIS`` (a Redis URL whose database the tests may flush); .ci/run starts a
redis-server and sets it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive import Archive

from .conftest import REPO, crawl, rows, run_cli
from .newsroom import Newsroom, open_newsroom

T1 = "2024-05-03T10:00:00Z"
REDIS_URL = os.environ.get("NEWSARCHIVE_TEST_REDIS")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="set NEWSARCHIVE_TEST_REDIS=redis://127.0.0.1:PORT/15 (.ci/run does)")


@pytest.fixture
def redis_url() -> Iterator[str]:
    import redis

    assert REDIS_URL
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    yield REDIS_URL
    server.flushdb()


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


def start(*args: str) -> subprocess.Popen[str]:
    """`newsarchive ARGS` in the background, in its own process group (so a kill takes its extractors too)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_NOW": T1}
    return subprocess.Popen([sys.executable, "-m", "scraper", *args], env=env, cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def finish(proc: subprocess.Popen[str], timeout: float = 90) -> Finished:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"process did not exit in {timeout}s: {err[-2000:]}")
    return Finished(proc.returncode, out, err)


def start_worker(redis_url: str, until_idle: str = "2") -> subprocess.Popen[str]:
    return start("worker", "--redis", redis_url, "--until-idle", until_idle, "--lease-ttl", "2",
                 "-s", "NEWSARCHIVE_EXTRACT_WORKERS=1")


def start_writer(redis_url: str, db: Path, *args: str) -> subprocess.Popen[str]:
    return start("ingest", "--redis", redis_url, "--db", str(db), "--until-idle", "6", *args)


def seed(db: Path, room: Newsroom, redis_url: str) -> str:
    result = run_cli("crawl", "--db", str(db), "--sources", str(room.sources), "--distributed", redis_url, now=T1)
    assert result.returncode == 0, result.stderr
    return result.stdout


def ingested(db: Path) -> int:
    if not db.exists():
        return 0
    with Archive(db, readonly=True) as archive:
        if "ingested_tasks" not in archive.db.table_names():
            return 0
        return archive.db.execute("select count(*) from ingested_tasks").fetchone()[0]


def wait_for_ingested(db: Path, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while ingested(db) < count:
        assert time.monotonic() < deadline, f"fewer than {count} results ingested after {timeout}s"
        time.sleep(0.2)


def archive_snapshot(db: Path) -> dict[str, list[dict]]:
    """Everything a crawl decides, minus raw bodies (the pages carry random tokens)."""
    return {
        "articles": rows(db, "select url, source, status, versions, latest_version, first_seen_at, last_checked_at,"
                             " discovered_via, entry_title, entry_published_at, entry_source, last_error, next_check_at, etag,"
                             " last_modified, missing_checks, gone_at from articles order by url"),
        "versions": rows(db, "select a.url, v.version, v.content_hash, v.title, v.author, v.published_at,"
                             " v.first_seen_at, v.last_seen_at, v.reverts_to, v.text from versions v join articles a on a.id = v.article_id"
                             " order by a.url, v.version"),
        "captures": rows(db, "select a.url, c.url fetched, c.status, c.error, c.fetched_at, v.version from captures c"
                             " join articles a on a.id = c.article_id left join versions v on v.id = c.version_id"
                             " order by a.url, c.id"),
        "feeds": rows(db, "select url, source, kind, last_status, last_error, entries, new_entries, etag, last_modified,"
                          " last_polled_at, next_poll_at, poll_interval from feeds order by url"),
        "article_urls": rows(db, "select u.url, u.kind, u.first_seen_at, a.url article from article_urls u"
                                 " join articles a on a.id = u.article_id order by u.url"),
    }


def assert_archived_once(db: Path, room: Newsroom) -> None:
    articles = rows(db, "select url, status, versions from articles order by url")
    assert [a["url"] for a in articles] == room.article_urls()
    assert all(a["status"] == "archived" and a["versions"] == 1 for a in articles)
    assert rows(db, "select count(*) n from versions") == [{"n": len(articles)}]
    assert rows(db, "select count(*) n, count(distinct article_id) articles from captures") == [
        {"n": len(articles), "articles": len(articles)}
    ]


# -- two workers and one writer against a single-machine crawl of the same sites ------------------------


@dataclass
class DistributedRun:
    room: Newsroom
    single: Path
    distributed: Path
    seeded: str
    workers: list[Finished]
    writer: Finished
    delay: float


@pytest.fixture(scope="module")
def two_worker_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DistributedRun]:
    if not REDIS_URL:
        pytest.skip("set NEWSARCHIVE_TEST_REDIS=redis://127.0.0.1:PORT/15 (.ci/run does)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    tmp = tmp_path_factory.mktemp("two_workers")
    delay = 0.05
    room = open_newsroom(tmp, hosts=3, articles=80, delay=delay, concurrency=1)
    single, distributed = tmp / "single.db", tmp / "distributed.db"
    crawl(single, room.sources, now=T1)
    room.log.clear()
    seeded = seed(distributed, room, REDIS_URL)
    # Hide the seeded hosts until both workers are up: on a loaded machine the second worker could
    # otherwise start after the first had crawled everything, and the test would show nothing shared.
    server = redis.Redis.from_url(REDIS_URL)
    server.rename("newsarchive:requests:hosts", "newsarchive:requests:hosts:paused")
    # (a longer --until-idle: the first worker must not give up while the second is starting)
    procs = [start_worker(REDIS_URL, "10"), start_worker(REDIS_URL, "10"), start_writer(REDIS_URL, distributed, "--until-idle", "12")]
    deadline = time.monotonic() + 60
    while server.scard("newsarchive:workers") < 2:
        assert time.monotonic() < deadline, "workers did not register"
        time.sleep(0.1)
    server.rename("newsarchive:requests:hosts:paused", "newsarchive:requests:hosts")
    finished = [finish(proc) for proc in procs]
    yield DistributedRun(room, single, distributed, seeded, finished[:2], finished[2], delay)
    room.stop()
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_two_workers_and_a_writer_archive_every_article_exactly_once(two_worker_run: DistributedRun) -> None:
    run = two_worker_run
    assert run.seeded == "seeded 3 feeds and 0 articles; 0 URLs added to the seen-set\n"
    assert [w.returncode for w in run.workers] == [0, 0], [w.stderr[-2000:] for w in run.workers]
    assert run.writer.returncode == 0, run.writer.stderr
    assert run.writer.stdout.startswith(
        "feeds: 3 polled, 0 failed; articles: 240 new, 0 updated, 0 unchanged, 0 failed; 0.0s; "
        "ingested 243 results, 0 duplicates skipped, 0 unstorable"
    )
    assert_archived_once(run.distributed, run.room)
    fetched = [int(w.stdout.split(" pages fetched")[0].rsplit(" ", 1)[1]) for w in run.workers]
    assert sum(fetched) == 240 and min(fetched) > 0, fetched  # both workers did part of the crawl


def test_distributed_archive_equals_single_machine_archive(two_worker_run: DistributedRun) -> None:
    assert archive_snapshot(two_worker_run.distributed) == archive_snapshot(two_worker_run.single)


def test_each_host_is_fetched_politely_across_workers(two_worker_run: DistributedRun) -> None:
    by_host = two_worker_run.room.requests_by_host()
    assert sorted(by_host) == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    for host, times in by_host.items():
        assert len(times) == 80
        # Single requests arrive with some ms of jitter even from one Scrapy process, so check the rate: any
        # 10 consecutive requests to a host span at least 9 delays (less one delay of jitter). Two workers
        # fetching one host independently would fit them in half that.
        spans = [b - a for a, b in zip(times, times[9:])]
        assert min(spans) >= 8 * two_worker_run.delay, (host, min(spans))


# -- failures ---------------------------------------------------------------------------------------------


@needs_redis
def test_killed_worker_requests_are_redone_by_the_other(tmp_path: Path, redis_url: str) -> None:
    import redis

    server = redis.Redis.from_url(redis_url)
    room = open_newsroom(tmp_path, hosts=3, articles=60, delay=0.05, concurrency=1)
    db = tmp_path / "archive.db"
    seed(db, room, redis_url)
    doomed = start_worker(redis_url)
    writer = start_writer(redis_url, db)
    deadline = time.monotonic() + 60
    while not server.smembers("newsarchive:workers"):
        assert time.monotonic() < deadline, "worker did not register"
        time.sleep(0.1)
    (doomed_id,) = [w.decode() for w in server.smembers("newsarchive:workers")]
    survivor = start_worker(redis_url)
    wait_for_ingested(db, 40)
    while not server.hlen(f"newsarchive:inflight:{doomed_id}"):  # kill it with requests in hand
        assert time.monotonic() < deadline + 60, "doomed worker never held a request"
        time.sleep(0.01)
    os.killpg(doomed.pid, signal.SIGKILL)
    finish(doomed)
    held = server.hlen(f"newsarchive:inflight:{doomed_id}")
    done = finish(survivor)
    assert done.returncode == 0, done.stderr[-2000:]
    requeued = int(done.stdout.split(" requests requeued")[0].rsplit(" ", 1)[1])
    assert held > 0 and requeued == held, (held, done.stdout)
    assert finish(writer).returncode == 0
    assert_archived_once(db, room)
    room.stop()


@needs_redis
def test_killed_writer_restarts_without_loss_or_duplicate_versions(tmp_path: Path, redis_url: str) -> None:
    room = open_newsroom(tmp_path, hosts=3, articles=60, delay=0.02, concurrency=1)
    db = tmp_path / "archive.db"
    seed(db, room, redis_url)
    workers = [start_worker(redis_url), start_worker(redis_url)]
    writer = start_writer(redis_url, db, "--batch", "5")
    wait_for_ingested(db, 50)
    os.killpg(writer.pid, signal.SIGKILL)
    finish(writer)
    restarted = start_writer(redis_url, db, "--batch", "5")
    assert [finish(w).returncode for w in workers] == [0, 0]
    result = finish(restarted)
    assert result.returncode == 0, result.stderr
    assert_archived_once(db, room)
    room.stop()


@needs_redis
def test_sigterm_stops_worker_and_writer_cleanly(tmp_path: Path, redis_url: str) -> None:
    room = open_newsroom(tmp_path, hosts=1, articles=40, delay=0.1, concurrency=1)
    db = tmp_path / "archive.db"
    seed(db, room, redis_url)
    worker, writer = start("worker", "--redis", redis_url), start("ingest", "--redis", redis_url, "--db", str(db))
    wait_for_ingested(db, 5)
    worker.send_signal(signal.SIGTERM)
    stopped = finish(worker, timeout=30)
    assert stopped.returncode == 0 and stopped.stdout.endswith("(shutdown)\n"), stopped.stderr[-2000:]
    time.sleep(1.5)  # let the writer drain what the worker pushed before it stopped
    writer.send_signal(signal.SIGTERM)
    assert finish(writer, timeout=30).returncode == 0
    import redis

    server = redis.Redis.from_url(redis_url)
    fetched = int(stopped.stdout.split(" pages fetched")[0].rsplit(" ", 1)[1])
    # every page the worker fetched is archived; the rest is still queued for the next worker
    assert rows(db, "select count(*) n from versions") == [{"n": fetched}]
    assert server.zcard(f"newsarchive:requests:h:127.0.0.1") == 40 - fetched
    assert server.keys("newsarchive:inflight:*") == [] and server.smembers("newsarchive:workers") == set()
    room.stop()


@needs_redis
def test_distributed_pass_after_single_machine_crawls_fetches_only_the_rechecks(tmp_path: Path, redis_url: str) -> None:
    room = open_newsroom(tmp_path, hosts=2, articles=5, delay=0, concurrency=2)
    db = tmp_path / "archive.db"
    crawl(db, room.sources, now=T1)
    room.log.clear()
    not_due = run_cli("crawl", "--db", str(db), "--sources", str(room.sources), "--distributed", redis_url, now=T1)
    assert not_due.stdout == "seeded 0 feeds and 0 articles; 10 URLs added to the seen-set\n"  # just polled, none due
    seeded = run_cli("crawl", "--db", str(db), "--sources", str(room.sources), "--recheck", "all", "--all-feeds",
                     "--distributed", redis_url, now=T1)
    # the archive's 10 URLs join the seen-set, so the feeds' links are not fetched again: only the rechecks are
    assert seeded.stdout == "seeded 2 feeds and 10 articles; 0 URLs added to the seen-set\n"
    worker, writer = start_worker(redis_url), start_writer(redis_url, db)
    assert finish(worker).returncode == 0
    assert finish(writer).stdout.startswith(
        "feeds: 2 polled, 0 failed; articles: 0 new, 0 updated, 10 unchanged, 0 failed; 0.0s; ingested 12 results"
    )
    assert sorted(path for _, _, path in room.log) == sorted(
        f"/news/h{h}-story-{i}" for h in range(2) for i in range(5)
    )
    assert rows(db, "select count(*) n, count(distinct article_id) articles from captures") == [{"n": 20, "articles": 10}]
    room.stop()


@needs_redis
def test_single_machine_crawl_refuses_an_archive_the_writer_holds(tmp_path: Path, redis_url: str) -> None:
    room = open_newsroom(tmp_path, hosts=1, articles=1, delay=0, concurrency=1)
    db = tmp_path / "archive.db"
    seed(db, room, redis_url)
    writer = start("ingest", "--redis", redis_url, "--db", str(db))
    wait_for_ingested_table(db)
    result = run_cli("crawl", "--db", str(db), "--sources", str(room.sources), now=T1)
    assert result.returncode != 0 and "another crawl is running on this archive" in result.stderr
    writer.send_signal(signal.SIGTERM)
    assert finish(writer, timeout=30).returncode == 0
    room.stop()


def wait_for_ingested_table(db: Path, timeout: float = 30) -> None:
    """Until the writer has opened (and migrated) the archive, so it holds the lock."""
    deadline = time.monotonic() + timeout
    while not Path(f"{db}.lock").exists() or not db.exists():
        assert time.monotonic() < deadline, "writer did not start"
        time.sleep(0.1)
    time.sleep(0.5)


@needs_redis
def test_second_seed_while_the_pass_is_queued_seeds_nothing(tmp_path: Path, redis_url: str) -> None:
    room = open_newsroom(tmp_path, hosts=2, articles=1, delay=0, concurrency=1)
    db = tmp_path / "archive.db"
    assert seed(db, room, redis_url) == "seeded 2 feeds and 0 articles; 0 URLs added to the seen-set\n"
    assert seed(db, room, redis_url) == "previous pass still queued (2 requests): nothing seeded\n"
    room.stop()


def test_crawl_distributed_names_an_unreachable_redis(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/rss.xml"]\n', encoding="utf-8")
    result = run_cli("crawl", "--db", str(tmp_path / "a.db"), "--sources", str(sources), "--distributed", "redis://127.0.0.1:9/0")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: redis://127.0.0.1:9/0: cannot reach Redis (")
    assert result.stderr.rstrip().endswith("is redis-server running?")


def test_single_machine_crawl_does_not_import_redis() -> None:
    code = ("import sys, scraper.cli, scraper.crawl, spiders.feeds, scraper.pipelines.store; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('redis', 'scrapy_redis')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr
