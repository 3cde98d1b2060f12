"""Golden pages: the extractor's metadata against the true values designed into each page, and the quality gate.

Pages and expected JSON live in tests/golden/ (see tests/golden/regenerate.py for how to update them).
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from .golden import score

CASES = score.cases()


@cache
def _scores() -> dict[str, float]:
    return score.score()


def test_the_suite_is_large_and_multilingual() -> None:
    languages = {json.loads((score.GOLDEN / f"{case.name}.json").read_text())["input"]["url"].split("/")[3] for case in CASES}
    assert len(CASES) >= 40 and len(languages) >= 5


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_page(case: score.Case) -> None:
    actual = score.extract(case)
    wrong = {name: (case.expected[name], actual[name]) for name in score.FIELDS
             if not score.field_matches(name, case.expected, actual)}
    unexpected = {name: values for name, values in wrong.items() if name not in case.known_wrong}
    assert unexpected == {}, "fields differ from the true values (expected, extracted)"
    fixed = sorted(set(case.known_wrong) - set(wrong))
    if case.known_wrong:
        assert fixed == [], "known_wrong fields are now right: remove them from known_wrong"
        pytest.xfail("; ".join(f"{name}: {why}" for name, why in case.known_wrong.items()))


@pytest.mark.parametrize("field", [*score.FIELDS, "text_precision", "text_recall", "text_f1"])
def test_quality_gate_no_field_below_baseline(field: str) -> None:
    baseline = json.loads(score.BASELINE.read_text())
    assert _scores()[field] >= baseline[field], f"{field} dropped below tests/golden/baseline.json"
