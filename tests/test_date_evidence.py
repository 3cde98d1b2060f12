"""Table tests for the evidence the date rules weigh: dates read from visible lines, the page's own offset,
the URL's day, tolerant JSON-LD, the language of the text, htmldate's last resort."""

from __future__ import annotations

from datetime import datetime

import pytest

from scraper.extraction import dates, htmldates, language, structured, textdates, zones
from scraper.extraction.moments import Moment

NOW = "2025-01-01T00:00:00Z"
_BODY = "".join(f"<p>{'The council met again on Tuesday to vote on the transport budget. ' * 4}</p>" for _ in range(4))


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSARCHIVE_NOW", NOW)


@pytest.mark.parametrize(
    "text,tag,day,precision",
    [
        ("16.08.2019 Dauer: 1 Stunde 4 Minuten", "de", "2019-08-16", "day"),  # the tail is ignored
        ("Erschienen am: 01.11.2023 Lesungen: 61", "de", None, None),  # a label is not a date: read from the start
        ("23.09.22", "de", "2022-09-23", "day"),  # two-digit year, this century
        ("31.10.98", "de", "1998-10-31", "day"),  # ...unless that would be ahead of the clock
        ("12/04/2024 by Kay", "en-gb", "2024-04-12", "day"),  # British: day first
        ("12/04/2024 by Kay", "en", "2024-12-04", "day"),  # American: month first
        ("3/5/2022 22:41", "es", "2022-05-03", "minute"),
        ("Montag, 3. Februar 2020, 14:05 Uhr", "de", "2020-02-03", "minute"),
        ("4. 2. 2022.", "de", "2022-02-04", "day"),
        ("March 7, 2024 at 3:30 p.m. GMT", "en", "2024-03-07", "minute"),
        ("14:05 am Montag", "de", None, None),  # a time first is dateparser's, not the quick reader's
    ],
)
def test_a_visible_date_is_read_from_the_start_of_its_line(text: str, tag: str, day: str | None, precision: str | None) -> None:
    found = textdates.read(text, tag)
    assert (found.moment.strftime("%Y-%m-%d") if found else None, found.precision if found else None) == (day, precision)


def test_a_date_anywhere_in_a_line_and_the_other_reading_of_an_ambiguous_one() -> None:
    found = textdates.read("Von Deutscher Tennis Bund 4. 2. 2022.", "de", anywhere=True)
    assert found is not None and found.moment == datetime(2022, 2, 4) and found.alternative is None  # dotted: day first
    slashed = textdates.read("Mon, 03/04/2024 - 17:20", "de", anywhere=True)
    assert slashed.moment == datetime(2024, 4, 3, 17, 20) and slashed.alternative.date() == datetime(2024, 3, 4).date()


@pytest.mark.parametrize(
    "utc,local,offset",
    [
        ("2020-02-25T02:25:54Z", datetime(2020, 2, 24, 21, 25), "-05:00"),  # shown to the minute
        ("2023-11-09T05:30:59Z", datetime(2023, 11, 8, 23, 30, 59), "-06:00"),
        ("2024-03-12T13:05:00Z", datetime(2024, 3, 12, 18, 35), "+05:30"),
        ("2024-03-12T13:05:00Z", datetime(2024, 3, 12, 13, 5), None),  # the same clock: UTC indeed
        ("2024-03-12T13:05:00Z", datetime(2024, 3, 12, 15, 12), None),  # not a whole quarter hour away
        ("2024-03-12T13:05:00Z", datetime(2024, 3, 13, 13, 5), None),  # a day away: another moment
    ],
)
def test_a_utc_time_takes_the_offset_of_its_wall_clock_rendering(utc: str, local: datetime, offset: str | None) -> None:
    assert zones.wall_clock_offset(Moment(utc, "second", "+00:00"), local) == offset


def test_the_page_offset_is_found_among_its_machine_timestamps() -> None:
    body = (b'<script>tp.push(["setContentCreated", "2020-02-24T21:25:54-05:00"]);</script>'
            b'<time datetime="2023-11-08 23:30:59">')
    stamps = zones.timestamps(body)
    assert zones.from_timestamps(Moment("2020-02-25T02:25:54Z", "second", "+00:00"), stamps) == "-05:00"
    assert zones.from_timestamps(Moment("2023-11-09T05:30:59Z", "second", "+00:00"), stamps) == "-06:00"
    # a round hour is every midnight's and noon's: no evidence
    assert zones.from_timestamps(Moment("2023-11-09T06:00:00Z", "second", "+00:00"), zones.timestamps(b"2023-11-09 00:00:00")) is None
    # a naive time takes the zone the page writes it with elsewhere
    assert zones.from_timestamps(Moment("2022-05-11T04:10:00Z", "second", None), zones.timestamps(b"2022-05-11T04:10:00-03:00")) == "-03:00"


