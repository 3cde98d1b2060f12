"""The host-leased request queue and the reaping of dead workers, against a real Redis (no crawler)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("NEWSARCHIVE_TEST_REDIS"),
    reason="set NEWSARCHIVE_TEST_REDIS=redis://127.0.0.1:PORT/15 (.ci/run does)",
)


@dataclass
class FakeWorker:
    """What the queue asks of a worker's Coordinator."""

    worker: str
    ttl_ms: int = 10_000
    active: list[Any] = field(default_factory=list)

    def delay_for(self, host: str) -> float:
        return 0.0

    def buffer_for(self, host: str) -> int:
        return 2

    def downloading(self) -> list[Any]:
        return self.active


@pytest.fixture
def server() -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(os.environ["NEWSARCHIVE_TEST_REDIS"])
    client.flushdb()
    yield client
    client.flushdb()


def queue_for(server: Any, worker: str) -> Any:
    from scraper.distributed import keys
    from scraper.distributed.queue import HostQueue
    from scraper.distributed.spider import WorkerSpider

    queue = HostQueue(server, WorkerSpider(), keys.REQUESTS)
    queue.coordinator = FakeWorker(worker)
    server.sadd(keys.WORKERS, worker)
    server.set(keys.alive(worker), b"1")
    return queue


def article(n: int, host: str = "a.test") -> Any:
    from scraper.distributed.spider import WorkerSpider

    return WorkerSpider().article_request(f"http://{host}/story-{n}", "src", f"t:{n}", article_id=n, recheck=True)


def test_a_leased_host_is_fetched_by_its_worker_only(server: Any) -> None:
    first, second = queue_for(server, "w1"), queue_for(server, "w2")
    first.push_many([article(1), article(2), article(3)])
    taken = first.pop()
    assert taken.url == "http://a.test/story-1" and first.leases == ["a.test"]
    assert second.pop() is None  # w1 holds a.test
    assert first.pop().url == "http://a.test/story-2"
    first.coordinator.active = [taken, taken]
    assert first.pop() is None  # two of a.test already in w1's downloader: the rest waits in Redis
    assert len(first) == 1


def test_a_second_worker_gets_its_share_of_hosts(server: Any) -> None:
    first, second = queue_for(server, "w1"), queue_for(server, "w2")
    first.push_many([article(n, host) for host in ("a.test", "b.test") for n in range(3)])
    hosts = {first.pop().url.split("/")[2] for _ in range(2)}
    # two workers, two hosts with work: w1's fair share is one host, so its second pop stays on it
    assert len(hosts) == 1 and first.leases == list(hosts)
    assert second.pop().url.split("/")[2] not in hosts
    assert second.leases != first.leases


def test_the_in_flight_requests_of_a_dead_worker_are_requeued(server: Any) -> None:
    from scraper.distributed import keys
    from scraper.distributed.coordinator import reap_dead_workers

    dead, alive = queue_for(server, "dead"), queue_for(server, "alive")
    dead.push_many([article(1), article(2)])
    assert dead.pop().url == "http://a.test/story-1"
    assert server.hkeys(keys.inflight("dead")) == [b"t:1"]
    assert reap_dead_workers(server, exclude="alive") == 0  # still alive: nothing to do
    server.delete(keys.alive("dead"), keys.lease("a.test"))  # heartbeat and lease expired
    assert reap_dead_workers(server, exclude="alive") == 1
    assert server.smembers(keys.WORKERS) == {b"alive"} and not server.exists(keys.inflight("dead"))
    assert [alive.pop().url, alive.pop().url] == ["http://a.test/story-1", "http://a.test/story-2"]
