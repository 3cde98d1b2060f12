"""Slowing one host down for the rest of the pass (its Scrapy download slot's delay)."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler


def slot_delay(crawler: Crawler, request: Request) -> tuple[str, float]:
    """``(slot key, delay)`` of the download slot ``request`` goes through."""
    downloader = crawler.engine.downloader
    key = downloader.get_slot_key(request)
    slot = downloader.slots.get(key)
    if slot is not None:
        return key, slot.delay
    return key, float(downloader.per_slot_settings.get(key, {}).get("delay", crawler.settings.getfloat("DOWNLOAD_DELAY")))


def raise_slot_delay(crawler: Crawler, request: Request, delay: float) -> bool:
    """Make the delay of ``request``'s download slot at least ``delay`` seconds; True when it grew."""
    downloader = crawler.engine.downloader
    key, current = slot_delay(crawler, request)
    if delay <= current:
        return False
    if (slot := downloader.slots.get(key)) is not None:
        slot.delay = delay
    # a slot idle for a while is garbage-collected and rebuilt from the per-slot settings
    downloader.per_slot_settings.setdefault(key, {})["delay"] = delay
    return True
