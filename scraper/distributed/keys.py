"""Where newsarchive keeps its distributed state in Redis: every key name in one place."""

from __future__ import annotations

PREFIX = "newsarchive"

REQUESTS = f"{PREFIX}:requests"  # scheduler queue base key (SCHEDULER_QUEUE_KEY)
SEEN = f"{PREFIX}:seen"  # scrapy-redis seen-set of request fingerprints (SCHEDULER_DUPEFILTER_KEY)
RESULTS = f"{PREFIX}:results"  # stream of fetch results, read by the writer's consumer group
DEAD = f"{PREFIX}:results:dead"  # results the writer could not store (kept for inspection)
WRITERS = "writers"  # consumer group of the results stream
SOURCES = f"{PREFIX}:sources"  # the sources file (TOML text) of the last seeded pass, for the workers
SLOTS = f"{PREFIX}:slots"  # host -> JSON {"delay", "concurrency"} from sources.toml
SEEN_SYNCED = f"{PREFIX}:seen-synced"  # highest article id whose URL is in the seen-set
WORKERS = f"{PREFIX}:workers"  # ids of registered workers


def host_queue(host: str) -> str:
    """Sorted set of the requests waiting for ``host`` (score: -priority)."""
    return f"{REQUESTS}:h:{host}"


HOSTS = f"{REQUESTS}:hosts"  # hosts with at least one queued request


def lease(host: str) -> str:
    """The id of the worker allowed to fetch ``host`` (expires unless renewed)."""
    return f"{REQUESTS}:lease:{host}"


def alive(worker: str) -> str:
    """Heartbeat of a worker (expires when the worker dies)."""
    return f"{PREFIX}:alive:{worker}"


def inflight(worker: str) -> str:
    """Hash task -> queued entry of the requests a worker popped and has not yet reported."""
    return f"{PREFIX}:inflight:{worker}"
