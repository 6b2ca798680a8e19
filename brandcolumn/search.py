"""Site search for Chinese with no server: Pagefind indexes the finished pages.

Only what the templates mark with data-pagefind-body is indexed (the text of cases, brands,
naming lists and standing pages; never menus or footers), with the metadata they declare for
the filters (type, years, units, stars). The index is written to <site>/pagefind/ and searched
in the browser by static/search.js.

Chinese is indexed a character at a time. Pagefind's extended build segments Chinese into words,
at indexing with one segmenter and in the browser with another, and the two often cut a phrase
differently (实行星级管理: "星级管理" was not found in half the pages holding it). So Pagefind
(its standard build: nothing left to segment, which makes indexing twice as fast) is given a
copy of each page with a space around every Chinese character; search.js spaces the query the
same way, takes those spaces out of the text it shows, and keeps only pages whose text holds the
query as written: a search finds a word wherever it stands in a sentence, as a reader's Ctrl+F
would. None goes at the end of a text, where Pagefind would otherwise not see the end of a
paragraph.

Pagefind holds a whole index in memory while it writes it (about 0.35 MB per page of a case
here) and has to index every page again when one changes, so a large column is indexed in shards
of at most SHARD_PAGES pages, each page in the shard its path hashes to: the first shard is the
bundle in <site>/pagefind/, the others go in <site>/pagefind/more/<n>/ and are listed in
pagefind/shards.json, and search.js merges them in the browser (Pagefind's mergeIndex). Memory
then stays bounded by the shard, and an edited case re-indexes its shard only: finished shards
are kept in .cache/search/ under a hash of everything Pagefind is given (its version, this module,
each page's path and text) and copied when nothing in them changed.

Pagefind reads the spaced copies from a flat folder (one file per page, no folder per page: the
folders cost seconds on a large column), so each copy carries its real address as the metadata
`url`, which search.js links to.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from html import escape
from pathlib import Path
from typing import Iterable

from .errors import SiteError, located
from .output import discard, replace_file
from .parallel import fork_map
from .sources import file_stamp

INDEX_DIR = "pagefind"
SHARD_PAGES = 400  # Pagefind then needs about 200 MB
MORE = "more"  # the shards after the first: pagefind/more/1/, pagefind/more/2/, ...
SHARDS_FILE = "shards.json"  # in pagefind/: the list of those, for search.js
PAGES_MEMO = ".pages.json"  # in .cache/search/: a digest of each page file, by its size, time and inode
# CJK Unified Ideographs, Extension A and the compatibility block; must match search.js.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BODY = re.compile(r"<[^>]*\bdata-pagefind-body\b[^>]*>")
_TEXT = re.compile(r">([^<]+)<")
# Before each Chinese character, and after it unless it ends the text.
_BETWEEN = re.compile(CJK.pattern.join(["(?=", ")|(?<=", ")(?=.)"]), re.S)
SEPARATOR = " "
# Pagefind's ready-made search interfaces: static/search.js is ours, so they are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
# The scripts the browser loads from the first shard only; the others are merged into it.
PRIMARY_ONLY = ("pagefind.js", "pagefind-worker.js")


def _executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - a broken install
        raise SiteError("the search indexer is missing", hint="pip install -r requirements.txt") from exc
    return Path(get_executable())


def spaced(html: str) -> str:
    """The page with its Chinese text cut into characters by SEPARATOR (tags and attributes unchanged)."""
    return _TEXT.sub(lambda m: ">" + _BETWEEN.sub(SEPARATOR, m[1]) + "<", html)


def _indexed_pages(site_dir: Path, candidates: Iterable[str] | None, memo: Path | None) -> dict[str, str]:
    """The pages that have something to index, by path in the site, with a digest of each as built.

    `candidates` are the site's pages (every .html file when not given). `memo` keeps what each
    file held when last read, by its size, time and inode: on a large column most pages are the
    last build's files, linked, and are not read again.
    """
    if candidates is None:
        candidates = (path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.html"))
    known = _read_memo(memo)
    seen: dict[str, list] = {}
    for path in sorted(page for page in candidates if page.endswith(".html")):
        stamp = file_stamp(site_dir / path)
        if stamp is None:
            continue
        stamp = list(stamp)  # as JSON gives it back
        entry = known.get(path)
        if not isinstance(entry, list) or len(entry) != 2 or entry[0] != stamp:  # new, changed, or damaged
            html = (site_dir / path).read_bytes()
            entry = [stamp, hashlib.sha256(html).hexdigest() if b"data-pagefind-body" in html else None]
        seen[path] = entry
    _write_memo(memo, seen)
    return {path: digest for path, (_, digest) in seen.items() if digest}


def _read_memo(memo: Path | None) -> dict[str, list]:
    try:
        known = json.loads(memo.read_text(encoding="utf-8")) if memo else {}
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _write_memo(memo: Path | None, seen: dict[str, list]) -> None:
    if memo is None:
        return
    try:
        replace_file(memo, json.dumps(seen))
    except OSError:
        pass  # the next build reads the pages again


def shard_pages(pages: dict[str, str]) -> list[dict[str, str]]:
    """The pages cut into shards of at most about SHARD_PAGES; a page stays in its shard while the
    count holds. More than one shard makes an even count, so that two cores finish together."""
    count = -(-len(pages) // SHARD_PAGES)
    shards: list[dict[str, str]] = [{} for _ in range(count + (count > 1 and count % 2))]
    for path, digest in pages.items():
        shards[zlib.crc32(path.encode()) % len(shards)][path] = digest
    return [shard for shard in shards if shard]


def _digest(pages: dict[str, str]) -> str:
    """What a shard is made from: its pages, Pagefind's version and how this module spaces text."""
    digest = hashlib.sha256(_indexer_version())
    for path, page in pages.items():
        digest.update(f"{path}\0{page}\0".encode())
    return digest.hexdigest()[:32]


