"""Site search for Chinese with no server: Pagefind's extended build indexes the finished pages.

Only what the templates mark with data-pagefind-body is indexed (the text of cases, brands,
naming lists and standing pages; never menus or footers), with the metadata they declare for
the filters (type, years, units, stars). The index is written to <site>/pagefind/ and searched
in the browser by static/search.js.

Chinese is indexed a character at a time. Pagefind segments Chinese into words, at indexing
with one segmenter and in the browser with another, and the two often cut a phrase differently
(实行星级管理: "星级管理" was not found in half the pages holding it). So Pagefind is given a
copy of each page with a zero-width space around every Chinese character, search.js spaces the
query the same way, and then keeps only pages whose text holds the query as written: a search
finds a word wherever it stands in a sentence, as a reader's Ctrl+F would. A zero-width space is
invisible, so excerpts read as the page does; none goes at the end of a text, where Pagefind
would otherwise not see the end of a paragraph.

Indexing takes seconds on a large column, so finished indexes are kept in .cache/search/ under a
hash of everything Pagefind is given (its version, and each page's path and text): a build whose
indexed text did not change copies the index instead of making it again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import SiteError
from .output import discard

INDEX_DIR = "pagefind"
# CJK Unified Ideographs, Extension A and the compatibility block; must match search.js.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TEXT = re.compile(r">([^<]+)<")
# Before each Chinese character, and after it unless it ends the text.
_BETWEEN = re.compile(CJK.pattern.join(["(?=", ")|(?<=", ")(?=.)"]), re.S)
ZWSP = "\u200b"
# Pagefind's ready-made search interfaces: static/search.js is ours, so they are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


def _executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:  # pragma: no cover - a broken install
        raise SiteError("the search indexer is missing", hint="pip install -r requirements.txt") from exc
    return Path(get_executable())


def spaced(html: str) -> str:
    """The page with its Chinese text cut into characters by zero-width spaces (tags and attributes unchanged)."""
    return _TEXT.sub(lambda m: ">" + _BETWEEN.sub(ZWSP, m[1]) + "<", html)


def _indexed_pages(site_dir: Path) -> dict[str, bytes]:
    """The pages that have something to index, by path in the site, as built."""
    pages = {}
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_bytes()
        if b"data-pagefind-body" in html:
            pages[page.relative_to(site_dir).as_posix()] = html
    return pages


def _digest(pages: dict[str, bytes]) -> str:
    """What the index is made from: the pages, Pagefind's version and how this module spaces text."""
    from importlib.metadata import version
    digest = hashlib.sha256(f"pagefind {version('pagefind_bin_extended')}\0".encode())
    digest.update(Path(__file__).read_bytes())
    for path, html in pages.items():
        digest.update(f"{path}\0{len(html)}\0".encode())
        digest.update(html)
    return digest.hexdigest()[:32]


def _run_pagefind(pages: dict[str, bytes], fresh: Path, trash: Path | None) -> None:
    """Index a spaced copy of the pages (made beside `trash`, in the cache, when there is one)."""
    if trash:
        trash.parent.mkdir(parents=True, exist_ok=True)
    copy = Path(tempfile.mkdtemp(prefix="search-pages-", dir=trash.parent if trash else None))
    try:
        for path, html in pages.items():
            target = copy / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(spaced(html.decode("utf-8")), encoding="utf-8")
        result = subprocess.run([str(_executable()), "--site", str(copy), "--output-path", str(fresh), "--silent"],
                                capture_output=True, text=True)
    finally:
        discard(copy, trash)  # a folder per page: removing them takes seconds
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SiteError(f"the search index could not be built: {detail[-1] if detail else result.returncode}")
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)


def _remember(fresh: Path, cache: Path, key: str) -> None:
    """Keep this index in the cache, with the two made before it (the preview goes back and forth)."""
    kept = cache / key
    partial = cache / f".{key}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(fresh, partial, copy_function=_link_or_copy)
    shutil.rmtree(kept, ignore_errors=True)
    os.rename(partial, kept)
    # Another build (the preview beside `build`) may be pruning too: what it removed is simply gone.
    older = sorted((p for p in cache.iterdir() if p != kept and not p.name.startswith(".")),
                   key=_last_used, reverse=True)
    for stale in older[2:]:
        shutil.rmtree(stale, ignore_errors=True)


def _link_or_copy(source: str, destination: str) -> None:
    """Index files are never changed in place, so the output can share them with the cache."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def index_search(site_dir: Path, cache_dir: Path | None = None) -> None:
    """Write the search index of the built site to `site_dir`/pagefind (about a second for the sample).

    With the project's `cache_dir`, an index made before from the same text is copied instead. The index is
    written beside the old one and swapped in, so a site being served (the preview) never searches
    a half-written index, and no file of the old index stays behind.
    """
    target = site_dir / INDEX_DIR
    fresh = site_dir / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    pages = _indexed_pages(site_dir)
    if not pages:
        shutil.rmtree(target, ignore_errors=True)  # nothing to search: no index, as after a full build
        return
    key = _digest(pages)
    cache = cache_dir / "search" if cache_dir else None
    if cache and (cache / key).is_dir():
        shutil.copytree(cache / key, fresh, copy_function=_link_or_copy)
        os.utime(cache / key)  # recently used: kept longest
    else:
        _run_pagefind(pages, fresh, cache_dir / "trash" if cache_dir else None)
        if cache:
            cache.mkdir(parents=True, exist_ok=True)
            _remember(fresh, cache, key)
    old = site_dir / ".pagefind-old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
