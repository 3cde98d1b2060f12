"""Date strings as the archive stores them: UTC, the original offset kept apart, and how precise they were.

A :class:`Moment` is ``2024-03-12T13:05:00Z`` (with ``precision`` ``second`` or ``minute``) or a bare day
``2024-03-12`` (``precision`` ``day``) when that is all the page gives. ``offset`` is the zone the page wrote
(``+01:00``), or None when it wrote none: such wall-clock times are stored as if they were UTC.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser
from dateutil.tz import tzoffset

from archive.clock import utcnow

from . import textdates

MIN_YEAR = 1995
# Clock skew and naive local times taken as UTC can put a real date a few hours ahead of us.
FUTURE_TOLERANCE = timedelta(days=1)

_TZINFOS = {name: tzoffset(name, int(hours * 3600)) for name, hours in textdates.ZONES.items()}
_ISO_TIME = re.compile(r"[T ]\d{2}:\d{2}(?P<seconds>:\d{2})?")
_CLOCK_FR = re.compile(r"\b(\d{1,2})\s?h\s?(\d{2})\b")          # 14h05
_CLOCK_DE = re.compile(r"\b(\d{1,2})\.(\d{2})\s*Uhr\b")        # 14.05 Uhr
_YEAR = re.compile(r"(?<!\d)(?:\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2})(?!\d)")
_MERIDIEM = re.compile(r"\b([ap])\.\s?m\.", re.IGNORECASE)      # p.m.


@dataclass(frozen=True)
class Moment:
    """A sane point in time as stored: ``value`` (UTC ISO or a day), ``precision``, original ``offset``."""

    value: str
    precision: str
    offset: str | None
    # the day a numeric date written for people would be with day and month the other way round ("03/04/2024")
    alternative: str | None = field(default=None, compare=False, repr=False)

    def instant(self) -> str:
        """Comparable text: a day sorts before every time of that day."""
        return self.value


def from_structured(value: object) -> Moment | None:
    """Parse a machine-readable date (ISO 8601, RFC 2822, or a date dateutil understands).

    >>> from_structured("2024-03-12T14:05:00+01:00")
    Moment(value='2024-03-12T13:05:00Z', precision='second', offset='+01:00')
    >>> from_structured("2024-03-12")
    Moment(value='2024-03-12', precision='day', offset=None)
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _sane(datetime.fromisoformat(text), "day")
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return _dateutil(text)
    match = _ISO_TIME.search(text)
    return _sane(moment, "second" if match is None or match.group("seconds") else "minute")


def from_http(header: str | None) -> Moment | None:
    """An HTTP date header (``Last-Modified``)."""
    return _rfc2822(header) if header else None


def from_text(text: str, language: str | None = None) -> Moment | None:
    """Parse a date written for people, in the page's language ("12. März 2024, 14:05 Uhr", "5 juin 2024 à 14h05 CEST").

    The date is read from the start of ``text``; what follows it is ignored ("16.08.2019 · Dauer: 1 Stunde").

    >>> from_text("March 7, 2024 at 3:30 p.m. GMT", "en").value
    '2024-03-07T15:30:00Z'
    """
    cleaned = re.sub(r"\s+", " ", text).strip(" ,.-–|:")
    if written := textdates.read(cleaned, language):
        return from_written(written)
    # dateparser costs ~1 CPU-ms a call: only for text that could hold a whole date (it needs a year)
    return from_written(textdates.parse(_for_dateparser(cleaned), language)) if _YEAR.search(cleaned) else None


def from_written(written: textdates.Written | None) -> Moment | None:
    """The stored form of a date read by :mod:`.textdates` (with the other reading of an ambiguous one)."""
    found = _sane(written.moment, written.precision) if written else None
    if found is not None and written.alternative is not None:
        return replace(found, alternative=written.alternative.strftime("%Y-%m-%d"))
    return found


def _for_dateparser(text: str) -> str:
    cleaned = _CLOCK_DE.sub(r"\1:\2", _CLOCK_FR.sub(r"\1:\2", text))
    cleaned = _MERIDIEM.sub(lambda m: m.group(1).lower() + "m", cleaned.replace("Uhr", " "))
    return re.sub(r"\s+", " ", cleaned).strip(" ,.-–|:")



def in_zone(moment: Moment, offset: str) -> Moment:
    """A wall-clock time written without a zone, read in the zone ``offset`` the page uses elsewhere.

    >>> in_zone(Moment("2024-03-21T14:35:00Z", "minute", None), "+01:00")
    Moment(value='2024-03-21T13:35:00Z', precision='minute', offset='+01:00')
    """
    if moment.offset is not None or moment.precision == "day":
        return moment
    local = datetime.fromisoformat(moment.value.replace("Z", offset))
    return Moment(local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), moment.precision, offset)


def _rfc2822(text: str) -> Moment | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return _sane(moment, "second" if re.search(r"\d:\d{2}:\d{2}", text) else "minute")


def _dateutil(text: str) -> Moment | None:
    """dateutil, parsed twice with different defaults: what changes was not in the string."""
    early, late = datetime(2000, 1, 1, 0, 0, 0), datetime(2001, 2, 2, 1, 1, 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            first = dateutil_parser.parse(text, default=early, tzinfos=_TZINFOS)
            second = dateutil_parser.parse(text, default=late, tzinfos=_TZINFOS)
    except (ValueError, TypeError, OverflowError):
        return None
    if first.date() != second.date():
        return None  # no full date (a year, a month, a bare time)
    if first.hour != second.hour:
        return _sane(first, "day")
    return _sane(first, "minute" if first.second != second.second else "second")


def _sane(moment: datetime, precision: str) -> Moment | None:
    """The stored form, or None for dates before 1995 or in the future."""
    now = utcnow()
    if moment.year < MIN_YEAR:
        return None
    if precision == "day":
        if moment.date() > (now + FUTURE_TOLERANCE).date():
            return None
        return Moment(moment.strftime("%Y-%m-%d"), "day", None)
    offset = _offset(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if moment > now + FUTURE_TOLERANCE:
        return None
    moment = moment.astimezone(timezone.utc)
    if precision == "minute":
        moment = moment.replace(second=0)
    return Moment(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), precision, offset)


def _offset(moment: datetime) -> str | None:
    delta = moment.utcoffset()
    if delta is None:
        return None
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
