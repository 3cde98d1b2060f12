"""Headers of a capture stored as a JSON merge patch (RFC 7396) on an earlier capture's headers.

A recheck's 304 repeats most of the headers the article's last full capture had (Server, ETag,
Last-Modified...); only the Date and a few others differ. Storing the difference keeps an unchanged
check small (docs/performance.md, figure 5b) while every header stays recoverable, in SQL too:
``json_patch(base.headers, headers)`` is SQLite's own RFC 7396 implementation, and the view
``captures_full`` applies it.
"""

from __future__ import annotations

import json
from typing import Any


def dumps(headers: dict[str, Any]) -> str:
    """Headers as stored: compact JSON with sorted keys."""
    return json.dumps(headers, sort_keys=True, separators=(",", ":"))


def merge_patch(base: dict[str, str], headers: dict[str, str]) -> dict[str, str | None]:
    """The RFC 7396 patch turning ``base`` into ``headers`` (null deletes a header ``base`` had)."""
    patch: dict[str, str | None] = {name: value for name, value in headers.items() if base.get(name) != value}
    patch.update({name: None for name in base if name not in headers})
    return patch

