"""What search finds: the documents the built pages declare, read from their HTML.

The templates mark what a reader searches, with Pagefind's attributes (a theme written for Pagefind
marks its pages the same way):
  - data-pagefind-body: one result. Its first <h1> is the title, its other headings count for
    ranking; a page may hold several (each news item), each then naming its own address in a
    `url` meta.
  - data-pagefind-ignore: left out with all it holds, for lists that repeat other pages' titles
    (a brand's articles, a case's tags): those must not make a page match.
  - data-pagefind-meta="key:value" inside a body: what the filters and the result list show
    (kind, years, units, stars, date, url, title).
Everything else on a page (menus, footers, related articles) is never searched.

A document's text is a list of blocks (title, headings, then the body's paragraphs, list items,
cells...): text in one block reads on, text in two never runs together.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .fold import SEP, fold, readable

_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|<!--.*?-->|([^<]+)", re.S)
_META = re.compile(r"""data-pagefind-meta\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# A new block starts at each of these, opening or closing.
_BLOCK = frozenset("address article aside blockquote br caption dd details div dl dt figcaption figure footer "
                   "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th "
                   "thead tr ul".split())
_UNREAD = frozenset("script style template noscript svg math button select textarea".split())
_HEADINGS = frozenset("h2 h3 h4 h5 h6".split())
BODY = "data-pagefind-body"


@dataclass
class Document:
    """One search result: its address, and its text as blocks."""

    url: str  # from the site's root ("cases/x/"), or a whole address for a news item's link
    title: str
    headings: list[str]
    body: list[str]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def blocks(self) -> list[str]:
        return [self.title, *self.headings, *self.body]

    def folded(self) -> tuple[str, int, int]:
        """The text as indexed (blocks joined by SEP), and where the title and the headings end in it."""
        title = fold(self.title)
        headings = SEP.join(fold(text) for text in self.headings)
        body = SEP.join(fold(text) for text in self.body)
        title_end = len(title)
        heading_end = title_end + (len(headings) + 1 if self.headings else 0)
        return SEP.join(part for part in (title, headings if self.headings else None, body) if part is not None), \
            title_end, heading_end


def page_documents(page: str, address: str) -> list[Document]:
    """The documents of one built page (HTML text) at `address` (its path from the site's root)."""
    found = []
    at = page.find(BODY)
    while at >= 0:
        start = page.rfind("<", 0, at)
        document, end = _read_body(page, start, address)
        if document:
            found.append(document)
        at = page.find(BODY, max(end, at + 1))
    return found


class _Reader:
    """The text of one body as blocks, in three zones: title (the first h1), headings, body."""

    def __init__(self) -> None:
        self.zones: dict[str, list[str]] = {"title": [], "headings": [], "body": []}
        self.zone = "body"
        self.pending: list[str] = []
        self.meta: dict[str, str] = {}

    def text(self, text: str) -> None:
        self.pending.append(html.unescape(text) if "&" in text else text)

    def flush(self) -> None:
        text = readable("".join(self.pending))
        self.pending.clear()
        if text:
            zone = "body" if self.zone == "title" and self.zones["title"] else self.zone
            self.zones[zone].append(text)

    def open(self, tag: str) -> None:
        if tag in _BLOCK:
            self.flush()
        if tag == "h1":
            self.zone = "title" if not self.zones["title"] else "body"
        elif tag in _HEADINGS:
            self.zone = "headings"

    def close(self, tag: str) -> None:
        if tag in _BLOCK:
            self.flush()
        if tag == "h1" or tag in _HEADINGS:
            self.zone = "body"


def _read_body(page: str, start: int, address: str) -> tuple[Document | None, int]:
    """The document whose body element opens at `start`, and where that element ends."""
    reader = _Reader()
    depth, skipped_from = 0, None  # depth of the element being skipped, while inside one
    end = len(page)
    for match in _TOKEN.finditer(page, start):
        closing, tag, attributes, text = match.groups()
        if text is not None:
            if skipped_from is None:
                reader.text(text)
            continue
        if tag is None:  # a comment
            continue
        tag = tag.lower()
        if tag in _VOID:
            if skipped_from is None and tag in _BLOCK:
                reader.flush()
            continue
        if closing:
            depth -= 1
            if skipped_from is not None and depth < skipped_from:
                skipped_from = None
            elif skipped_from is None:
                reader.close(tag)
            if depth == 0:
                end = match.end()
                break
            continue
        depth += 1
        if attributes.rstrip().endswith("/"):  # <x/> written as void
            depth -= 1
            continue
        if skipped_from is not None:
            continue
        if "data-pagefind-ignore" in attributes or tag in _UNREAD:
            skipped_from = depth
            continue
        for double, single in _META.findall(attributes):
            key, _, value = html.unescape(double or single).partition(":")
            reader.meta[key.strip()] = value.strip()
        reader.open(tag)
    reader.flush()
    meta = reader.meta
    title = meta.pop("title", None) or (reader.zones["title"] or [""])[0]
    url = meta.pop("url", None) or address
    if not title and not reader.zones["body"]:
        return None, end
    return Document(url, readable(title), reader.zones["headings"], reader.zones["body"], meta), end
