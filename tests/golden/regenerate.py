"""Rewrite each golden page's expected JSON from what the extractor now returns, then review ``git diff``.

    python -m tests.golden.regenerate            # every page
    python -m tests.golden.regenerate wp-yoast-en  # some pages

The expected values are meant to be the TRUE values designed into each page. Accept a change only when
the new value is right; when the extractor is wrong, revert that line and name the field in the page's
``known_wrong`` (with the reason): the golden test then expects it to stay wrong (xfail, strict) until fixed.
Fields listed in ``known_wrong`` are never overwritten. ``scores`` prints the per-field table; update
tests/golden/baseline.json with ``--baseline`` after an improvement.
"""

from __future__ import annotations

import json
import sys

from . import score


def main(argv: list[str]) -> None:
    names = [arg for arg in argv if not arg.startswith("--")]
    changed = 0
    for case in score.cases():
        if names and case.name not in names:
            continue
        actual = score.extract(case)
        spec = dict(case.spec)
        expected = dict(spec["expected"])
        for name in score.FIELDS:
            if name not in case.known_wrong:
                expected[name] = actual[name]
        if expected != spec["expected"]:
            changed += 1
            spec["expected"] = expected
            path = score.GOLDEN / f"{case.name}.json"
            path.write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"updated {path.name}")
    print(f"{changed} expected file(s) changed; review them with git diff")
    if "--baseline" in argv:
        scores = score.score()
        score.BASELINE.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {score.BASELINE.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
