"""Score the extractor on the golden pages: per-field accuracy against the designed true values.

Used by tests/test_golden.py (the quality gate) and by ``python -m tests.golden.score`` (prints the table).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.model import EntryHints

GOLDEN = Path(__file__).parent
BASELINE = GOLDEN / "baseline.json"
# The golden pages are dated 2023–2024; the clock is frozen after them so "future" means after this.
NOW = "2025-01-01T00:00:00Z"
FIELDS = (
    "title", "title_source", "authors", "author_source",
    "published_at", "published_source", "published_precision", "published_offset",
    "modified_at", "modified_source", "modified_precision", "modified_offset",
)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Case:
    name: str
    html: bytes
    spec: dict[str, Any]

    @property
    def expected(self) -> dict[str, Any]:
        return self.spec["expected"]

    @property
    def known_wrong(self) -> dict[str, str]:
        return self.spec.get("known_wrong", {})


def cases() -> list[Case]:
    """Every golden page with its expected JSON, sorted by name."""
    return [
        Case(path.stem, path.with_suffix(".html").read_bytes(), json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(GOLDEN.glob("*.json"))
        if path.with_suffix(".html").exists()
    ]


def extract(case: Case) -> dict[str, Any]:
    """Run the extractor on a golden page (clock frozen at NOW) and return the scored fields + ``text``."""
    from scraper.extraction import extract_article

    given = case.spec["input"]
    before = os.environ.get("NEWSARCHIVE_NOW")
    os.environ["NEWSARCHIVE_NOW"] = NOW
    try:
        result = extract_article(
            case.html, given["url"], last_modified=given.get("last_modified"),
            hints=EntryHints(**given.get("hints", {})),
        )
    finally:
        if before is None:
            del os.environ["NEWSARCHIVE_NOW"]
        else:
            os.environ["NEWSARCHIVE_NOW"] = before
    found = result.extraction
    if found is None:
        return {"failure": result.failure, **{name: None for name in FIELDS}, "text": ""}
    row = {name: getattr(found, name, None) for name in FIELDS}
    if not hasattr(found, "authors"):  # the core extractor had only the joined string
        row["authors"] = [part.strip() for part in (found.author or "").split(";") if part.strip()]
    row["authors"] = list(row["authors"] or [])
    row["text"] = found.text
    return row


def field_matches(name: str, expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    """Whether one extracted field equals its true value (a day-only date matches on the day)."""
    want, got = expected[name], actual[name]
    if name in ("published_at", "modified_at") and want and got:
        if expected[name.replace("_at", "_precision")] == "day":
            return got[:10] == want
    return want == got


def text_scores(truth: str, text: str | None) -> tuple[float, float]:
    """Bag-of-words precision and recall of extracted text against the true body."""
    want = Counter(_WORD.findall(truth.lower()))
    got = Counter(_WORD.findall((text or "").lower()))
    common = sum((want & got).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    return precision, recall


def score() -> dict[str, float]:
    """Accuracy per field over all golden pages, plus text precision/recall/F1 (means), rounded to 4 places."""
    all_cases = cases()
    hits = Counter()
    precisions, recalls = [], []
    for case in all_cases:
        actual = extract(case)
        for name in FIELDS:
            hits[name] += field_matches(name, case.expected, actual)
        precision, recall = text_scores(case.spec["text"], actual["text"])
        precisions.append(precision)
        recalls.append(recall)
    total = len(all_cases)
    scores = {name: round(hits[name] / total, 4) for name in FIELDS}
    p, r = sum(precisions) / total, sum(recalls) / total
    scores.update(text_precision=round(p, 4), text_recall=round(r, 4), text_f1=round(2 * p * r / (p + r) if p + r else 0.0, 4))
    return scores


def main() -> None:
    """Print the table; ``--favor-precision=false`` (or ``--favor-recall``) scores other trafilatura settings."""
    from scraper.extraction import article

    for arg in sys.argv[1:]:
        if arg.startswith("--favor-precision="):
            article._OPTIONS["favor_precision"] = arg.split("=", 1)[1].lower() == "true"
        elif arg == "--favor-recall":
            article._OPTIONS.update(favor_precision=False, favor_recall=True)
    scores = score()
    width = max(map(len, scores))
    for name, value in scores.items():
        print(f"{name:<{width}}  {value:.4f}")
    if "--json" in sys.argv:
        print(json.dumps(scores, indent=2))


if __name__ == "__main__":
    main()
