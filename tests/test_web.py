"""The web view (archive/web), driven through Datasette's own client on a real archive file, loaded the way
`datasette archive.db` loads it: through the `datasette` entry point."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from html import unescape
from urllib.parse import quote

import feedparser
import httpx
import pytest
from datasette.app import Datasette
from lxml import html as lxml_html

from archive import Archive

from .webarchive import BUDGET, BUDGET_AMP, FESTIVAL, HARBOUR, HOME, MINISTER, T

Get = Callable[..., httpx.Response]


def client_for(db: Path, metadata: dict[str, Any] | None = None) -> tuple[Get, asyncio.AbstractEventLoop]:
    """A Datasette over ``db`` as `datasette db` builds it, and a synchronous GET through its ASGI client."""
    datasette = Datasette([str(db)], metadata=metadata)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(datasette.invoke_startup())

    def get(path: str, **kwargs: Any) -> httpx.Response:
        return loop.run_until_complete(datasette.client.get(path, **kwargs))

    get.datasette = datasette  # type: ignore[attr-defined]
    return get, loop


@pytest.fixture(scope="module")
def get(web_archive: Path) -> Iterator[Get]:
    client, loop = client_for(web_archive)
    yield client
    loop.close()


def page(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text[:500]
    return lxml_html.fromstring(response.text)


def texts(tree: Any, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in tree.xpath(xpath)]


def article_url(url: str, **params: Any) -> str:
    return f"/-/article?url={quote(url, safe='')}" + "".join(f"&{k}={v}" for k, v in params.items())


# -- the plugin ------------------------------------------------------------------------------------


def test_datasette_loads_the_plugin_from_its_entry_point(get: Get) -> None:
    plugins = {p["name"]: p for p in get("/-/plugins.json").json()}
    assert plugins["newsarchive"]["templates"] is True and plugins["newsarchive"]["static"] is True
    assert {"register_routes", "render_cell", "get_metadata", "prepare_connection"} <= set(plugins["newsarchive"]["hooks"])
    assert get("/-/static-plugins/newsarchive/newsarchive.css").status_code == 200


def test_pages_answer_only_get(get: Get) -> None:
    datasette = get.datasette  # type: ignore[attr-defined]
    loop = asyncio.new_event_loop()
    try:
        response = loop.run_until_complete(datasette.client.post(article_url(BUDGET), data={"x": "1"}))
    finally:
        loop.close()
    assert response.status_code in (403, 405)  # Datasette's CSRF check, or ours


# -- the article page -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [BUDGET, "HTTP://News.Test/politics/budget?utm_source=x#top", BUDGET_AMP])
def test_article_page_is_reached_by_any_alias(get: Get, url: str) -> None:
    tree = page(get(article_url(url)))
    assert texts(tree, "//h1") == ["Council passes amended budget"]
    assert texts(tree, "//p[@class='na-url']/a") == [BUDGET]
    assert texts(tree, "//details[@class='na-aliases']//li/span[@class='na-url']") == [BUDGET_AMP]


def test_article_timeline_shows_each_version_with_dates_and_changes(get: Get) -> None:
    tree = page(get(article_url(BUDGET)))
    rows = tree.xpath("//table[@class='na-timeline']/tbody/tr")
    assert [texts(row, "./th")[0] for row in rows] == ["v1", "v2", "v3"]
    seen = [row.xpath("./td[1]//time/@datetime") for row in rows]
    assert seen == [[T[1], T[2]], [T[3]], [T[8]]]  # first seen, and last seen when it differs
    declared = [row.xpath("./td[2]//time/@datetime") for row in rows]
    assert declared == [["2024-05-01T07:30:00Z"], ["2024-05-01T07:30:00Z", "2024-05-02T06:40:00Z"],
                        ["2024-05-01T07:30:00Z", "2024-05-04T10:50:00Z"]]
    assert texts(rows[1], ".//span[@class='na-flag']") == ["title changed"]
    assert texts(rows[2], ".//span[@class='na-flag']") == ["author changed"]
    assert [texts(row, "./td[5]") for row in rows] == [["first version"], ["+11 −7"], ["+24 −0"]]
    assert rows[0].xpath(".//a[text()='as archived']/@href") == ["/-/capture/1"]


def test_article_timeline_marks_a_return_to_an_earlier_version(get: Get) -> None:
    tree = page(get(article_url(MINISTER)))
    rows = tree.xpath("//table[@class='na-timeline']/tbody/tr")
    assert [texts(row, ".//span[contains(@class, 'na-flag-revert')]") for row in rows] == [[], [], ["back to v1"]]


def test_article_diff_defaults_to_the_last_edit(get: Get) -> None:
    tree = page(get(article_url(BUDGET)))
    assert texts(tree, "//section[@id='diff']/h2") == ["What changed: v2 → v3"]
    inserted = texts(tree, "//div[@class='na-diff na-inline']//ins")
    assert inserted == ["Correction: an earlier version of this article said the schools budget would rise by six "
                        "percent. The amended budget raises it by four percent."]
    assert texts(tree, "//div[@class='na-diff na-inline']//del") == []
    assert tree.xpath("//input[@name='v1' and @checked]/@value") == ["2"]
    assert tree.xpath("//input[@name='v2' and @checked]/@value") == ["3"]


def test_article_diff_between_any_two_versions_inline_and_side_by_side(get: Get) -> None:
    tree = page(get(article_url(BUDGET, v1=1, v2=3)))
    assert texts(tree, "//section[@id='diff']/h2") == ["What changed: v1 → v3"]
    assert texts(tree, "//table[@class='na-fields']//th") == ["title", "author", "declared update"]
    assert texts(tree, "//table[@class='na-fields']//tr[1]//ins") == ["amended"]
    inline = tree.xpath("//div[@class='na-diff na-inline']")[0]
    assert texts(inline, ".//del")[:2] == ["six", "will see"]
    assert texts(inline, ".//ins")[:2] == ["amended", "four"]
    side = tree.xpath("//div[@class='na-diff na-sbs']")[0]
    assert texts(side, ".//div[@class='na-old']//del") == texts(inline, ".//del")  # one diff, two layouts
    assert texts(side, ".//div[@class='na-new']//ins") == texts(inline, ".//ins")
    assert texts(side, ".//div[@class='na-old']//ins") == texts(side, ".//div[@class='na-new']//del") == []
    changed = side.xpath(".//div[@class='na-row na-changed']")
    assert texts(changed[-1], "./div[@class='na-old']") == [""]  # the correction is new: nothing on the left
    assert texts(changed[-1], "./div[@class='na-new']")[0].startswith("Correction:")


def test_article_page_holds_every_version_text_and_capture(get: Get) -> None:
    tree = page(get(article_url(BUDGET)))
    versions = tree.xpath("//details[@class='na-version']")
    assert [v.get("id") for v in versions] == ["v3", "v2", "v1"]
    assert texts(versions[2], ".//div[@class='na-text']/p")[0].startswith("The city council passed its budget")
    assert len(versions[0].xpath(".//div[@class='na-text']/p")) == 5
    captures = tree.xpath("//details[contains(@class, 'na-captures')]//tbody/tr")
    assert [row.xpath("./td[1]//time/@datetime")[0] for row in captures] == [T[1], T[2], T[3], T[8]]
    assert "replay" not in texts(tree, "//details[contains(@class, 'na-captures')]")[0]  # no pywb configured


def test_unknown_article_and_bad_versions_are_clear_errors(get: Get) -> None:
    missing = get(article_url("http://news.test/nope"))
    assert missing.status_code == 404
    assert "no article with URL 'http://news.test/nope' in this archive" in unescape(missing.text)
    assert get(article_url(BUDGET, v1=9)).status_code == 404
    assert "has no version 9 (versions 1–3)" in unescape(get(article_url(BUDGET, v1=9)).text)
    assert get(article_url(BUDGET, v1="x")).status_code == 400
    assert get("/-/article").status_code == 400


def test_replay_links_follow_pywb_url_scheme_when_configured(web_archive: Path) -> None:
    client, loop = client_for(web_archive, {"plugins": {"newsarchive": {"replay_url": "http://127.0.0.1:8080/news"}}})
    try:
        tree = page(client(article_url(BUDGET)))
        capture = page(client("/-/capture/1"))
    finally:
        loop.close()
    links = tree.xpath("//a[text()='replay']/@href")
    assert links[0] == f"http://127.0.0.1:8080/news/20240501090000/{BUDGET}"
    assert len(links) == 4
    assert capture.xpath("//a[text()='replay in pywb']/@href") == [links[0]]


# -- a capture as archived --------------------------------------------------------------------------


def festival_capture(web_archive: Path) -> int:
    with Archive(web_archive, readonly=True) as archive:
        row = archive.db.execute("select min(c.id) from captures c join articles a on a.id = c.article_id"
                                 " where a.url = ?", [FESTIVAL]).fetchone()
        return row[0]


def test_capture_page_frames_the_page_sandboxed(get: Get, web_archive: Path) -> None:
    capture_id = festival_capture(web_archive)
    response = get(f"/-/capture/{capture_id}")
    tree = page(response)
    frame = tree.xpath("//iframe")[0]
    assert frame.get("sandbox") == "" and frame.get("src") == f"/-/capture/{capture_id}/raw"
    assert "frame-src 'self'" in response.headers["content-security-policy"]
    assert texts(tree, "//h1") == ["Fetched 2024-05-01 09:00"]


def test_archived_body_is_served_as_stored_and_inert(get: Get, web_archive: Path) -> None:
    capture_id = festival_capture(web_archive)
    response = get(f"/-/capture/{capture_id}/raw")
    assert response.status_code == 200
    with Archive(web_archive, readonly=True) as archive:
        assert response.content == archive.capture_body(capture_id)
    assert b"<script>fetch(" in response.content
    policy = [part.strip() for part in response.headers["content-security-policy"].split(";")]
    assert policy[:2] == ["sandbox", "default-src 'none'"]
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_capture_without_a_page_says_so(get: Get, web_archive: Path) -> None:
    with Archive(web_archive, readonly=True) as archive:
        failed = archive.db.execute("select id from captures where status = 404").fetchone()[0]
    assert "stored no page" in get(f"/-/capture/{failed}").text
    assert get(f"/-/capture/{failed}/raw").status_code == 404
    assert get("/-/capture/999999").status_code == 404


# -- recent changes ---------------------------------------------------------------------------------


def edit_rows(tree: Any) -> list[tuple[str, str, str]]:
    """(first seen, title, link) of each edit listed."""
    return [(item.xpath(".//div[@class='na-edit-when']/time/@datetime")[0], texts(item, ".//h2")[0],
             item.xpath(".//h2/a/@href")[0]) for item in tree.xpath("//li[@class='na-edit']")]


def test_recent_changes_lists_edits_newest_first_without_home_pages(get: Get) -> None:
    rows = edit_rows(page(get("/-/changes")))
    assert [(when, title) for when, title, _ in rows] == [
        (T[8], "Council passes amended budget"), (T[7], "Minister to visit harbour"),
        (T[5], "Summer festival returns to the market hall"), (T[4], "Minister to visit harbour"),
        (T[3], "Council passes amended budget")]
    assert rows[0][2] == article_url(BUDGET, v1=2, v2=3) + "#diff"
    assert HOME not in texts(page(get("/-/changes")), "//li[@class='na-edit']//p[@class='na-url']")


def test_recent_changes_say_what_changed(get: Get) -> None:
    items = page(get("/-/changes")).xpath("//li[@class='na-edit']")
    assert texts(items[4], ".//span[@class='na-flag']") == ["title changed", "declared update changed"]
    assert texts(items[4], ".//p[@class='na-was']/del") == ["Council passes budget"]
    assert texts(items[4], ".//span[@class='na-words']") == ["+11 −7"]
    assert texts(items[1], ".//span[contains(@class, 'na-flag-revert')]") == ["back to v1"]
    assert texts(items[1], ".//p[@class='na-preview']/del") == ["Thursday"]
    assert texts(items[1], ".//p[@class='na-preview']/ins") == ["Friday"]


def test_recent_changes_filter_by_source_and_time_and_page_on(get: Get) -> None:
    assert [title for _, title, _ in edit_rows(page(get("/-/changes?source=wire")))] == ["Minister to visit harbour"] * 2
    since = edit_rows(page(get("/-/changes?since=2024-05-03")))
    assert [when for when, _, _ in since] == [T[8], T[7], T[5]]
    until = edit_rows(page(get("/-/changes?since=2024-05-02&until=2024-05-04")))
    assert [when for when, _, _ in until] == [T[5], T[4], T[3]]
    first = page(get("/-/changes?limit=2"))
    older = first.xpath("//a[text()='Older changes →']/@href")[0]
    assert [when for when, _, _ in edit_rows(first)] == [T[8], T[7]]
    assert [when for when, _, _ in edit_rows(page(get(older)))] == [T[5], T[4]]
    assert get("/-/changes?since=yesterday").status_code == 400


# -- search -----------------------------------------------------------------------------------------


def test_search_highlights_hits_in_html_and_links_article_pages(get: Get) -> None:
    tree = page(get("/-/search?q=harbour"))
    results = tree.xpath("//ol[@class='na-results']/li")
    links = [item.xpath(".//h2/a/@href")[0] for item in results]
    assert sorted(links) == sorted(article_url(url) for url in (BUDGET, HARBOUR, MINISTER))
    assert all(texts(item, ".//p[@class='na-snippet']/mark") for item in results)
    assert {m.lower() for item in results for m in texts(item, ".//mark")} == {"harbour"}
    assert "**" not in tree.xpath("string(//ol[@class='na-results'])")
    budget = next(item for item in results if item.xpath(".//h2/a/@href")[0] == article_url(BUDGET))
    assert texts(budget, ".//span[contains(@class, 'na-flag-edited')]") == ["3 versions"]
    assert texts(budget, ".//span[starts-with(., 'matches in')]/a") == ["v1", "v2", "v3"]


def test_search_never_lists_pages_that_are_not_articles(get: Get) -> None:
    tree = page(get("/-/search?q=marathon"))  # only the home page's second version says it
    assert tree.xpath("//ol[@class='na-results']/li") == []
    assert "No article matches" in texts(tree, "//p[@class='na-empty']")[0]


def test_search_filters(get: Get) -> None:
    def found(query: str) -> set[str]:
        tree = page(get(f"/-/search?q=harbour&{query}"))
        return {texts(item, ".//p[@class='na-url']")[0] for item in tree.xpath("//ol[@class='na-results']/li")}

    assert found("source=wire") == {HARBOUR, MINISTER}
    assert found("edited=1") == {BUDGET, MINISTER}
    assert found("since=2024-05-02") == {BUDGET, MINISTER}
    assert found("until=2024-05-01T10:00:00Z") == {BUDGET, HARBOUR}


def test_search_escapes_and_reports_bad_queries(get: Get) -> None:
    tree = page(get('/-/search?q=budget "unclosed'))
    assert "is not a valid search query" in texts(tree, "//p[@class='na-error-box']")[0]
    hostile = get("/-/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in hostile.text and "&lt;script&gt;alert(1)" in hostile.text


# -- Atom feeds of changes ----------------------------------------------------------------------------


def test_changes_feed_is_valid_atom_with_the_diff_inside(get: Get) -> None:
    response = get("/-/changes.atom")
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "Changes across the archive"
    assert [e.updated for e in feed.entries] == [t.replace("Z", "+00:00") for t in (T[8], T[7], T[5], T[4], T[3])]
    first = feed.entries[0]
    assert first.title == "Council passes amended budget (v3): author changed; declared update changed; +24 −0 words"
    assert first.link == "http://localhost" + article_url(BUDGET, v1=2, v2=3)
    content = first.content[0]
    assert content.type == "text/html"
    assert "<ins>Correction: an earlier version" in content.value and "<table" in content.value
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries) and len({e.id for e in feed.entries}) == 5


def test_changes_feeds_per_source_and_per_article(get: Get) -> None:
    wire = feedparser.parse(get("/-/changes.atom?source=wire").content)
    assert wire.bozo == 0 and wire.feed.title == "Changes in wire"
    assert [e.title.split(" (")[0] for e in wire.entries] == ["Minister to visit harbour"] * 2
    article = feedparser.parse(get("/-/changes.atom?url=" + quote(BUDGET_AMP, safe="")).content)
    assert article.bozo == 0 and article.feed.title == f"Changes to {BUDGET}"
    assert [e.title.split(": ")[0] for e in article.entries] == [
        "Council passes amended budget (v3)", "Council passes amended budget (v2)"]
    everything = feedparser.parse(get("/-/changes.atom").content)
    assert {e.id for e in article.entries} < {e.id for e in everything.entries}
    assert len({wire.feed.id, article.feed.id, everything.feed.id}) == 3
    assert get("/-/changes.atom?url=http%3A%2F%2Fnews.test%2Fnope").status_code == 404


def test_changes_feed_answers_conditional_get_with_304(get: Get) -> None:
    first = get("/-/changes.atom")
    tag = first.headers["etag"]
    assert tag.startswith('"') and get("/-/changes.atom").content == first.content
    again = get("/-/changes.atom", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert get("/-/changes.atom", headers={"If-None-Match": f'"other", W/{tag}'}).status_code == 304
    assert get("/-/changes.atom", headers={"If-None-Match": '"other"'}).status_code == 200
    assert get("/-/changes.atom?source=wire").headers["etag"] != tag


def test_feed_ids_do_not_depend_on_the_server(web_archive: Path, tmp_path: Path) -> None:
    other, loop = client_for(web_archive)
    try:
        ids = [e.id for e in feedparser.parse(other("/-/changes.atom", headers={"Host": "archive.example"}).content).entries]
    finally:
        loop.close()
    with Archive(web_archive, readonly=True) as archive:
        from archive.changes import recent_edits

        assert ids == [edit.entry_id for edit in recent_edits(archive.db)]


# -- readable tables ----------------------------------------------------------------------------------


def test_tables_show_short_hashes_and_the_page_as_archived(get: Get) -> None:
    tree = page(get("/news/versions?_size=2"))
    hashes = tree.xpath("//td[contains(@class, 'col-content_hash')]/span[@class='na-hash']")
    assert len(hashes) == 2 and all(len(h.text) == 19 and h.get("title").startswith(h.text) for h in hashes)
    captures = page(get("/news/captures?_size=1"))
    assert captures.xpath("//td[contains(@class, 'col-body')]/a/@href") == ["/-/capture/1"]
    assert "Binary" not in texts(captures, "//td[contains(@class, 'col-body')]")[0]
    articles = page(get("/news/articles?_size=1"))
    assert articles.xpath("//td[contains(@class, 'col-url')]/a[text()='history']/@href") == [article_url(BUDGET)]


@pytest.mark.parametrize("url", [BUDGET, BUDGET + "?utm_source=x", "HTTP://NEWS.test/politics/budget#top", BUDGET_AMP])
def test_article_history_query_resolves_urls_as_the_cli_does(get: Get, url: str) -> None:
    rows = get(f"/news/article_history.json?_shape=array&url={quote(url, safe='')}").json()
    assert [(r["version"], r["first_seen_at"]) for r in rows] == [(1, T[1]), (2, T[3]), (3, T[8])]
    assert rows[0]["content_hash"].startswith("sha256:") and len(rows[0]["content_hash"]) == 19


def test_column_descriptions_are_each_columns_own(get: Get) -> None:
    tables = get("/-/metadata.json").json()["databases"]["news"]["tables"]
    versions = tables["versions"]["columns"]
    assert versions["title"] == "headline without the site-name suffix"
    assert versions["title_source"].startswith("where the title came from: json-ld, meta")
    assert len({versions[name] for name in ("description", "sitename", "language")}) == 3
    assert tables["captures_full"]["columns"]["status"] == tables["captures"]["columns"]["status"]
    assert "<feed url>|<link>" in tables["ingested_tasks"]["columns"]["task"]