@functools.cache
def _indexer_version() -> bytes:
    """Pagefind's version and this module's code: what decides an index besides its pages."""
    from importlib.metadata import version
    return f"pagefind {version('pagefind_bin')}\0".encode() + Path(__file__).read_bytes()


def indexed_copy(path: str, html: str) -> str:
    """What Pagefind is given for the page at `path`: the page spaced, with its address in the metadata."""
    address = path.removesuffix("index.html")
    tag = f'<span hidden data-pagefind-meta="url:{escape(address)}"></span>'
    return spaced(_BODY.sub(lambda m: m[0] + tag, html, count=1))


def _run_pagefind(pages: Iterable[str], site_dir: Path, fresh: Path, trash: Path | None) -> str | None:
    """Index the pages (paths in `site_dir`) into `fresh`, from copies made beside `trash` (in the
    cache) when there is one.

    Returns what went wrong, if anything (this may run in a worker: a message travels back whole).
    """
    if trash:
        trash.parent.mkdir(parents=True, exist_ok=True)
    copy = Path(tempfile.mkdtemp(prefix="search-pages-", dir=trash.parent if trash else None))
    try:
        for number, path in enumerate(pages):
            html = (site_dir / path).read_text(encoding="utf-8")
            (copy / f"{number}.html").write_text(indexed_copy(path, html), encoding="utf-8")
        result = subprocess.run([str(_executable()), "--site", str(copy), "--output-path", str(fresh), "--silent"],
                                capture_output=True, text=True)
    finally:
        discard(copy, trash)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip().splitlines()
        return f"the search index could not be built: {detail[-1] if detail else result.returncode}"
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)
    return None


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


def _prune(cache: Path, used: set[str]) -> None:
    """Keep the shards this build used and as many again of the most recent others (the preview
    goes back and forth between versions of a page)."""
    # Another build (the preview beside `build`) may be pruning too: what it removed is simply gone.
    older = sorted((p for p in cache.iterdir() if p.name not in used and not p.name.startswith(".")),
                   key=_last_used, reverse=True)
    for stale in older[max(len(used), 2):]:
        shutil.rmtree(stale, ignore_errors=True)


def _place(shard: Path, target: Path, primary: bool) -> None:
    """Copy a finished shard into the index being assembled; only the first needs Pagefind's scripts."""
    skip = () if primary else PRIMARY_ONLY
    shutil.copytree(shard, target, copy_function=_link_or_copy, dirs_exist_ok=True,
                    ignore=lambda folder, names: [name for name in names if name in skip])


def index_search(site_dir: Path, cache_dir: Path | None = None, workers: int | None = 1,
                 pages: Iterable[str] | None = None) -> None:
    """Write the search index of the built site (see _index_search); a full disk is told as the cache's."""
    with located(cache_dir / "search" if cache_dir else site_dir):
        _index_search(site_dir, cache_dir, workers, pages)


def _index_search(site_dir: Path, cache_dir: Path | None, workers: int | None, pages: Iterable[str] | None) -> None:
    """Write the search index of the built site to `site_dir`/pagefind (about a second for the sample).

    `pages` are the site's page files, when known (else every .html file is looked at). With the
    project's `cache_dir`, shards made before from the same text are copied instead, and with
    workers=2 (None: all cores) two shards are made at a time. The index is assembled beside the
    old one and swapped in, so a site being served (the preview) never searches a half-written
    index, and no file of the old index stays behind.
    """
    target = site_dir / INDEX_DIR
    fresh = site_dir / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    shards = shard_pages(_indexed_pages(site_dir, pages, cache_dir / "search" / PAGES_MEMO if cache_dir else None))
    if not shards:
        shutil.rmtree(target, ignore_errors=True)  # nothing to search: no index, as after a full build
        return
    keys = [_digest(shard) for shard in shards]
    cache = cache_dir / "search" if cache_dir else site_dir / ".pagefind-shards"
    trash = cache_dir / "trash" if cache_dir else None
    cache.mkdir(parents=True, exist_ok=True)
    missing = [number for number, key in enumerate(keys) if not (cache / key).is_dir()]

    def make(number: int) -> str | None:
        partial = cache / f".{keys[number]}-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        problem = _run_pagefind(shards[number], site_dir, partial, trash)
        if not problem and (cache / keys[number]).is_dir():
            discard(partial, trash)  # made meanwhile from the same pages: the same shard
        elif not problem:
            os.rename(partial, cache / keys[number])  # a shard in the cache is always whole
        return problem

    problems = [problem for problem in fork_map(make, missing, workers, min_items=2) if problem]
    if problems:
        raise SiteError(problems[0])
    for number, key in enumerate(keys):
        _place(cache / key, fresh / MORE / str(number) if number else fresh, primary=not number)
        os.utime(cache / key)  # recently used: kept longest
    (fresh / SHARDS_FILE).write_text(json.dumps([f"{MORE}/{number}/" for number in range(1, len(keys))]))
    if cache_dir:
        _prune(cache, set(keys))
    else:
        shutil.rmtree(cache, ignore_errors=True)
    old = site_dir / ".pagefind-old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
