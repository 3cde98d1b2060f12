"""Screenshots of the web view for docs/archivist.md, taken in Chromium on the tests' archive (tests/webarchive.py).

    python -m tests.screenshots docs/img        # needs Debian's chromium; pngquant (apt) makes the PNGs small

Not part of the test suite: the browser tests (tests/test_browser.py) check the same pages.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

from .served import serving
from .test_browser import CHROMIUM, CHROMIUM_ARGS
from .webarchive import BUDGET, build

# name: (path, viewport width, height of the picture: None for the whole page)
SHOTS = {
    "web-article": (f"/-/article?url={quote(BUDGET, safe='')}&v1=1&v2=3", 1280, 1380),
    "web-article-narrow": (f"/-/article?url={quote(BUDGET, safe='')}&v1=1&v2=3#diff", 760, None),
    "web-changes": ("/-/changes", 1280, 1000),
    "web-search": ("/-/search?q=harbour", 1280, 760),
    "web-capture": ("/-/capture/3", 1280, 820),
    "web-history-query": ("/news/article_history?url=" + quote(BUDGET + "?utm_source=x", safe=""), 1280, None),
    "web-versions-table": ("/news/versions?_size=4&_sort_desc=id", 1280, 1300),
}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = build(Path(tmp) / "news.db", "http://127.0.0.1:9")  # nothing answers there; nothing is asked anyway
        with serving(db, "--replay-url", "http://127.0.0.1:8080/news/") as (port, _), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, (path, width, height) in SHOTS.items():
                page = browser.new_page(viewport={"width": width, "height": height or 900})
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_load_state("networkidle")
                target = out / f"{name}.png"
                if name == "web-article-narrow":
                    page.locator("#diff").screenshot(path=str(target))
                else:
                    page.screenshot(path=str(target), full_page=height is None)
                page.close()
                _shrink(target)
                print(f"{target} ({target.stat().st_size // 1024} KB)")
            browser.close()


def _shrink(png: Path) -> None:
    if shutil.which("pngquant"):
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--quality", "70-95", "--output", str(png), str(png)],
                       check=False)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
