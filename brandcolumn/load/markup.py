"""Markdown -> safe HTML, with anchors for Chinese headings and a reading time.

Editors paste from Word and old web pages, so whatever raw HTML they bring is
passed through nh3 (an allow-list sanitizer): scripts, event handlers and
javascript: links never reach a page. Images and site-internal links are left
as plain <img src="photos/x.jpg"> and href="/cases/x/"; pages/render.py turns them
into responsive pictures and prefixes the site's base path.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

from ..core.deadline import TookTooLong, time_limit
from ..core.errors import Origin, Problems
from ..core.messages import say
from ..core.model import Ref
from ..core.sources import check_relative_path

_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
         "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
         "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
         "td", "tfoot", "th", "thead", "tr", "u", "ul"}
_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}
_CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"}}
_CLEANER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, allowed_classes=_CLASSES,
                       url_schemes={"http", "https", "mailto", "tel"}, link_rel=None,
                       filter_style_properties={"text-align"}, strip_comments=True,
                       clean_content_tags={"script", "style"})

_HAN = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SOFT_BREAK = re.compile(f"([{_HAN}])\n([{_HAN}])")
IMG_TAG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
_RAW_ATTR = re.compile(r"""(?P<name>[a-zA-Z-]+)\s*=\s*"""
                       r"""(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'>]+))""")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)

# Characters per minute for Chinese, words per minute for anything else.
_HAN_PER_MINUTE = 400
_WORDS_PER_MINUTE = 200


@dataclass
class Rendered:
    html: str
    images: list[Ref] = field(default_factory=list)
    reading_minutes: int = 1
    plain: str = ""


class _Converter:
    """One Markdown instance per process, reset before each document so no state leaks."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=["tables", "footnotes", "toc", "sane_lists", "fenced_code"],
                                    extension_configs={
                                        "toc": {"slugify": slugify_unicode},
                                        "footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处",
                                                      "BACKLINK_TEXT": "↩\ufe0e"},
                                    }, output_format="html")

    def convert(self, text: str) -> str:
        self.md.reset()
        return self.md.convert(text)


_converter: _Converter | None = None


# Limits that keep one file from stopping the build (issue 13): Python-Markdown's time grows with the
# square of unmatched brackets, and nh3's with the square of HTML nesting, which Python cannot interrupt.
MARKDOWN_SECONDS = 5.0
MAX_HTML_DEPTH = 400
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
def render_markdown(text: str, path: str, first_line: int, problems: Problems) -> Rendered:
    """Convert Markdown to sanitized HTML and collect the images it shows (empty after a problem)."""
    global _converter
    if _converter is None:
        _converter = _Converter()
    try:
        with time_limit(MARKDOWN_SECONDS):
            raw_html = _converter.convert(text)
    except TookTooLong:
        _converter = None  # stopped halfway: its state is not to be trusted
        problems.add(say("markdown.slow", seconds=MARKDOWN_SECONDS),
                     Origin(path, first_line + _busiest_line(text, "[<")), say("markdown.slow.hint"))
        return Rendered("")
    except RecursionError:
        _converter = None
        problems.add(say("markdown.deep"), Origin(path, first_line + _busiest_line(text, " >")),
                     say("markdown.deep.hint"))
        return Rendered("")
    if raw_html.count("<") > MAX_HTML_DEPTH and html_depth(raw_html) > MAX_HTML_DEPTH:
        problems.add(say("markdown.html_deep", depth=MAX_HTML_DEPTH),
                     Origin(path, first_line + _busiest_line(text, "<")), say("markdown.html_deep.hint"))
        return Rendered("")
    clean = _join_soft_breaks(_CLEANER.clean(raw_html))
    images = list(_image_refs(raw_html, text, path, first_line, problems))
    plain = html.unescape(re.sub(r"<[^>]+>", "", clean))
    return Rendered(clean, images, reading_minutes(plain), plain)


def _busiest_line(text: str, characters: str) -> int:
    """The 0-based line holding the most of `characters`: where a slow or deep text is to be looked at."""
    lines = text.split("\n")
    counts = [sum(line.count(c) for c in characters) for line in lines]
    return counts.index(max(counts)) if counts else 0


def html_depth(fragment: str) -> int:
    """How deep elements are nested in HTML, counted from its tags (an unclosed one counts as open)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(fragment):
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _join_soft_breaks(fragment: str) -> str:
    """Drop line breaks between Chinese characters: browsers would show them as spaces."""
    parts = _PRE.split(fragment)
    return "".join(part if part.startswith("<pre") else _SOFT_BREAK.sub(r"\1\2", part) for part in parts)


def image_attributes(tag: str) -> dict[str, str]:
    """Read the attributes of an <img> tag written by the sanitizer (always double-quoted)."""
    return {name: html.unescape(value) for name, value in _ATTR.findall(tag)}


def _raw_attributes(tag: str) -> dict[str, str]:
    """The attributes of an <img> as written, quoted or not (before the sanitizer drops a bad src)."""
    return {m["name"].lower(): html.unescape(m["double"] if m["double"] is not None else m["single"]
                                             if m["single"] is not None else m["bare"])
            for m in _RAW_ATTR.finditer(tag)}


def _image_refs(raw_html: str, text: str, path: str, first_line: int, problems: Problems):
    """The images of the text, from the HTML before sanitizing: a javascript: or C:\\ address is told as
    written, at its own line (the sanitizer would have emptied it)."""
    shown = _COMMENT.sub("", raw_html) if "<!--" in raw_html else raw_html  # what is commented out is not shown
    for match in IMG_TAG.finditer(shown):
        attrs = _raw_attributes(match.group()[4:])
        src = attrs.get("src", "").strip()
        origin = Origin(path, first_line + _line_in(text, src))
        if not src:
            tag = match.group() if match.group() in text else "<img"
            problems.add(say("image.no_src"), Origin(path, first_line + _line_in(text, tag)), say("image.no_src.hint"))
            continue
        try:
            asset = check_relative_path(src).removeprefix("assets/")
        except ValueError as exc:
            problems.add(say("image.not_asset", src=src), origin, exc.args[0])
            continue
        if not attrs.get("alt", "").strip():
            problems.add(say("image.no_alt", src=src), origin, say("image.no_alt.hint", src=src), level="warning")
        yield Ref(asset, origin)


def _line_in(text: str, needle: str) -> int:
    """0-based line of the first occurrence of `needle` in `text` (0 when not found)."""
    index = text.find(needle) if needle else -1
    return text.count("\n", 0, index) if index >= 0 else 0


def reading_minutes(plain: str) -> int:
    """Estimate reading time, counting Chinese by characters and other text by words."""
    han = len(re.findall(f"[{_HAN}]", plain))
    words = len(re.findall(r"[A-Za-z0-9]+", plain))
    return max(1, round(han / _HAN_PER_MINUTE + words / _WORDS_PER_MINUTE))
