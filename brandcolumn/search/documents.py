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

# A tag, a comment, or text (a "<" that starts no tag is text too).
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
                    r"|<!--.*?-->|((?:[^<]|<(?![a-zA-Z/!]))+)", re.S)
_META = re.compile(r"""(?:^|\s)data-pagefind-meta\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_IGNORE = re.compile(r"(?:^|\s)data-pagefind-ignore(?=[\s=/]|$)")
# An element's opening tag holding the attribute data-pagefind-body (not text that names it).
_BODY = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?=\s)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?\sdata-pagefind-body(?=[\s=/>])")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# A new block starts at each of these, opening or closing.
_BLOCK = frozenset("address article aside blockquote br caption dd details div dl dt figcaption figure footer "
                   "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th "
                   "thead tr ul".split())
_UNREAD = frozenset("script style template noscript svg math button select textarea".split())
_RAW = frozenset(("script", "style", "textarea"))  # their text may hold "<" and "</tag": skipped to their end
_HEADINGS = frozenset("h2 h3 h4 h5 h6".split())
BODY = "data-pagefind-body"  # pages without it are not read further


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
    at = 0
    while body := _BODY.search(page, at):
        document, at = _read_body(page, body.start(), body[1].lower(), address)
        if document:
            found.append(document)
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


def _read_body(page: str, start: int, name: str, address: str) -> tuple[Document | None, int]:
    """The document whose body element (a `name`) opens at `start`, and where that element ends.

    Elements are matched by name (an <article> ends at the </article> of the same depth), so an
    end tag HTML lets a page leave out (</p>, </li>) never moves the end of the body.
    """
    reader = _Reader()
    depth = 0  # of `name` elements
    skipped: list | None = None  # while inside an ignored element: [its name, its depth]
    at = start
    while at < len(page):
        match = _TOKEN.match(page, at)
        if match is None:  # "</" or "<!" that starts nothing: text
            at += 1
            continue
        at = match.end()
        closing, tag, attributes, text = match.groups()
        if text is not None:
            if skipped is None:
                reader.text(text)
            continue
        if tag is None:  # a comment
            continue
        tag = tag.lower()
        if not closing and tag in _RAW:
            end = re.compile(rf"</{tag}\s*>", re.I).search(page, at)
            at = end.end() if end else len(page)
            reader.flush()
            continue
        if tag in _VOID or (not closing and attributes.rstrip().endswith("/")):  # <x/> written as void
            if skipped is None and tag in _BLOCK:
                reader.flush()
            continue
        if tag == name:
            depth += -1 if closing else 1
            if depth == 0:
                break
        if skipped is not None:
            if tag == skipped[0]:
                skipped[1] += -1 if closing else 1
                if skipped[1] == 0:
                    skipped = None
                    reader.flush()  # text on either side of what was left out never runs together
            continue
        if closing:
            reader.close(tag)
            continue
        if tag in _UNREAD or _IGNORE.search(attributes):
            skipped = [tag, 1]
            reader.flush()
            continue
        for double, single in _META.findall(attributes):
            key, _, value = html.unescape(double or single).partition(":")
            reader.meta[key.strip()] = value.strip()
        reader.open(tag)
    reader.flush()
    return _document(reader, address), at


def _document(reader: _Reader, address: str) -> Document | None:
    meta, zones = reader.meta, reader.zones
    title = meta.pop("title", None)
    if title is None:
        title = zones["title"][0] if zones["title"] else ""
    else:  # the result's own title: an <h1> there is text like any other
        zones["body"][:0] = zones["title"]
    url = meta.pop("url", None) or address
    if not title and not zones["body"]:
        return None
    return Document(url, readable(title), zones["headings"], zones["body"], meta)
