"""What ``show`` prints (and the web view renders): one version's fields and text, one capture's HTML decoded.

>>> decode_html(b'<meta charset="iso-8859-1"><p>caf\\xe9</p>', None)[0]
'cp1252'
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils
from w3lib.encoding import html_to_unicode

from .errors import UnknownArticle
from .store import Archive

_VERSION_FIELDS = (
    "version", "first_seen_at", "last_seen_at", "reverts_to", "title", "title_source", "authors", "author_source",
    "published_at", "published_source", "published_precision", "published_offset", "modified_at", "modified_source",
    "modified_precision", "modified_offset", "language", "description", "sitename", "content_hash", "text",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


def version_view(db: sqlite_utils.Database, article: dict[str, Any], number: int | None = None) -> dict[str, Any]:
    """An article's version ``number`` (default: the latest) with its fields, text and the captures that showed it."""
    row = next(db.query(
        "select * from versions where article_id = ? and version = coalesce(?, (select max(version) from versions"
        " where article_id = ?))", [article["id"], number, article["id"]]), None)
    if row is None:
        known = article["versions"] or 0
        which = f"no version {number} (versions 1–{known})" if number is not None and known else "no version yet"
        raise UnknownArticle(f"{article['url']} has {which}")
    view: dict[str, Any] = {"url": article["url"], "source": article["source"], "versions": article["versions"]}
    view.update({name: row[name] for name in _VERSION_FIELDS})
    view["authors"] = json.loads(row["authors"]) if row["authors"] else []
    view["capture_ids"] = [r[0] for r in db.execute(
        "select id from captures where version_id = ? order by fetched_at, id", [row["id"]])]
    return view


def capture_view(archive: Archive, capture_id: int, article_id: int | None = None) -> dict[str, Any]:
    """Capture ``capture_id`` with its body decoded as HTML (a 304's: the response it confirmed)."""
    row = next(archive.db.query(
        "select c.id, c.article_id, a.url as article_url, c.version_id, c.url, c.fetched_at, c.status, c.headers,"
        " c.error, c.body_hash from captures_full c left join articles a on a.id = c.article_id where c.id = ?",
        [capture_id]), None)
    if row is None or (article_id is not None and row["article_id"] != article_id):
        raise UnknownArticle(f"no capture {capture_id}" + (" of that article" if row is not None else " in this archive"))
    headers = json.loads(row.pop("headers") or "{}")
    shown, note = row["id"], None
    if row["body_hash"] is None and row["status"] == 304 and row["article_id"] is not None:
        confirmed = archive.db.execute(
            "select id, fetched_at from captures where article_id = ? and id < ? and body_hash is not null and"
            " version_id is not null order by id desc limit 1", [row["article_id"], row["id"]]).fetchone()
        if confirmed:
            shown, note = confirmed[0], f"304 Not Modified: the body of capture {confirmed[0]} ({confirmed[1]})"
    body = archive.capture_body(shown)
    if body is None:
        raise UnknownArticle(f"capture {capture_id} stored no body ({row['error'] or row['status']})")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    if (content_type or "").split(";")[0].strip().lower() not in _HTML_TYPES:
        raise UnknownArticle(f"capture {capture_id} is {content_type}, not HTML")
    encoding, html = decode_html(body, content_type)
    row.pop("body_hash")
    return {**row, "body_of": shown, "note": note, "encoding": encoding, "html": html}


def first_capture(db: sqlite_utils.Database, article_id: int, version: int) -> int:
    """The first capture that showed version ``version`` of the article (with a body)."""
    row = db.execute(
        "select c.id from captures c join versions v on v.id = c.version_id where v.article_id = ? and v.version = ?"
        " order by c.body_hash is null, c.fetched_at, c.id limit 1", [article_id, version]).fetchone()
    if row is None:
        raise UnknownArticle(f"no capture of version {version}")
    return row[0]


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """``(encoding, text)``: the body decoded by its BOM, HTTP charset or ``<meta charset>``, else UTF-8 if it
    is, else Windows-1252 (w3lib's rules, those browsers follow)."""
    return html_to_unicode(content_type, body, auto_detect_fun=_guess)


def _guess(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"
