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
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import SiteError

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


def _write_index_copy(site_dir: Path, copy_dir: Path) -> int:
    """Copy the pages that have something to index, spaced for Pagefind; how many there were."""
    count = 0
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            target = copy_dir / page.relative_to(site_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(spaced(html), encoding="utf-8")
            count += 1
    return count


def index_search(site_dir: Path) -> None:
    """Write the search index of the built site to `site_dir`/pagefind (about a second for the sample).

    The index is written beside the old one and swapped in, so a site being served (the preview)
    never searches a half-written index, and no file of the old index stays behind.
    """
    target = site_dir / INDEX_DIR
    fresh = site_dir / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="brandcolumn-search-") as copy:
        if not _write_index_copy(site_dir, Path(copy)):
            shutil.rmtree(target, ignore_errors=True)  # nothing to search: no index, as after a full build
            return
        result = subprocess.run([str(_executable()), "--site", copy, "--output-path", str(fresh), "--silent"],
                                capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SiteError(f"the search index could not be built: {detail[-1] if detail else result.returncode}")
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)
    old = site_dir / ".pagefind-old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
