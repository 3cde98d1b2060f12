"""Dates written for people: a quick reader for the shapes news pages use, dateparser for the rest.

A visible date line is read from its start and its tail ignored ("16.08.2019 · Dauer: 1 Stunde",
"Erschienen am: 01.11.2023 Lesungen: 61"): day-month-year in digits (``16.08.2019``, ``3/5/2022 22:41``,
``2019-08-16``) or with the month's name in the page's language (``12. März 2024, 14:05 Uhr``,
``March 7, 2024 at 3:30 p.m. GMT``, ``28 de febrero de 2024 - 12:00 CET``), an optional weekday before it,
an optional time and zone after it. Month and weekday names come from dateparser's locale data, so the
reader knows every language dateparser knows; shapes it does not know (a time before the date, a zone
dateparser spells out) go to dateparser itself, whose parser is built once per language.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from archive.clock import utcnow

# English is always known: sites of every language print English month names.
_ALWAYS = ("en",)
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DIGITS = re.compile(
    r"(?<![\d.])(?P<a>\d{1,4})\s?(?P<sep>[./-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<c>\d{4}|\d{1,2}(?!\d))(?![\d./-]\d)"
)
_TIME = re.compile(
    r"(?:\s*(?:,|\bat\b|\bà\b|\ba las\b|\balle\b|\bàs\b|\bas\b|\bom\b|\bum\b|-|–|—|\||·|T|\bkl\.?)?\s*)"
    r"(?P<h>[01]?\d|2[0-3])(?:(?::|h\s?)(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?|\.(?P<m2>[0-5]\d)(?=\s*Uhr))"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?(?:\s*Uhr\b)?"
    r"(?:\s*\(?(?-i:(?P<zone>UTC|GMT|[A-Z]{2,5}\b))(?:\s?(?P<zsign>[+-])(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?)?\)?)?",
    re.IGNORECASE,
)
# zone abbreviations news sites print (dateutil reads the same table, see moments)
ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "MEZ": 1, "CEST": 2, "MESZ": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "BRT": -3, "ART": -3, "IST": 5.5, "JST": 9, "AEST": 10, "AEDT": 11,
}
_MONTH_FIRST_REGIONS = {"", "us", "ph", "ca"}
_DATEPARSER_LANGUAGES = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "nb", "fi", "cs", "ro", "tr", "ru"}


@dataclass(frozen=True)
class Written:
    """A date read from text: a naive or zoned datetime and how much of it the text gave."""

    moment: datetime
    precision: str  # day | minute | second
    start: int  # where the date expression is in the text
    end: int
    alternative: datetime | None = None  # the other day of 03/04/2024 (dotted dates are day first everywhere)


def read(text: str, language: str | None, *, anywhere: bool = False, pos: int = 0) -> Written | None:
    """The date expression at the start of ``text`` (or the first one from ``pos`` on, with ``anywhere``).

    >>> read("16.08.2019 Dauer: 1 Stunde 4 Minuten", "de").moment
    datetime.datetime(2019, 8, 16, 0, 0)
    >>> read("Von Deutscher Tennis Bund 4. 2. 2022.", "de", anywhere=True).moment
    datetime.datetime(2022, 2, 4, 0, 0)
    """
    language, month_first = _split(language)
    grammar = _grammar(language)
    found = grammar.search(text, pos) if anywhere else grammar.match(text, pos)
    while found is not None:
        if (written := _build(found, text, language, month_first)) is not None:
            return written
        if not anywhere:
            return None
        found = grammar.search(text, found.end())
    return None


def parse(text: str, language: str | None) -> Written | None:
    """dateparser on the whole of ``text``, for the shapes :func:`read` does not know."""
    parser = _dateparser(*_split(language))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            moment = parser.get_date_data(text)["date_obj"]
    except (ValueError, TypeError, OverflowError):
        return None
    if moment is None:
        return None
    clock = re.search(r"\b\d{1,2}:\d{2}(?P<seconds>:\d{2})?\b", text)
    if clock is None:
        return Written(moment, "day", 0, len(text))
    return Written(moment, "second" if clock.group("seconds") else "minute", 0, len(text))


def _split(language: str | None) -> tuple[str | None, bool]:
    """(the dateparser language of a language tag, whether its numeric dates put the month first):
    ``en`` and ``en-US`` write 3/5/2022 for March 5, ``en-GB``, ``en-AU``, ``en-IN``… for 3 May."""
    base, _, region = (language or "").lower().replace("_", "-").partition("-")
    return (base if base in _DATEPARSER_LANGUAGES else None), base == "en" and region in _MONTH_FIRST_REGIONS


def _build(found: re.Match[str], text: str, language: str | None, month_first: bool) -> Written | None:
    names = _names(language)
    try:
        if found.group("a"):
            year, month, day = _digit_order(int(found["a"]), int(found["b"]), found["c"], found["sep"], month_first)
        else:
            month = names[found["month"].casefold().rstrip(".")] if found["month"] else names[found["month2"].casefold().rstrip(".")]
            day = int(found["day"] or found["day2"])
            year = int(found["year"] or found["year2"])
        date = datetime(year, month, day)
    except (KeyError, ValueError, TypeError):
        return None
    other = None
    if found.group("a") and found["sep"] != "." and int(found["a"]) <= 12 and int(found["b"]) <= 12 and found["a"] != found["b"]:
        other = date.replace(month=day, day=month)
    clock = _TIME.match(text, found.end())
    if clock is None or (clock.group("m") is None and clock.group("m2") is None):
        return Written(date, "day", found.start(), found.end(), other)
    hour = int(clock["h"])
    if _meridiem(clock["ampm"], language):
        if hour > 12:
            return Written(date, "day", found.start(), found.end(), other)
        hour = hour % 12 + (12 if clock["ampm"][0].lower() == "p" else 0)
    seconds = clock["s"]
    moment = date.replace(hour=hour, minute=int(clock["m"] or clock["m2"]), second=int(seconds or 0))
    zone = _zone(clock)
    if zone is not None:
        moment = moment.replace(tzinfo=zone)
    return Written(moment, "second" if seconds else "minute", found.start(), clock.end(), other)


def _meridiem(written: str | None, language: str | None) -> bool:
    """Whether "am"/"p.m." after a time is a meridiem (German "14:05 am Montag" is a preposition)."""
    return bool(written) and not (language in ("de", "nl") and written.islower() and "." not in written)


def _digit_order(a: int, b: int, c: str, sep: str, month_first: bool) -> tuple[int, int, int]:
    """(year, month, day) of three numbers: year first (ISO), else day first, except US English with slashes.
    A two-digit year ("23.09.22") is of this century unless that would be ahead of the clock."""
    if a > 31:
        return a, b, int(c)
    if len(c) == 2 and sep in "./":
        century = utcnow().year // 100 * 100
        year = century + int(c) if century + int(c) <= utcnow().year + 1 else century - 100 + int(c)
    elif len(c) == 4:
        year = int(c)
    else:
        raise ValueError("not a year")
    if b > 12 or (month_first and sep == "/" and a <= 12):
        return year, a, b
    return year, b, a


def _zone(clock: re.Match[str]) -> timezone | None:
    name = (clock["zone"] or "").upper()
    if name not in ZONES:
        return None
    hours = ZONES[name]
    if clock["zsign"] and name in ("UTC", "GMT"):
        hours = int(clock["zh"]) + int(clock["zm"] or 0) / 60
        hours = -hours if clock["zsign"] == "-" else hours
    return timezone(timedelta(hours=hours))


@lru_cache(maxsize=32)
def _names(language: str | None) -> dict[str, int]:
    """Month names (and abbreviations) of ``language`` and English, from dateparser's locale data."""
    months: dict[str, int] = {}
    for code in _languages(language):
        info = _locale_info(code)
        for number, key in enumerate(_MONTH_KEYS, 1):
            for name in info.get(key, []):
                months.setdefault(name.casefold().rstrip("."), number)
    return months


