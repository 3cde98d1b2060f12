"""The web view in a real browser: Playwright driving Debian's Chromium against `newsarchive serve`.

One browser and one server for the module. Chromium comes from apt (`.ci/run` installs it); Playwright cannot
download browsers here, so it is launched by path. Without it the tests are skipped locally and fail on CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from archive import Archive

from .served import serving
from .server import LocalSite
from .webarchive import BEACONS, BUDGET, FESTIVAL, HARBOUR, MINISTER

CHROMIUM = os.environ.get("NEWSARCHIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 800, "height": 900}


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run installs it (apt-get install chromium; pip install -e .[dev])")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed")
    if not shutil.which(CHROMIUM):
        _missing(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def web(web_archive: Path) -> Iterator[str]:
    with serving(web_archive) as (port, _):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=WIDE)  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


def article(web: str, url: str) -> str:
    return f"{web}/-/article?url={quote(url, safe='')}"


def test_pick_two_versions_and_read_the_diff(page: object, web: str) -> None:
    page.goto(article(web, BUDGET))
    assert page.locator("table.na-timeline tbody tr").count() == 3
    page.check("input[name=v1][value='1']")
    page.check("input[name=v2][value='3']")
    page.click("text=Compare the two versions picked")
    page.wait_for_url("**v1=1&v2=3#diff")
    assert page.inner_text("#diff h2") == "What changed: v1 → v3"
    side, inline = page.locator(".na-diff.na-sbs"), page.locator(".na-diff.na-inline")
    assert side.is_visible() and not inline.is_visible()  # a wide screen: side by side
    assert page.locator(".na-sbs .na-old del").all_inner_texts()[:2] == ["six", "will see"]
    assert page.locator(".na-sbs .na-new ins").all_inner_texts()[:2] == ["amended", "four"]
    old, new = page.locator(".na-sbs .na-changed .na-old").first, page.locator(".na-sbs .na-changed .na-new").first
    assert old.bounding_box()["y"] == new.bounding_box()["y"]  # old and new paragraphs stand level
    assert old.bounding_box()["x"] < new.bounding_box()["x"]
    deleted = page.locator(".na-sbs del").first.evaluate("e => getComputedStyle(e).backgroundColor")
    inserted = page.locator(".na-sbs ins").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert (deleted, inserted) == ("rgb(255, 235, 233)", "rgb(215, 245, 221)")
    page.set_viewport_size(NARROW)
    assert inline.is_visible() and not side.is_visible()  # a narrow one: inline, as the CLI prints it
    assert "Correction: an earlier version" in inline.locator("ins").all_inner_texts()[-1]


def test_search_and_open_a_hit(page: object, web: str) -> None:
    page.goto(f"{web}/-/search")
    page.fill("input[name=q]", "cables")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/-/search?q=cables**")
    hits = page.locator("ol.na-results > li")
    assert hits.count() == 1
    assert hits.locator("mark").all_inner_texts() == ["cables"]
    hits.locator("h2 a").click()
    page.wait_for_url(f"**/-/article?url={quote(HARBOUR, safe='')}")
    assert page.inner_text("h1") == "Harbour storm closes bridge"
    assert "Only one version so far" in page.inner_text("#diff")


def test_recent_changes_filter_and_follow_an_edit(page: object, web: str) -> None:
    page.goto(f"{web}/-/changes")
    edits = page.locator("li.na-edit")
    assert edits.count() == 5
    page.select_option("select[name=source]", "wire")
    page.click("text=Show")
    page.wait_for_url("**/-/changes?source=wire**")
    assert edits.locator("h2").all_inner_texts() == ["Minister to visit harbour"] * 2
    assert edits.first.locator(".na-flag-revert").inner_text() == "back to v1"
    edits.first.locator("h2 a").click()
    page.wait_for_url(f"**/-/article?url={quote(MINISTER, safe='')}&v1=2&v2=3#diff")
    assert page.inner_text("#diff h2") == "What changed: v2 → v3"
    assert page.locator(".na-sbs .na-old del").all_inner_texts() == ["Thursday"]
    assert page.locator(".na-sbs .na-new ins").all_inner_texts() == ["Friday"]


def _festival_capture(db: Path) -> int:
    with Archive(db, readonly=True) as archive:
        found = archive.article_by_url(FESTIVAL)
        return archive.db.execute("select min(id) from captures where article_id = ?", [found["id"]]).fetchone()[0]


def test_an_archived_page_stays_inert(page: object, web: str, web_archive: Path, beacon_site: LocalSite) -> None:
    capture_id = _festival_capture(web_archive)
    loaded: list[str] = []  # requests that got an answer (Chromium also reports the ones CSP blocked)
    page.on("requestfinished", lambda request: loaded.append(request.url))
    before = {path: beacon_site.hits(path) for path in BEACONS}

    page.goto(f"{web}/-/capture/{capture_id}")
    frame = page.frame_locator("iframe.na-frame")
    assert frame.locator("h1").inner_text() == "Summer festival returns to the market hall"
    page.wait_for_load_state("networkidle")
    page.goto(f"{web}/-/capture/{capture_id}/raw")  # the body alone, as a top-level page: inert too
    assert page.inner_text("h1") == "Summer festival returns to the market hall"
    page.wait_for_load_state("networkidle")
    assert page.title() != "SCRIPT RAN"
    assert {path: beacon_site.hits(path) for path in BEACONS} == before
    assert [url for url in loaded if url.startswith(beacon_site.base)] == []

    page.goto(beacon_site.url("/live/festival"))  # the same page served live does call the server
    page.wait_for_load_state("networkidle")
    assert beacon_site.hits("/beacon") > before["/beacon"] and beacon_site.hits("/pixel.png") > before["/pixel.png"]