@pytest.mark.parametrize(
    "url,day",
    [
        ("https://pagesix.com/2020/02/24/former-press-secretary/", "2020-02-24"),
        ("https://www.befifty.de/home/2017/7/12/unter-uns-montauk", "2017-07-12"),
        ("https://example.org/news/2024-03-12-council-vote", "2024-03-12"),
        ("https://example.org/2020/01/management-of-forests", None),  # a month is no day
        ("https://example.org/2019/13/45/x", None),
        ("https://example.org/2031/01/01/x", None),  # the future
    ],
)
def test_the_day_a_url_spells(url: str, day: str | None) -> None:
    found = dates.url_day(url)
    assert (found.value if found else None) == day


@pytest.mark.parametrize(
    "script",
    [
        '{"@type": "NewsArticle", "datePublished": "2024-05-06T08:15:00+02:00"}}',  # one "}" too many
        '{"@type": "NewsArticle", "datePublished": "2024-05-06T08:15:00+02:00"};',
        '{"@type": "NewsArticle", "headline": "Biden "incapacitated"", "datePublished": "2024-05-06T08:15:00+02:00"}',
        "{'@type': 'NewsArticle', 'datePublished': '2024-05-06T08:15:00+02:00',}",
        '<!--\n{"@type": "NewsArticle", "datePublished": "2024-05-06T08:15:00+02:00",}\n-->',
    ],
)
def test_a_json_ld_slip_keeps_the_block(script: str) -> None:
    from scraper.extraction.sanitize import load_page

    page = f'<html><head><script type="application/ld+json">{script}</script></head><body><h1>x</h1></body></html>'
    data = structured.read(load_page(page.encode()), "https://example.org/a")
    assert [node["datePublished"] for node in data.jsonld] == ["2024-05-06T08:15:00+02:00"]


ENGLISH = ("The city council voted late on Tuesday to approve the new transport budget after months of debate. "
           "Officials said the plan would add three bus lines and repair two bridges before the winter.")
GERMAN = ("Der Stadtrat hat am Dienstagabend den neuen Verkehrshaushalt nach monatelanger Debatte beschlossen. "
          "Nach Angaben der Verwaltung sollen drei neue Buslinien entstehen und zwei Brücken saniert werden.")


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("de", ENGLISH, "en"),  # a template's lang="de" on an English article
        ("de", GERMAN, "de"),
        (None, ENGLISH, "en"),  # nothing declared: the text's
        ("de-AT", GERMAN, "de"),
        ("fr", "Short English caption only.", "fr"),  # too little text to overrule the page
    ],
)
def test_language_from_the_text_when_the_declaration_is_obviously_wrong(lang: str | None, text: str, expected: str) -> None:
    from scraper.extraction import extract_article

    attribute = f' lang="{lang}"' if lang else ""
    page = f"<html{attribute}><body><article><h1>Budget vote</h1><p>{text}</p>{_BODY if lang == 'fr' else ''}</article></body></html>"
    from scraper.extraction.sanitize import load_page

    assert language.of_page(load_page(page.encode()), text) == expected
    if lang == "de" and text is ENGLISH:
        found = extract_article((page.replace("</article>", f"{_BODY}</article>")).encode(), "https://example.org/a")
        assert found.extraction is not None and found.extraction.language == "en"


def test_htmldate_is_asked_only_for_a_day_the_article_writes() -> None:
    from scraper.extraction.sanitize import load_page

    def oldest(body: str):
        page = f"<html><body><article><h1>Budget vote</h1>{body}{_BODY}</article><footer>© 2019 Site</footer></body></html>"
        tree = load_page(page.encode())
        return htmldates.oldest_day(structured.read(tree, "https://example.org/a", page.encode()), "en")

    assert oldest("") is None  # "© 2019" alone would be 2019-01-01
    assert oldest("<p>Report of 06/2018.</p>") is None  # a month is no day
    found = oldest("<p>Filed on 14.05.2019 by the clerk.</p>")
    assert found is not None and found.value == "2019-05-14"
