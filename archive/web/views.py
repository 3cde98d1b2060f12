"""The archivist's pages: routes, request parsing and responses. What a page shows comes from
:mod:`archive.web.pages`; a handler here only reads the request, checks permissions and renders."""

from __future__ import annotations

import asyncio
import functools
import os
import re
from collections.abc import Awaitable, Callable
from html import escape
from typing import TYPE_CHECKING, Any

from datasette.utils.asgi import Request, Response

from archive.atom import changes_feed, feed_scope, feed_title
from archive.changes import Edit, edits_tag
from archive.errors import UnknownArticle
from archive.queries import InvalidQuery, InvalidTime, normalise_time
from archive.timeline import capture_record

from . import pages
from .filters import page_url, query
from .registry import PLUGIN, NoArchive, archive_name, read

if TYPE_CHECKING:  # datasette.app imports the plugins: see __init__.py
    from datasette.app import Datasette

# Our pages: nothing but this server, and an archived page only inside a frame of it.
PAGE_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self'"
            " data:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")
# A page as archived: no script, no request of any kind (images, styles, fonts only as data: URLs), no form,
# shown only framed by our own pages. `sandbox` also gives it an opaque origin.
ARCHIVED_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:;"
                " media-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'")
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
SNIPPET_MARKS = ("\x02", "\x03")  # never in extracted text; become <mark> after escaping
MAX_LIMIT = 200
Handler = Callable[["Datasette", Request], Awaitable[Response]]
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


class Refused(Exception):
    """A request the page cannot answer: shown as Datasette's error page with ``status`` (no traceback logged:
    a mistyped URL is not a server error)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def answers(handler: Handler) -> Handler:
    """Wrap a page handler: GET only, the actor must see the archive, and the archive's own errors (an unknown
    URL, a bad time) become 4xx pages."""
    @functools.wraps(handler)
    async def wrapped(datasette: Datasette, request: Request) -> Response:
        try:
            if request.method not in ("GET", "HEAD"):
                raise Refused(405, f"{request.method} {request.path}: the archive is read-only, only GET is answered")
            name = archive_name(datasette)
            await datasette.ensure_permissions(request.actor, ["view-instance", ("view-database", name)])
            return await handler(datasette, request)
        except (UnknownArticle, NoArchive) as exc:
            return await _error(datasette, 404, str(exc))
        except InvalidTime as exc:
            return await _error(datasette, 400, str(exc))
        except Refused as exc:
            return await _error(datasette, exc.status, str(exc))
    return wrapped


async def _error(datasette: Datasette, status: int, message: str) -> Response:
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    body = await template.render_async({"ok": False, "error": message, "status": status, "title": None,
                                        "urls": datasette.urls, "app_css_hash": datasette.app_css_hash(),
                                        "menu_links": lambda: []})
    return Response.html(body, status=status, headers=dict(_HEADERS))


async def _page(datasette: Datasette, request: Request, template: str, context: dict[str, Any]) -> Response:
    context = {**context, "replay_base": replay_base(datasette), "database": archive_name(datasette)}
    html = await datasette.render_template([f"newsarchive/{template}"], context, request=request)
    return Response.html(html, headers={"Content-Security-Policy": PAGE_CSP, **_HEADERS})


def replay_base(datasette: Datasette) -> str | None:
    """The pywb collection URL captures link to (plugin setting ``replay_url``, else ``$NEWSARCHIVE_REPLAY_URL``)."""
    base = (datasette.plugin_config(PLUGIN) or {}).get("replay_url") or os.environ.get("NEWSARCHIVE_REPLAY_URL")
    if not base:
        return None
    return base if base.endswith("/") else base + "/"


def _number(request: Request, name: str) -> int | None:
    value = request.args.get(name)
    if not value:
        return None
    if not value.isdigit():
        raise Refused(400, f"?{name}= takes a whole number, not {value!r}")
    return int(value)


def _filters(request: Request) -> dict[str, Any]:
    """``source`` (repeatable), ``since``, ``until`` as :func:`archive.changes.recent_edits` takes them."""
    filters = {
        "sources": [name for name in request.args.getlist("source") if name],
        "since": request.args.get("since") or None,
        "until": request.args.get("until") or None,
    }
    for name in ("since", "until"):
        normalise_time(filters[name])  # InvalidTime: a 400 page
    return filters


def _limit(request: Request, default: int) -> int:
    return min(_number(request, "limit") or default, MAX_LIMIT)


@answers
async def article(datasette: Datasette, request: Request) -> Response:
    """``/-/article?url=URL[&v1=N&v2=M]``: one article's timeline, a diff of two versions, every text, its captures."""
    url = request.args.get("url")
    if not url:
        raise Refused(400, "which article? /-/article?url=URL (its canonical URL or any alias)")
    page = await read(datasette, pages.article_page, url, _number(request, "v1"), _number(request, "v2"))
    return await _page(datasette, request, "article.html", page)


