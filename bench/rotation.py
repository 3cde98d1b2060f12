"""Rotate the link blocks of real pages ("Most read", "Related"): does the extracted content change?

A news page's teaser blocks change between two requests while its article does not. For every page of
the real-page corpus (bench/corpus.py), each block of three or more links to other pages of the site
that holds none of the page's annotated article snippets gets new teasers: its link texts are replaced
by titles of other pages of the corpus, its targets by new paths. Then the page is extracted before and
after; a changed content hash (title and text, as the version decision compares them) is a version the
archive would store for an edit nobody made.

    python -m bench.rotation --corpus ~/trafilatura/tests
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement, tostring

from .corpus import Page, load

_BLOCKS = "//ul|//ol|//div|//section|//aside|//nav"
_MIN_LINKS = 3
_LINK_SHARE = 0.7


def link_blocks(tree: HtmlElement, url: str, snippets: list[str]) -> list[HtmlElement]:
    """Innermost blocks of >= 3 same-site links, mostly link text, holding no annotated snippet."""
    host = urlsplit(url).hostname
    found = []
    for block in tree.xpath(_BLOCKS):
        links = [a for a in block.iter("a") if _same_site(a.get("href"), url, host) and _words(a) >= 3]
        if len(links) < _MIN_LINKS:
            continue
        text = " ".join(block.text_content().split())
        linked = sum(len(" ".join(a.text_content().split())) for a in links)
        if not text or linked < _LINK_SHARE * len(text) or any(" ".join(s.split()) in text for s in snippets):
            continue
        if any(inner in found for inner in block.iterdescendants()):
            continue
        found = [b for b in found if block not in b.iterdescendants()] + [block]
    return found


def rotate(page: Page, titles: list[str]) -> tuple[bytes, bytes, int] | None:
    """The page as parsed and serialised, the same with its link blocks given new teasers, and how many
    blocks changed (None: nothing to rotate). Both are serialised alike, so only the teasers differ."""
    from scraper.extraction.sanitize import load_page

    tree = load_page(page.html)
    if tree is None:
        return None
    blocks = link_blocks(tree, page.url, page.gold["with"])
    if not blocks:
        return None
    before = tostring(tree, encoding="utf-8")
    n = 0
    for block in blocks:
        for a in block.iter("a"):
            if _words(a) >= 3:
                for child in list(a):
                    a.remove(child)
                a.text = titles[n % len(titles)]
                a.set("href", f"/rotated/{n}.html")
                n += 1
    return before, tostring(tree, encoding="utf-8"), len(blocks)


def _same_site(href: str | None, url: str, host: str | None) -> bool:
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    try:
        target = urlsplit(urljoin(url, href))
    except ValueError:
        return False
    return target.hostname == host and target.path != urlsplit(url).path


def _words(node: HtmlElement) -> int:
    return len(node.text_content().split())


def _check(args: tuple[str, bytes, bytes]) -> str:
    """``same`` | ``changed`` | ``failed`` for one page and its rotated twin."""
    from archive.content import content_hash
    from scraper.extraction import extract_article

    url, before, after = args
    first, second = extract_article(before, url), extract_article(after, url)
    if first.extraction is None or second.extraction is None:
        return "failed" if first.extraction is None else "lost"
    return "same" if content_hash(first.extraction) == content_hash(second.extraction) else "changed"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=os.environ.get("NEWSARCHIVE_REALPAGES"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--list", action="store_true", help="print the pages whose content changed")
    args = parser.parse_args(argv)
    if args.corpus is None or not (args.corpus / "evaldata.json").is_file():
        parser.error("--corpus must name a folder holding evaldata.json, eval/ and cache/ (see bench/corpus.py)")
    pages = load(args.corpus)
    titles = [p.gold["title"] for p in pages if len((p.gold.get("title") or "").split()) >= 4]
    work, blocks = [], 0
    for index, page in enumerate(pages):
        twin = rotate(page, titles[index % len(titles):] + titles[:index % len(titles)])
        if twin is not None:
            work.append((f"http://127.0.0.1/{page.host}/p{index}", twin[0], twin[1]))
            blocks += twin[2]
    with ProcessPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(_check, work, chunksize=4))
    counts = {name: outcomes.count(name) for name in ("same", "changed", "lost", "failed")}
    print(f"{len(pages)} pages, {len(work)} with link blocks to rotate ({blocks} blocks)")
    print(f"content unchanged: {counts['same']}; changed (a version nobody edited): {counts['changed']}; "
          f"extraction lost by the rotation: {counts['lost']}; no article before: {counts['failed']}")
    if args.list:
        for (url, _, _), outcome in zip(work, outcomes):
            if outcome != "same":
                print(outcome, url)


if __name__ == "__main__":
    sys.exit(main())
