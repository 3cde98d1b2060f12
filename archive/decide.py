"""The version decision: a pure function of the article's stored versions and a new capture."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


# Skipped before any request was sent (host budget, crawl stopping): the article was not checked,
# stays due for the next pass, and no capture is stored.
NOT_ATTEMPTED_REASONS = frozenset({"budget", "stopped"})


class Outcome(str, Enum):
    """What a capture did to its article."""

    NEW = "new"  # first version of the article
    UPDATED = "updated"  # a new version after an earlier one
    UNCHANGED = "unchanged"  # same content as the latest version
    FAILED = "failed"  # no article could be extracted (or the fetch failed)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str | None = None  # FAILED: the failure code; UNCHANGED by a fast path: not-modified | same-body
    reverts_to: int | None = None  # UPDATED back to the content of this earlier version (A → B → A)


def decide(
    latest_hash: str | None,
    new_hash: str | None,
    failure: str | None = None,
    *,
    earlier: Mapping[str, int] | None = None,
    unchanged: str | None = None,
) -> Decision:
    """Decide what a capture means for its article.

    ``latest_hash`` is the content hash of the article's latest version (None before the first one),
    ``new_hash`` the hash of the new extraction (None when extraction failed), ``failure`` the reason
    code of a failed fetch or extraction. A failure never replaces a version. ``earlier`` maps the
    content hashes of the article's older versions to their (latest) version numbers: a return to one
    of them is a new version that records which one it reverts to. ``unchanged`` is the fast path's
    verdict (``not-modified`` for a 304, ``same-body`` for identical raw bytes): no extraction happened.

    >>> decide(None, "sha256:a").outcome
    <Outcome.NEW: 'new'>
    >>> decide("sha256:a", "sha256:a").outcome
    <Outcome.UNCHANGED: 'unchanged'>
    >>> decide("sha256:a", None, "paywall")
    Decision(outcome=<Outcome.FAILED: 'failed'>, reason='paywall', reverts_to=None)
    >>> decide("sha256:b", "sha256:a", earlier={"sha256:a": 1}).reverts_to
    1
    """
    if unchanged is not None:
        if latest_hash is None:
            return Decision(Outcome.FAILED, f"{unchanged}-without-version")
        return Decision(Outcome.UNCHANGED, unchanged)
    if failure or new_hash is None:
        return Decision(Outcome.FAILED, failure or "no-article")
    if latest_hash is None:
        return Decision(Outcome.NEW)
    if latest_hash == new_hash:
        return Decision(Outcome.UNCHANGED)
    return Decision(Outcome.UPDATED, reverts_to=(earlier or {}).get(new_hash))
