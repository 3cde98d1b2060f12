"""Version decisions: noise is not a version, a return to earlier text records what it reverts to."""

from __future__ import annotations

import pytest

from archive import Extraction, Outcome, decide
from archive.content import content_hash

A, B, C = "sha256:a", "sha256:b", "sha256:c"

CASES = [
    # latest, new, failure, earlier, unchanged → outcome, reason, reverts_to
    (None, A, None, {}, None, Outcome.NEW, None, None),
    (A, A, None, {A: 1}, None, Outcome.UNCHANGED, None, None),
    (A, B, None, {A: 1}, None, Outcome.UPDATED, None, None),
    (B, A, None, {A: 1, B: 2}, None, Outcome.UPDATED, None, 1),  # A → B → A
    (A, B, None, {B: 2, A: 3}, None, Outcome.UPDATED, None, 2),  # A → B → A → B reverts to 2, the latest B
    (C, A, None, {A: 1, B: 2, C: 3}, None, Outcome.UPDATED, None, 1),
    (A, None, "paywall", {A: 1}, None, Outcome.FAILED, "paywall", None),
    (A, None, None, {A: 1}, "not-modified", Outcome.UNCHANGED, "not-modified", None),
    (A, None, None, {A: 1}, "same-body", Outcome.UNCHANGED, "same-body", None),
    (None, None, None, {}, "not-modified", Outcome.FAILED, "not-modified-without-version", None),
]


@pytest.mark.parametrize("latest,new,failure,earlier,unchanged,outcome,reason,reverts_to", CASES)
def test_decide(latest, new, failure, earlier, unchanged, outcome, reason, reverts_to) -> None:  # noqa: ANN001
    decision = decide(latest, new, failure, earlier=earlier, unchanged=unchanged)
    assert (decision.outcome, decision.reason, decision.reverts_to) == (outcome, reason, reverts_to)


@pytest.mark.parametrize(
    "variant",
    [
        "Council  approves\nthe budget.\n\n Vote was 7 to 2. ",  # whitespace only
        "Council approves the budget.\u00a0Vote was 7 to 2.",  # no-break space
        "Council approves the budget. Vote was ７ to ２.",  # full-width digits (NFKC)
        "Council approves the budget. Vote was 7 to 2.",  # identical
    ],
)
def test_whitespace_and_unicode_normalisation_are_not_versions(variant: str) -> None:
    base = Extraction(text="Council approves the budget. Vote was 7 to 2.", title="Budget")
    assert content_hash(Extraction(text=variant, title="Budget ")) == content_hash(base)


def test_a_real_edit_is_a_version() -> None:
    base = Extraction(text="Council approves the budget. Vote was 7 to 2.", title="Budget")
    assert content_hash(Extraction(text="Council approves the budget. Vote was 8 to 1.", title="Budget")) != content_hash(base)
