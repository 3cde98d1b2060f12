"""Reason codes for failed fetches (the failure vocabulary shared by stats, captures.error and `stats`)."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

_BY_TYPE: list[tuple[type[BaseException] | tuple[type[BaseException], ...], str]] = [
    ((CannotResolveHostError, twisted_error.DNSLookupError), "dns"),
    ((DownloadTimeoutError, twisted_error.TimeoutError, twisted_error.TCPTimedOutError), "timeout"),
    ((DownloadConnectionRefusedError, twisted_error.ConnectionRefusedError), "connection-refused"),
    (DownloadCancelledError, "too-large"),
    ((ResponseDataLossError, ResponseFailed), "truncated"),
    ((twisted_error.ConnectionLost, ResponseNeverReceived, DownloadFailedError), "connection-reset"),
    (UnsupportedURLSchemeError, "bad-scheme"),
]


def failure_reason(failure: Failure | BaseException) -> str:
    """Short reason code for a failed request (``http-404``, ``timeout``, ``robots``, ``too-large``…)."""
    exc = failure.value if isinstance(failure, Failure) else failure
    if reason := _own_reason(exc):
        return reason
    if isinstance(exc, HttpError):
        return f"http-{exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        if reason := getattr(exc, "reason", None):
            return reason
        text = str(exc).lower()
        if "robots" in text:
            return "robots"
        if "maxsize" in text:
            return "too-large"
        return "ignored"
    for kinds, reason in _BY_TYPE:
        if isinstance(exc, kinds):
            return reason
    return "fetch-error"


def _own_reason(exc: BaseException | None) -> str | None:
    """The ``reason`` newsarchive's own exceptions carry, also when Scrapy wrapped them (``raise … from``)."""
    seen = 0
    while exc is not None and seen < 5:
        if type(exc).__module__.startswith("scraper.") and isinstance(reason := getattr(exc, "reason", None), str):
            return reason
        exc, seen = exc.__cause__, seen + 1
    return None
