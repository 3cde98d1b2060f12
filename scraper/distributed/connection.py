"""Opening Redis lazily, so a single-machine crawl never imports it."""

from __future__ import annotations

from typing import Any


class RedisUnavailable(Exception):
    """Redis cannot be reached at the URL given; the message names the URL and the fix."""


class NotSeeded(Exception):
    """A worker started before any pass was seeded (no sources file in Redis)."""


def connect(url: str) -> Any:
    """A ``redis.Redis`` client for ``url`` (bytes responses), checked with PING."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30, retry_on_timeout=True)
        client.ping()
    except ValueError as exc:
        raise RedisUnavailable(f"{url}: not a Redis URL ({exc}); use redis://HOST:6379/0") from None
    except redis.RedisError as exc:
        raise RedisUnavailable(f"{url}: cannot reach Redis ({exc}); is redis-server running?") from None
    return client
