"""`build.py pack`: the column as a .zip that a leader reviewing it before it is published (送审) unpacks and
opens by double-clicking index.html, with no server.

The column is built as for publishing, into a temporary folder; then every page's links to the column are made
relative to the page, with index.html written out (a browser opening files finds no folder's index by itself),
the search page says that search works once published (it fetches its index, which files opened from a disk
may not), and each page carries a line saying it is a review copy. The zip holds one folder, named after the
column and the day, and a note on how to open it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from ..core.config import load_config
from ..core.errors import SiteError
from ..core.files import atomic_path, file_name
from ..core.messages import said, say
from ..core.progress import Reports
from ..pages.kinds import kind
from ..pages.render import cn_date
from ..search import INDEX_DIR

# Attributes that hold addresses of the column's own files (srcset holds several, each with its width).
_ADDRESS = re.compile(r'\b(href|src|srcset|action|data-first|data-pattern)="([^"]*)"')
_MAIN = re.compile(r"(<main\b[^>]*>).*?(</main>)", re.S)
_SEARCH_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="[^"]*search\.js[^"]*"[^>]*></script>')
_BODY = re.compile(r"(<body\b[^>]*>)")


@dataclass
class Packed:
    path: Path
    pages: int
    size: int


def pack(root: Path, zip_path: Path | None = None, drafts: bool = False, today: dt.date | None = None) -> Packed:
    """Build the column in `root` and write its review copy; raise BuildFailed or SiteError as build does."""
    from ..build.pipeline import BuildOptions, build
    config = load_config(root)
    today = today or dt.date.today()
    name = f"{file_name(config.title)}-送审版-{today.isoformat()}"
    zip_path = (zip_path or root / f"{name}.zip").resolve()
    if zip_path.suffix.lower() != ".zip":
        raise SiteError(say("pack.not_zip", path=zip_path), hint=say("pack.not_zip.hint"))
    with tempfile.TemporaryDirectory(prefix="brandcolumn-pack-") as folder:
        out = Path(folder) / "site"
        with Reports() as reports:
            built = build(root, BuildOptions(out, drafts=drafts), progress=reports)
        search_page = kind("search").url(None) + "index.html"
        banner = f'<p class="review-copy" role="note">{escape(said("pack.banner", date=cn_date(today)))}</p>'
        for page in sorted(out.rglob("*.html")):
            relative = page.relative_to(out).as_posix()
            html = page.read_text(encoding="utf-8")
            if relative == search_page:
                html = _without_search(html)
            html = _BODY.sub(lambda match: f"{match.group(1)}\n{banner}", html, 1)
            page.write_text(relative_links(html, relative, config.base_path, config.base_url), encoding="utf-8")
        _write_zip(out, zip_path, name)
    return Packed(zip_path, built.pages, zip_path.stat().st_size)


def relative_links(html: str, page: str, base_path: str, base_url: str = "") -> str:
    """The page's links to the column (under `base_path`, or written in full from `base_url`) made relative to
    the page at `page` (its path in the site), a folder's link ending in index.html; other links (to other
    sites, //server/..., #anchors) are left alone."""
    here = posixpath.dirname(page) or "."
    folder = base_path.rstrip("/")

    def relative(address: str) -> str:
        if base_url and address.startswith(base_url):
            address = base_path + address[len(base_url):]
        if address.startswith("//") or not (address.startswith(base_path) or address in (folder, folder + "#")):
            return address
        path, hash_mark, fragment = address[len(base_path):].partition("#")
        path = path.partition("?")[0]  # ?v=... tells servers' caches apart; a file on a disk has no cache
        if path == "" or path.endswith("/"):
            path += "index.html"
        return posixpath.relpath(path, here) + hash_mark + fragment

    def attribute(match: re.Match) -> str:
        name, value = match.groups()
        if name == "srcset":
            value = ", ".join(" ".join([relative(words[0]), *words[1:]])
                              for words in (part.split() for part in value.split(",")) if words)
        else:
            value = relative(value)
        return f'{name}="{value}"'

    return _ADDRESS.sub(attribute, html)


def _without_search(html: str) -> str:
    """The search page, saying that search works once the column is published (in place of its <main>, or at
    the top of a theme's page that has none)."""
    note = f'<h1>{escape(said("pack.search.title"))}</h1>\n<p class="notice">{escape(said("pack.search.note"))}</p>\n'
    html, replaced = _MAIN.subn(lambda match: match.group(1) + "\n" + note + match.group(2), html, 1)
    if not replaced:
        html = _BODY.sub(lambda match: f"{match.group(1)}\n{note}", html, 1)
    return _SEARCH_SCRIPT.sub("", html)


def _write_zip(site: Path, zip_path: Path, name: str) -> None:
    """The site in one folder of the zip, with the note on opening it; written whole or not at all."""
    with atomic_path(zip_path) as partial:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr(f"{name}/{said('pack.readme.name')}", said("pack.readme", name=name).encode("utf-8"))
            for path in sorted(site.rglob("*")):
                parts = path.relative_to(site).parts
                if path.is_file() and parts[0] != INDEX_DIR and not any(part.startswith(".") for part in parts):
                    archive.write(path, f"{name}/{'/'.join(parts)}")