@answers
async def changes(datasette: Datasette, request: Request) -> Response:
    """``/-/changes[?source=S&since=T&until=T&before=ID]``: edits across the archive, newest first."""
    filters = _filters(request)
    limit = _limit(request, 50)
    page = await read(datasette, pages.edits_page, **filters, before=_number(request, "before"), limit=limit)
    edits = page["edits"]
    page.update(filters=filters, limit=limit, query=query(filters),
                older=query({**filters, "before": edits[-1]["edit"].version_id, "limit": request.args.get("limit")})
                if len(edits) == limit else None)
    return await _page(datasette, request, "changes.html", page)


@answers
async def search(datasette: Datasette, request: Request) -> Response:
    """``/-/search?q=QUERY[&source=S&since=T&until=T&edited=1]``: full-text search, one result per article."""
    filters = _filters(request)
    terms = (request.args.get("q") or "").strip()
    edited = request.args.get("edited") in ("1", "on", "true")
    error = None
    try:
        page = await read(datasette, pages.search_page, terms, **filters, edited_only=edited,
                          limit=_limit(request, 20), marks=SNIPPET_MARKS)
    except InvalidQuery as exc:
        page, error = await read(datasette, pages.search_page, None), str(exc)
    for row in page["results"]:
        row["snippet_html"] = marked(row["snippet"] or "")
    page.update(q=terms, filters=filters, edited=edited, error=error)
    return await _page(datasette, request, "search.html", page)


def marked(snippet: str) -> str:
    """A snippet made with :data:`SNIPPET_MARKS` as HTML: escaped, the hits in ``<mark>``.

    >>> marked("a \\x02<b>\\x03 c")
    'a <mark>&lt;b&gt;</mark> c'
    """
    start, end = SNIPPET_MARKS
    return escape(snippet, quote=False).replace(start, "<mark>").replace(end, "</mark>")


@answers
async def changes_atom(datasette: Datasette, request: Request) -> Response:
    """``/-/changes.atom[?source=S&url=URL]``: an Atom feed of edits with the diff inside; answers a matching
    ``If-None-Match`` with 304."""
    filters = _filters(request)
    url = request.args.get("url") or None
    edits, article_row = await read(datasette, pages.feed_edits, url, **filters, limit=_limit(request, 50))
    article_url = article_row["url"] if article_row else None
    scope = feed_scope(filters["sources"], filters["since"], filters["until"], article_url)
    tag = edits_tag(edits, scope)
    headers = {"ETag": tag, "Cache-Control": "no-cache", **_HEADERS}
    if tag in _etags(request.headers.get("if-none-match", "")):
        return Response("", status=304, headers=headers)

    def link(edit: Edit) -> str:
        path = page_url(datasette, "/-/article", {"url": edit.url, "v1": edit.previous_version, "v2": edit.version})
        return datasette.absolute_url(request, path)

    body = await asyncio.get_running_loop().run_in_executor(None, lambda: changes_feed(
        edits, title=feed_title(filters["sources"], article_url), scope=scope, self_url=request.url, link=link))
    return Response(body, headers=headers, content_type="application/atom+xml; charset=utf-8")


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


@answers
async def capture(datasette: Datasette, request: Request) -> Response:
    """``/-/capture/ID``: one capture, its page as archived in a sandboxed frame, and its headers."""
    record = await read(datasette, capture_record, int(request.url_vars["capture_id"]))
    return await _page(datasette, request, "capture.html", {"capture": record})


@answers
async def capture_raw(datasette: Datasette, request: Request) -> Response:
    """``/-/capture/ID/raw``: the archived body, inert (:data:`ARCHIVED_CSP`), for the capture page's frame."""
    capture_id = int(request.url_vars["capture_id"])
    headers, body = await read(datasette, pages.archived_body, capture_id)
    if body is None:
        raise Refused(404, f"capture {capture_id} stored no page (a failed fetch, or a 304 answer)")
    declared = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    charset = _CHARSET.search(declared or "")
    content_type = "text/html" + (f"; charset={charset[1]}" if charset else "")
    return Response(body, content_type=content_type, headers={
        "Content-Security-Policy": ARCHIVED_CSP, "Cache-Control": "private, max-age=86400",
        "Cross-Origin-Resource-Policy": "same-origin", **_HEADERS})


ROUTES = [
    (r"^/-/article$", article),
    (r"^/-/changes$", changes),
    (r"^/-/changes\.atom$", changes_atom),
    (r"^/-/search$", search),
    (r"^/-/capture/(?P<capture_id>\d+)$", capture),
    (r"^/-/capture/(?P<capture_id>\d+)/raw$", capture_raw),
]
