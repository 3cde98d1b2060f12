"""Distributed-crawl figures for docs/scaling.md: fetch throughput with 1 vs 2 workers, the writer's sustained
ingest rate, and the seen-set's memory per URL.

    .venv/bin/python bench/distributed.py --redis redis://127.0.0.1:6391/14

Uses (and flushes) the Redis database in the URL and local sites on 127.0.0.N; prints one line per figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import redis  # noqa: E402

from archive import Archive, Extraction  # noqa: E402
from scraper.distributed import keys  # noqa: E402
from scraper.distributed.ingest import Writer  # noqa: E402
from scraper.distributed.messages import ArticleResult, encode  # noqa: E402
from tests.newsroom import open_newsroom  # noqa: E402
from tests.pages import article_html, paragraphs  # noqa: E402

NOW = "2024-05-03T10:00:00Z"


def cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_NOW": NOW}
    return subprocess.Popen([sys.executable, "-m", "scraper", *args], env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def crawl_rate(url: str, workers: int, hosts: int, articles: int) -> tuple[float, float]:
    """Pages per second pushed to the stream by ``workers`` workers (first to last result; startup excluded),
    and the CPU seconds the workers (with their extraction processes) spent per page, startup included."""
    server = redis.Redis.from_url(url)
    server.flushdb()
    tmp = Path(tempfile.mkdtemp(prefix="bench-dist-"))
    room = open_newsroom(tmp, hosts=hosts, articles=articles, delay=0, concurrency=8)
    try:
        seed = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--db", str(tmp / "a.db"), "--sources",
                               str(room.sources), "--distributed", url], env={**os.environ, "PYTHONPATH": str(REPO)},
                              capture_output=True, text=True, check=True)
        assert seed.stdout.startswith("seeded"), seed.stdout
        cpu_before = _children_cpu()
        procs = [cli("worker", "--redis", url, "--until-idle", "1") for _ in range(workers)]
        total = hosts * (articles + 1)
        first = last = None
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            added = server.xinfo_stream(keys.RESULTS)["entries-added"] if server.exists(keys.RESULTS) else 0
            if added and first is None:
                first = (time.monotonic(), added)
            if added >= total:
                last = (time.monotonic(), added)
                break
            time.sleep(0.05)
        for proc in procs:
            proc.wait(timeout=120)
        assert first and last, "crawl did not finish"
        return (last[1] - first[1]) / (last[0] - first[0]), (_children_cpu() - cpu_before) / total
    finally:
        room.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ingest_rate(url: str, results: int, batch: int) -> tuple[float, float]:
    """Versions per second the writer stores from a pre-filled stream (pages of ~2.5 KB, texts of ~1.5 KB):
    wall clock, and per CPU second of the writer."""
    server = redis.Redis.from_url(url)
    server.flushdb()
    pipe = server.pipeline(transaction=False)
    for n in range(results):
        paras = paragraphs(n)
        body = article_html(f"Story {n}", paras).encode()
        link = f"http://bench.test/story-{n}"
        pipe.xadd(keys.RESULTS, encode(ArticleResult(
            task=f"bench:{n}", link=link, source="bench", url=link, fetched_at=NOW, status=200,
            headers={"Content-Type": "text/html"}, body=body,
            extraction=Extraction(text="\n".join(paras), title=f"Story {n}"),
        )))
    pipe.execute()
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        with Archive(tmp / "a.db") as archive:
            for n in range(results):
                archive.add_article(f"http://bench.test/story-{n}", "bench")
            writer = Writer(server, archive, batch=batch)
            started, cpu = time.monotonic(), time.process_time()
            stats = writer.run(until_idle=0, block_ms=10)
            elapsed, cpu = time.monotonic() - started - 0.01, time.process_time() - cpu
        assert stats.counts["articles/new"] == results, stats.counts
        return results / elapsed, results / cpu
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def seen_set_bytes_per_url(url: str, count: int) -> float:
    """Redis memory per fingerprint in the scrapy-redis seen-set (a plain set of 40-hex SHA-1 strings)."""
    import scrapy
    from scrapy_redis.dupefilter import RFPDupeFilter

    server = redis.Redis.from_url(url)
    server.flushdb()
    dupefilter = RFPDupeFilter(server, keys.SEEN)
    for start in range(0, count, 10_000):
        fingerprints = [dupefilter.request_fingerprint(scrapy.Request(f"https://news{n % 977}.test/2024/story-{n}"))
                        for n in range(start, min(count, start + 10_000))]
        server.sadd(keys.SEEN, *fingerprints)
    used = server.memory_usage(keys.SEEN, samples=0)
    server.flushdb()
    return used / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", required=True)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--articles", type=int, default=100, help="per host")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.1f}")
    one, two = [], []
    for _ in range(args.rounds):  # interleaved, so both see the same (shared, noisy) machine
        one.append(crawl_rate(args.redis, 1, args.hosts, args.articles))
        two.append(crawl_rate(args.redis, 2, args.hosts, args.articles))
    for label, runs in (("1 worker ", one), ("2 workers", two)):
        rates, cpus = [r for r, _ in runs], [c for _, c in runs]
        print(f"crawl, {label}: {statistics.median(rates):.0f} pages/s (runs: {', '.join(f'{r:.0f}' for r in rates)});"
              f" {statistics.median(cpus) * 1000:.0f} ms CPU per page")
    print(f"2 workers / 1 worker: {statistics.median(r for r, _ in two) / statistics.median(r for r, _ in one):.2f}x")
    for batch in (1, 200):
        rate, per_cpu = ingest_rate(args.redis, 3000, batch)
        print(f"writer, batch {batch:>3}: {rate:.0f} versions/s ({per_cpu:.0f} per CPU second)")
    print(f"seen-set: {seen_set_bytes_per_url(args.redis, 200_000):.0f} bytes per URL (200,000 fingerprints)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
