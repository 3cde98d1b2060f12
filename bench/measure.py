"""Measuring a running crawl from outside: RSS of its process tree and its progress in the archive."""

from __future__ import annotations

import os
import resource
import sqlite3
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time one live process has used so far."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def children_cpu_seconds() -> float:
    """User + system CPU time of all reaped descendants (a finished subprocess and everything it reaped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_rss_kb(pid: int) -> tuple[int, int]:
    """(RSS of ``pid`` alone, RSS of ``pid`` plus all its descendants) in KiB, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * _PAGE_KB
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return rss.get(pid, 0), total


@dataclass
class Sample:
    seconds: float
    main_kb: int
    tree_kb: int
    captures: int


@dataclass
class RunResult:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # the whole process tree (crawl process and its extraction workers)
    samples: list[Sample] = field(default_factory=list)

    @property
    def peak_tree_mb(self) -> float:
        return max((s.tree_kb for s in self.samples), default=0) / 1024

    def rss_growth(self, total: int) -> dict[str, tuple[float, float]]:
        """Median RSS (MiB) while the first 10% and the last 10% of ``total`` captures were written,
        for the ``tree`` (crawl process + extraction workers) and the ``main`` crawl process alone."""
        base = self.samples[0].captures if self.samples else 0
        first = [s for s in self.samples if base < s.captures <= base + total * 0.1]
        last = [s for s in self.samples if s.captures >= base + total * 0.9]

        def median_mb(samples: list[Sample], attribute: str) -> float:
            return statistics.median(getattr(s, attribute) for s in samples) / 1024 if samples else 0.0

        return {kind: (median_mb(first, f"{kind}_kb"), median_mb(last, f"{kind}_kb")) for kind in ("tree", "main")}


def _captures(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("select coalesce(max(id), 0) from captures").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def run_sampled(args: list[str], db: Path, env: dict[str, str], interval: float = 0.25) -> RunResult:
    """Run ``args``, sampling its process tree's RSS and the archive's capture count every ``interval``."""
    samples: list[Sample] = []
    cpu_before = children_cpu_seconds()
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(interval):
            main, tree = tree_rss_kb(process.pid)
            samples.append(Sample(time.perf_counter() - start, main, tree, _captures(db)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return RunResult(seconds, process.returncode, stdout, stderr, children_cpu_seconds() - cpu_before, samples)