@lru_cache(maxsize=32)
def _grammar(language: str | None) -> re.Pattern[str]:
    months = sorted(_names(language), key=len, reverse=True)
    weekdays = sorted({name.casefold() for code in _languages(language) for key in _WEEKDAY_KEYS
                       for name in _locale_info(code).get(key, []) if len(name) >= 3}, key=len, reverse=True)
    month = "|".join(re.escape(name) for name in months)
    weekday = rf"(?:(?:{'|'.join(re.escape(name) for name in weekdays)})\.?,?\s+)?"
    day = r"(?:[0-2]?\d|3[01])"
    return re.compile(
        rf"{weekday}(?:"
        rf"{_DIGITS.pattern}"
        rf"|(?<!\d)(?P<day>{day})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+|of\s+)?(?P<month>(?:{month}))\.?,?\s*(?:de\s+)?(?P<year>(?:19|20)\d\d)\b"
        rf"|(?P<month2>(?:{month}))\.?\s+(?P<day2>{day})(?:st|nd|rd|th)?,?\s+(?P<year2>(?:19|20)\d\d)\b"
        r")",
        re.IGNORECASE,
    )


def _languages(language: str | None) -> tuple[str, ...]:
    if language is None:
        return tuple(sorted(_DATEPARSER_LANGUAGES, key=lambda code: code != "en"))
    return (language, *(code for code in _ALWAYS if code != language))


@lru_cache(maxsize=32)
def _locale_info(code: str) -> dict[str, list[str]]:
    from dateparser.languages.loader import default_loader

    return default_loader.get_locale(code).info


@lru_cache(maxsize=32)
def _dateparser(language: str | None, month_first: bool):
    from dateparser import DateDataParser  # 0.35 s of imports: only in the workers that read visible dates

    settings = {
        "DATE_ORDER": "MDY" if month_first else "DMY",
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],
        # "2 hours ago" depends on when the page was fetched, which a re-extraction no longer knows
        "PARSERS": ["custom-formats", "absolute-time"],
    }
    return DateDataParser(languages=[language] if language else None, settings=settings)


def to_utc_naive(moment: datetime) -> datetime:
    """A zoned moment in UTC without its zone (naive ones are kept as they are)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment
