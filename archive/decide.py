"""The version decision: a pure function of the latest stored version and a new extraction."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Outcome(str, Enum):
    """What a capture did to its article."""

    NEW = "new"  # first version of the article
    UPDATED = "updated"  # a new version after an earlier one
    UNCHANGED = "unchanged"  # same content as the latest version
    FAILED = "failed"  # no article could be extracted (or the fetch failed)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str | None = None


def decide(latest_hash: str | None, new_hash: str | None, failure: str | None = None) -> Decision:
    """Decide what a capture means for its article.

    ``latest_hash`` is the content hash of the article's latest version (None before the first one),
    ``new_hash`` the hash of the new extraction (None when extraction failed), ``failure`` the reason
    code of a failed fetch or extraction. A failure never replaces a version.

    >>> decide(None, "sha256:a").outcome
    <Outcome.NEW: 'new'>
    >>> decide("sha256:a", "sha256:a").outcome
    <Outcome.UNCHANGED: 'unchanged'>
    >>> decide("sha256:a", None, "paywall")
    Decision(outcome=<Outcome.FAILED: 'failed'>, reason='paywall')
    """
    if failure or new_hash is None:
        return Decision(Outcome.FAILED, failure or "no-article")
    if latest_hash is None:
        return Decision(Outcome.NEW)
    if latest_hash == new_hash:
        return Decision(Outcome.UNCHANGED)
    return Decision(Outcome.UPDATED)
