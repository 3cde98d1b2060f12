"""The archive's one clock: every timestamp newsarchive writes comes from here.

``NEWSARCHIVE_NOW`` (ISO 8601) freezes it, so schedules and version timestamps can be tested and replayed
without sleeping.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Current time in UTC, or the frozen time from ``$NEWSARCHIVE_NOW``."""
    frozen = os.environ.get("NEWSARCHIVE_NOW")
    if frozen:
        return parse_iso(frozen)
    return datetime.now(timezone.utc)


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 timestamp; a naive one is taken as UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def iso(moment: datetime) -> str:
    """Format as the archive stores timestamps: ``2024-03-01T01:47:00Z`` (UTC, seconds)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    """``iso(utcnow())``."""
    return iso(utcnow())
