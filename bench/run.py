"""`make bench`: crawl a generated local news site and compare the pipeline with its physical limit.

Prints one Markdown table (the figures of docs/performance.md). Every crawl is the real CLI in a
subprocess (`newsarchive crawl`, `--recheck all`), so the figures follow whatever the pipeline does.

    python -m bench.run                      # 2,000 articles, 100k versions for search
    python -m bench.run --articles 10000     # the RSS-growth run
    python -m bench.run --skip inline,search # leave figures out
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from archive import Archive

from . import codec, search, site
from .extract_bound import extraction_bound
from .measure import RunResult, children_cpu_seconds, run_sampled
from .server import SiteServer, free_port
from .storage import archive_bytes, warc_bytes

REPO = Path(__file__).resolve().parent.parent
STEPS = ("fetch", "bound", "crawl", "recheck", "edit", "noise", "storage", "search", "inline")
_SUMMARY = re.compile(r"articles: (\d+) new, (\d+) updated, (\d+) unchanged, (\d+) failed; ([\d.]+)s")


@dataclass
class Crawl:
    new: int
    updated: int
    unchanged: int
    failed: int
    seconds: float  # Scrapy's elapsed time for the pass
    run: RunResult

    @property
    def articles(self) -> int:
        return self.new + self.updated + self.unchanged + self.failed

    @property
    def rate(self) -> float:
        return self.articles / self.seconds

    @property
    def cpu_per_article(self) -> float:
        """CPU seconds of the whole crawl process tree (start-up included) per article."""
        return self.run.cpu_seconds / self.articles


class Bench:
    def __init__(self, work: Path, articles: int) -> None:
        self.work, self.count = work, articles
        self.rows: list[tuple[str, str, str]] = []
        self.scrapy_rate: dict[str, float] = {}  # figures "0" and "0b": Scrapy alone, pages/s
        self.sources = work / "sources.toml"
        self.env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.env.pop("NEWSARCHIVE_NOW", None)

    def row(self, figure: str, value: str, goal: str = "") -> None:
        self.rows.append((figure, value, goal))
        print(f"  {figure}: {value} {goal}", file=sys.stderr, flush=True)

    def crawl(self, db: Path, *args: str) -> Crawl:
        # The whole site is one host: lift the per-run host budget so every article is fetched in one pass.
        command = [sys.executable, "-m", "scraper", "crawl", "--db", str(db), "--sources", str(self.sources),
                   "-s", "NEWSARCHIVE_HOST_BUDGET=0", *args]
        result = run_sampled(command, db, self.env)
        match = _SUMMARY.search(result.stdout)
        if result.returncode != 0 or not match:
            raise SystemExit(f"bench: crawl failed ({result.returncode}): {result.stdout}\n{result.stderr[-3000:]}")
        new, updated, unchanged, failed, seconds = match.groups()
        return Crawl(int(new), int(updated), int(unchanged), int(failed), float(seconds), result)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles on the generated site")
    parser.add_argument("--search-versions", type=int, default=100_000, help="versions synthesised for search")
    parser.add_argument("--skip", default="", help=f"comma-separated steps to leave out: {','.join(STEPS)}")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "newsarchive-bench")
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    if unknown := skip - set(STEPS):
        parser.error(f"unknown step(s) in --skip: {', '.join(sorted(unknown))}")
    run(Bench(args.work, args.articles), skip, args.search_versions)


def run(bench: Bench, skip: set[str], search_versions: int) -> None:
    work, count = bench.work, bench.count
    shutil.rmtree(work / "site", ignore_errors=True)
    for name in ("archive.db", "inline.db"):
        for suffix in ("", "-wal", "-shm"):
            (work / (name + suffix)).unlink(missing_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    articles = site.generate(work / "site", count, base)
    print(f"bench: generated {count} articles in {time.perf_counter() - started:.0f}s under {work}", file=sys.stderr)
    feeds = ", ".join(f'"{base}{path}"' for path in site.feed_paths())
    bench.sources.write_text(f'[[source]]\nname = "bench"\nfeeds = [{feeds}]\ndelay = 0\nconcurrency = 16\n')
    urls = work / "urls.txt"
    urls.write_text("\n".join(base + a.path for a in articles))
    db = work / "archive.db"
    with SiteServer(work / "site", port) as server:
        if "fetch" not in skip:
            fetch_only(bench, urls, server)
        bound = bound_cpu = 0.0
        if "bound" not in skip:
            jobs = [(str(work / "site" / a.path.lstrip("/")), base + a.path) for a in articles]
            extracted, seconds, cpu = extraction_bound(jobs)
            bound, bound_cpu = extracted / seconds, cpu / extracted
            bench.row(f"1. extraction bound, {os.cpu_count()} processes",
                      f"{bound:.1f} pages/s; {1000 * bound_cpu:.0f} CPU-ms/page, {cpu / seconds:.2f} cores busy")
        if "crawl" in skip:
            return
        first = bench.crawl(db)
        bench.row("2. first crawl", f"{first.rate:.1f} articles/s{versus(first, bound, bound_cpu)}",
                  "(goal >= 0.85x)")
        growth = first.run.rss_growth(count)
        bench.row(f"7. crawl RSS, {count:,} articles: peak; first -> last 10% of captures",
                  f"peak {first.run.peak_tree_mb:.0f} MiB; all processes {growth['tree'][0]:.0f} -> {growth['tree'][1]:.0f} MiB, "
                  f"crawl process {growth['main'][0]:.0f} -> {growth['main'][1]:.0f} MiB", "(goal: flat)")
        size_first, first_last = archive_bytes(db), last_capture(db)
        if "inline" not in skip:
            inline = bench.crawl(work / "inline.db", "-s", "NEWSARCHIVE_EXTRACT_WORKERS=-1")
            bench.row("8. first crawl, inline extraction (baseline)",
                      f"{inline.rate:.1f} articles/s{versus(inline, bound, bound_cpu)}; "
                      f"the pool crawl is {first.rate / inline.rate:.2f}x faster")
        if "recheck" not in skip:
            again = bench.crawl(db, "--recheck", "all")
            if again.unchanged != count:
                raise SystemExit(f"bench: unchanged recheck saw {again.unchanged} unchanged of {count}")
            floor = bench.scrapy_rate.get("0b")
            bench.row("3. recheck, nothing changed",
                      f"{again.rate:.1f} articles/s = {again.rate / first.rate:.1f}x first crawl"
                      + (f", {again.rate / floor:.2f}x Scrapy's 304 floor (0b)" if floor else "")
                      + f"; {1000 * again.cpu_per_article:.1f} CPU-ms/article", "(goal >= 10x)")
            if "storage" not in skip:
                storage(bench, db, (size_first, first_last), (archive_bytes(db), last_capture(db)))
        edited = [a.number for a in articles if a.number % 10 == 3] if "edit" not in skip else []
        if edited:
            site.edit(work / "site", edited, base)
            time.sleep(1.1)  # Last-Modified has one-second resolution
            before = (archive_bytes(db), last_capture(db))
            changed = bench.crawl(db, "--recheck", "all")
            with Archive(db) as archive:
                versions = archive.db.execute("select count(*) from versions where version = 2").fetchone()[0]
            exact = "exact" if versions == changed.updated == len(edited) else "MISMATCH"
            bench.row("4. recheck, 10% edited",
                      f"{changed.rate:.1f} articles/s; {len(edited)} edited, {changed.updated} updated, "
                      f"{versions} new versions ({exact})")
            if "storage" not in skip:
                edit_storage(bench, db, before, (archive_bytes(db), last_capture(db)), len(edited))
        if "noise" not in skip:
            revised = set(edited)
            noise(bench, db, [site.Article(a.number, revision=int(a.number in revised)) for a in articles], base)
    if "search" not in skip:
        path = work / f"search-{search_versions}.db"
        if not path.exists():  # kept between runs: synthesising is slow and the query figures do not depend on it
            search.synthesise(path, search_versions)
        terms = search.queries(400)
        p50, p95, label = search.latency_ms(path, terms)
        bench.row(f"6. search latency, {search_versions:,} versions ({label})",
                  f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", "(goal p95 < 50 ms)")
        p50, p95, _ = search.latency_ms(path, terms, search.QUERY)
        bench.row("6b. same, ranking every match (no window)",
                  f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", "(the cost the window avoids)")
    print(table(bench.rows))


def fetch_only(bench: Bench, urls: Path, server: SiteServer) -> None:
    """Figure 0: Scrapy alone against the same server, with the CPU each side spent per page; then the
    same with every request answered 304 (Scrapy's floor for a recheck)."""
    for key, label, extra in (("0", "0. Scrapy alone, fetch only (server headroom)", []),
                              ("0b", "0b. Scrapy alone, every request a 304 (recheck floor)", ["--conditional"])):
        server_before, scrapy_before = server.cpu_seconds(), children_cpu_seconds()
        out = subprocess.run([sys.executable, "-m", "bench.fetch_only", str(urls), *extra], env=bench.env,
                             capture_output=True, text=True, check=True).stdout.split()
        pages, seconds = int(out[0]), float(out[1])
        scrapy_cpu, server_cpu = children_cpu_seconds() - scrapy_before, server.cpu_seconds() - server_before
        bench.scrapy_rate[key] = pages / seconds
        bench.row(label, f"{pages / seconds:.0f} pages/s; Scrapy {1000 * scrapy_cpu / pages:.1f}, "
                         f"server {1000 * server_cpu / pages:.1f} CPU-ms/page")


def versus(crawl: Crawl, bound: float, bound_cpu: float) -> str:
    """Throughput against the extraction bound, and the CPU the crawl spent per article against it."""
    cores = f"{crawl.run.cpu_seconds / crawl.run.seconds:.2f} cores busy"
    if not bound:
        return f"; {1000 * crawl.cpu_per_article:.0f} CPU-ms/article, {cores}"
    return (f" = {crawl.rate / bound:.2f}x bound; {1000 * crawl.cpu_per_article:.0f} CPU-ms/article "
            f"(CPU efficiency {bound_cpu / crawl.cpu_per_article:.2f}), {cores}")


def last_capture(db: Path) -> int:
    with Archive(db) as archive:
        return archive.db.execute("select coalesce(max(id), 0) from captures").fetchone()[0]


def storage(bench: Bench, db: Path, first: tuple[int, int], recheck: tuple[int, int]) -> None:
    """Figure 5: archive growth of the first crawl and of the unchanged recheck, against WARCs of the same captures."""
    (size_first, first_last), (size_recheck, recheck_last) = first, recheck
    count = bench.count
    with Archive(db) as archive:
        versions = archive.db.execute("select count(*) from versions").fetchone()[0]
        bodies = [archive.capture_body(i) or b"" for i in range(1, min(first_last, 400) + 1)]
    warc_first = warc_bytes(db, 1, first_last, bench.work / "first.warc.gz")
    warc_again = warc_bytes(db, first_last + 1, recheck_last, bench.work / "recheck.warc.gz")
    warc_dedup = warc_bytes(db, 1, recheck_last, bench.work / "dedup.warc.gz", revisits=True) - warc_first
    per_version, per_check = size_first / versions, (size_recheck - size_first) / count
    bench.row("5a. archive bytes per version (vs gzipped WARC)",
              f"{per_version / 1024:.1f} KiB vs {warc_first / count / 1024:.1f} KiB = {per_version * count / warc_first:.2f}x",
              "(goal <= 0.5x)")
    bench.row("5b. archive bytes per unchanged check (vs WARC response / revisit)",
              f"{per_check:.0f} B vs {warc_again / count:.0f} B = {per_check * count / warc_again:.3f}x"
              f" / {warc_dedup / count:.0f} B = {per_check * count / warc_dedup:.2f}x", "(goal <= 0.5x)")
    codecs = codec.compare(bodies[: len(bodies) // 2], bodies[len(bodies) // 2 :])
    bench.row("5c. body codecs: size ratio, CPU-ms per body",
              "; ".join(f"{name} {ratio:.3f}, {ms:.1f} ms" for name, (ratio, ms) in codecs.items()))
    information_floor(bench, db, bodies, versions)


def information_floor(bench: Bench, db: Path, bodies: list[bytes], versions: int) -> None:
    """Figure 5e: what 5a cannot go below on this site. A version keeps the raw body (at best its information
    under the generator's model), its text and its search index; against a gzipped WARC response."""
    floor = sum(site.information_bits(body.decode()) for body in bodies) / 8 / len(bodies)
    gzipped = sum(len(gzip.compress(body, 6)) for body in bodies) / len(bodies)
    with Archive(db) as archive:
        text = archive.db.execute("select sum(length(cast(text as blob))) from versions").fetchone()[0] / versions
        index = archive.db.execute("select sum(length(block)) from versions_fts_data").fetchone()[0] / versions
    bench.row("5e. floor of 5a on this site: a page's information + text + search index, vs gzipped body",
              f"{floor / 1024:.1f} + {text / 1024:.1f} + {index / 1024:.1f} KiB vs {gzipped / 1024:.1f} KiB = "
              f"{floor / gzipped:.2f}x body alone, {(floor + text + index) / gzipped:.2f}x a version")


def noise(bench: Bench, db: Path, articles: list[site.Article], base: str) -> None:
    """Figure 4b: every page served again with new ids, ad slots and clock around the same text (no 304
    possible): versions created must be 0; the bytes a check costs against a gzipped WARC response."""
    site.rerender(bench.work / "site", articles, base)
    time.sleep(1.1)  # Last-Modified has one-second resolution
    before, last_before = archive_bytes(db), last_capture(db)
    with Archive(db) as archive:
        versions_before = archive.db.execute("select count(*) from versions").fetchone()[0]
    again = bench.crawl(db, "--recheck", "all")
    with Archive(db) as archive:
        versions = archive.db.execute("select count(*) from versions").fetchone()[0] - versions_before
    per_check = (archive_bytes(db) - before) / len(articles)
    warc = warc_bytes(db, last_before + 1, last_capture(db), bench.work / "noise.warc.gz") / len(articles)
    exact = "exact" if versions == again.updated == 0 and again.unchanged == len(articles) else "MISMATCH"
    bench.row("4b. recheck, every page re-rendered (new ids, ads, clock; same text)",
              f"{again.rate:.1f} articles/s, {1000 * again.cpu_per_article:.0f} CPU-ms/article; {versions} new versions "
              f"({exact}); {per_check:.0f} B per check vs {warc / 1024:.1f} KiB WARC response = {per_check / warc:.3f}x")


def edit_storage(bench: Bench, db: Path, before: tuple[int, int], after: tuple[int, int], edited: int) -> None:
    """Figure 5d: archive growth of the edit pass (new versions, their bodies, the unchanged checks) against a
    gzipped WARC of the same captures, and the bytes of an edited page's body alone."""
    (size_before, last_before), (size_after, last_after) = before, after
    warc = warc_bytes(db, last_before + 1, last_after, bench.work / "edit.warc.gz")
    with Archive(db) as archive:
        stored, whole = archive.db.execute(
            "select coalesce(sum(length(body)), 0), coalesce(sum(body_codec = 'zstd'), 0) from captures"
            " where id > ? and body is not null", [last_before]).fetchone()
    growth = size_after - size_before
    bench.row("5d. edit pass: archive growth vs gzipped WARC of the same captures; body per edited page",
              f"{growth / 1024:.0f} KiB vs {warc / 1024:.0f} KiB = {growth / warc:.2f}x; "
              f"{stored / edited:.0f} B per body ({whole} of {edited} stored whole)")


def table(rows: list[tuple[str, str, str]]) -> str:
    """The figures as a Markdown table, with the machine they came from."""
    load = os.getloadavg()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    machine = (f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, scrapy {version('scrapy')}, "
               f"trafilatura {version('trafilatura')}, SQLite {__import__('sqlite3').sqlite_version}, "
               f"load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")
    lines = [f"Machine: {machine}", "", "| figure | measured | goal |", "|---|---|---|"]
    lines += [f"| {figure} | {value} | {goal} |" for figure, value, goal in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
