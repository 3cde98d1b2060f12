"""The request queue, keyed by host: a sorted set per host and a lease per host, so one worker fetches a host.

A worker pops only from hosts it holds the lease of. It takes a free host while it holds fewer than its fair
share (hosts with work / live workers), gives back a host once nothing of it is queued or in its downloader
(the lease then lingers for the host's delay, so the next worker cannot fetch sooner than the delay allows),
and renews its leases with its heartbeat: a dead worker's hosts fall free after the lease TTL. Every popped
request is copied into the worker's in-flight hash until its result is on the stream (see coordinator.py).
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy_redis.queue import Base

from . import keys

if TYPE_CHECKING:
    from .coordinator import Coordinator

TASK = "newsarchive_task"  # request.meta key: the result id the writer deduplicates on

_PUSH = """
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
"""
# -> {0} lease lost, {1} host empty, {2, member}
_POP = """
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return {0} end
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then redis.call('SREM', KEYS[2], ARGV[2]) return {1} end
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
local member = popped[1]
local cut = string.find(member, '\\n', 1, true)
local task = string.sub(member, 1, cut - 1)
if task ~= '' then redis.call('HSET', KEYS[4], task, ARGV[2] .. '\\n' .. popped[2] .. '\\n' .. member) end
return {2, member}
"""
_ACQUIRE = """
if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return 0 end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[3]) return 1 end
return 0
"""
# ARGV[2]: milliseconds the lease lingers (the host's delay); 0 frees it at once
_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('DEL', KEYS[1]) end
return 1
"""
_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""


def request_host(url: str) -> str:
    """The host a request is queued (and leased, and politely delayed) under: Scrapy's download slot key."""
    return urlsplit(url).hostname or ""


class HostQueue(Base):
    """scrapy-redis queue class (``SCHEDULER_QUEUE_CLASS``) with one sorted set and one lease per host."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self._push = server.register_script(_PUSH)
        self._pop = server.register_script(_POP)
        self._acquire = server.register_script(_ACQUIRE)
        self._release = server.register_script(_RELEASE)
        self._renew = server.register_script(_RENEW)
        self.coordinator: Coordinator | None = None
        self.leases: list[str] = []  # hosts this worker holds, in round-robin order
        self._fair_share = (0.0, 1)  # (computed at, hosts per worker)

    # -- pushing (workers, and the seeder) ----------------------------------------------------

    def push(self, request: Request) -> None:
        """Queue ``request`` under its host."""
        host = request_host(request.url)
        self._push(keys=[keys.host_queue(host), keys.HOSTS], args=[-request.priority, self.member(request), host])

    def push_many(self, requests: Iterable[Request], batch: int = 1000) -> int:
        """Queue many requests in pipelined batches (seeding); returns how many."""
        count = 0
        pipe = self.server.pipeline(transaction=False)
        for count, request in enumerate(requests, start=1):
            host = request_host(request.url)
            self._push(keys=[keys.host_queue(host), keys.HOSTS], args=[-request.priority, self.member(request), host], client=pipe)
            if count % batch == 0:
                pipe.execute()
        pipe.execute()
        return count

    def member(self, request: Request) -> bytes:
        """The queued form of a request: ``task`` + newline + the serialised request."""
        return request.meta.get(TASK, "").encode() + b"\n" + self._encode_request(request)

    def decode_member(self, member: bytes) -> Request:
        """Inverse of :meth:`member`."""
        return self._decode_request(member.split(b"\n", 1)[1])

    def __len__(self) -> int:
        """Requests queued for all hosts."""
        pipe = self.server.pipeline(transaction=False)
        for host in self.server.smembers(keys.HOSTS):
            pipe.zcard(keys.host_queue(host.decode()))
        return sum(pipe.execute())

    def has_work(self) -> bool:
        """Whether any host has queued requests (one command, unlike ``len``)."""
        return bool(self.server.scard(keys.HOSTS))

    def clear(self) -> None:
        """Drop every queued request and lease."""
        for pattern in (f"{keys.REQUESTS}:h:*", f"{keys.REQUESTS}:lease:*"):
            for key in self.server.scan_iter(pattern):
                self.server.delete(key)
        self.server.delete(keys.HOSTS)

    # -- popping (a worker) ---------------------------------------------------------------------

    def pop(self, timeout: int = 0) -> Request | None:
        """The next request from a leased host with room in this worker's downloader, taking a host if fair."""
        assert self.coordinator is not None, "pop() needs a worker (Coordinator)"
        busy = self._busy()
        share = self._share()
        # Over our fair share (another worker joined): drain the hosts we hold least of, then give them back.
        draining = set(sorted(self.leases, key=lambda h: busy[h])[: max(0, len(self.leases) - share)])
        for _ in range(len(self.leases)):
            host = self.leases.pop(0)
            self.leases.append(host)
            if host in draining:
                if not busy[host]:
                    self._give_back(host)
                continue
            if busy[host] >= self.coordinator.buffer_for(host):
                continue
            request = self._pop_from(host, busy)
            if request is not None:
                return request
        if len(self.leases) < share:
            for raw in self.server.srandmember(keys.HOSTS, 16):
                host = raw.decode()
                if host in self.leases:
                    continue
                if self._acquire(keys=[keys.lease(host), keys.HOSTS], args=[self.coordinator.worker, host, self.coordinator.ttl_ms]):
                    self.leases.append(host)
                    request = self._pop_from(host, busy)
                    if request is not None:
                        return request
                    break
        return None

    def _pop_from(self, host: str, busy: Counter[str]) -> Request | None:
        assert self.coordinator is not None
        reply = self._pop(
            keys=[keys.host_queue(host), keys.HOSTS, keys.lease(host), keys.inflight(self.coordinator.worker)],
            args=[self.coordinator.worker, host, self.coordinator.ttl_ms],
        )
        if reply[0] == 2:
            return self.decode_member(reply[1])
        if reply[0] == 0:  # lease expired (a stalled worker): another worker may own the host now
            self.leases.remove(host)
        elif not busy[host]:
            self._give_back(host)
        return None

    def _give_back(self, host: str) -> None:
        assert self.coordinator is not None
        self.leases.remove(host)
        linger_ms = int(self.coordinator.delay_for(host) * 1000)
        self._release(keys=[keys.lease(host)], args=[self.coordinator.worker, linger_ms])

    def _busy(self) -> Counter[str]:
        assert self.coordinator is not None
        return Counter(request_host(r.url) for r in self.coordinator.downloading())

    def _share(self) -> int:
        computed_at, share = self._fair_share
        if time.monotonic() - computed_at > 1.0:
            pipe = self.server.pipeline(transaction=False)
            pipe.scard(keys.HOSTS).scard(keys.WORKERS)
            hosts, workers = pipe.execute()
            share = max(1, math.ceil(hosts / max(1, workers)))
            self._fair_share = (time.monotonic(), share)
        return share

    def renew(self) -> None:
        """Extend this worker's leases (heartbeat); forget any it lost."""
        assert self.coordinator is not None
        for host in list(self.leases):
            if not self._renew(keys=[keys.lease(host)], args=[self.coordinator.worker, self.coordinator.ttl_ms]):
                self.leases.remove(host)

    def release_all(self) -> None:
        """Give back every lease (clean shutdown)."""
        for host in list(self.leases):
            self._give_back(host)


def slot_table(raw: dict[bytes, bytes]) -> dict[str, dict[str, Any]]:
    """``DOWNLOAD_SLOTS`` from the ``newsarchive:slots`` hash the seeder writes."""
    return {host.decode(): json.loads(value) for host, value in raw.items()}
