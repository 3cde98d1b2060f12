"""Pages that carry no article: bot challenges, paywall stubs, soft 404s. Each gets a reason code."""

from __future__ import annotations

import re

MIN_TEXT_CHARS = 200

_CHALLENGE = re.compile(
    r"just a moment\.\.\.|attention required! \| cloudflare|checking your browser|cf-browser-verification|"
    r"challenge-platform|enable javascript and cookies to continue|verify you are (?:a )?human|"
    r"are you a robot|captcha-delivery|px-captcha",
    re.IGNORECASE,
)
_PAYWALL = re.compile(
    r"subscribe (?:now )?to (?:continue|read)|to continue reading|subscribers only|for subscribers|"
    r"already a subscriber|this (?:article|content) is (?:only )?available to (?:our )?subscribers|"
    r"create a free account to (?:continue|read)",
    re.IGNORECASE,
)
_NOT_FOUND = re.compile(r"\b(?:page not found|not found|404|no longer available|does not exist)\b", re.IGNORECASE)


def is_short(text: str | None) -> bool:
    """Shorter than a page's article usually is (see :mod:`.article_text` for when a short post is one)."""
    return len(text or "") < MIN_TEXT_CHARS


def classify_stub(html_head: str, title: str | None, text: str | None, html_title: str | None = None) -> str | None:
    """Reason code when the page is not an article, else None.

    ``html_head`` is the start of the decoded page (challenge markers live in scripts and titles
    that extraction drops); ``html_title`` the page's ``<title>`` when extraction chose another title.

    >>> classify_stub("<title>Just a moment...</title>", "Just a moment...", "")
    'challenge'
    >>> classify_stub("", "Oops", "Subscribe to continue reading. Already a subscriber? Log in.")
    'paywall'
    """
    text = text or ""
    short = len(text) < MIN_TEXT_CHARS * 3
    if short and _CHALLENGE.search(html_head):
        return "challenge"
    if short and _PAYWALL.search(text):
        return "paywall"
    if len(text) < MIN_TEXT_CHARS and any(t and _NOT_FOUND.search(t) for t in (title, html_title)):
        return "soft-404"
    if len(text) < MIN_TEXT_CHARS:
        return "no-article"
    return None
