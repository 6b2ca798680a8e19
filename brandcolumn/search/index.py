"""Index the built site for search: read the documents its pages declare, post every character
pair, write the index files, and swap them in whole.

Each step keeps what it made in .cache/search/ so that an edit re-indexes only what it changed:
  - pages.marshal: each page file's documents, by the file's size, time and inode (a page kept
    from the last build is not read again), with their folded text;
  - batches/: the postings of each batch of about BATCH_CHARACTERS characters, by what they hold
    (an edited case posts its own batch again, not the column);
  - last.marshal: what the last index was made from; when nothing changed, its files are linked
    from the previous output (index files are named by their content, never changed in place).
"""

from __future__ import annotations

import errno
import functools
import hashlib
import io
import json
import marshal
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, TextIO

import numpy as np

from ..core.errors import located
from ..core.files import replace_file
from ..core.parallel import default_workers, fork_imap, worker_start
from ..core.sources import file_stamp
from . import ENGINE, ENGINE_FILE, INDEX_DIR, PROGRESS_MARK, layout
from .documents import BODY, Document, page_documents
from .postings import BATCH, Postings, index_texts, merge

BATCH_CHARACTERS = 400_000  # a batch of pages posted at once (numpy's memory stays under 100 MB)
PAGES_MEMO = "pages.marshal"
LAST_INDEX = "last.marshal"  # what the last index was made from, and its files
_MEMO_FORMAT = 3
TELL_EVERY = 0.2  # seconds between progress lines


@functools.cache
def indexer_version() -> str:
    """What decides the index besides the pages: this package's code and data, and numpy's version."""
    digest = hashlib.sha256(np.__version__.encode())
    for path in sorted(Path(__file__).parent.iterdir()):
        if path.suffix in (".py", ".js", ".json"):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main() -> None:
    """The indexing process: the request as JSON on stdin; a disk's error as JSON on stdout."""
    worker_start(os.getppid())  # dies with the build, and leaves Ctrl+C to it
    _progress.told = sys.stderr
    request = json.load(sys.stdin)
    folder = lambda value: Path(value) if value else None  # noqa: E731
    try:
        index_here(Path(request["site"]), folder(request["cache"]), request["workers"], request["pages"],
                   folder(request["previous"]))
    except OSError as exc:
        json.dump({"errno": exc.errno, "strerror": exc.strerror, "filename": exc.filename}, sys.stdout)
        sys.exit(1)
    except UnicodeDecodeError:  # the preview rewrote a page while it was read: it asks for an index again
        json.dump({"errno": errno.EAGAIN, "strerror": "a page changed while it was read", "filename": None},
                  sys.stdout)
        sys.exit(1)


def index_here(site_dir: Path, cache_dir: Path | None = None, workers: int | None = 1,
               pages: Iterable[str] | None = None, previous: Path | None = None) -> None:
    """Write the search index of the built site in `site_dir` to `site_dir`/pagefind, in this process.

    `pages` are the site's page files, when known (else every .html file is looked at); with the
    project's `cache_dir`, work done before is reused, and files of the index in the `previous`
    output (the last build's, or `site_dir` itself) are linked from there; with workers=2 (None:
    all cores) pages are read and posted two at a time. The index is assembled beside the old one
    and swapped in, so a site being served (the preview) never searches a half-written index. A
    full disk is told as the cache's.
    """
    with located(cache_dir / "search" if cache_dir else site_dir):
        _index_search(site_dir, cache_dir / "search" if cache_dir else None, workers, pages, previous)


def _index_search(site_dir: Path, cache: Path | None, workers: int | None, pages: Iterable[str] | None,
                  previous: Path | None) -> None:
    target = site_dir / INDEX_DIR
    entries = read_pages(site_dir, pages, cache / PAGES_MEMO if cache else None, workers)
    indexed = [document for _, documents in entries for document in documents]
    if not indexed:
        shutil.rmtree(target, ignore_errors=True)  # nothing to search: no index
        return
    key = hashlib.sha256(f"{indexer_version()} {' '.join(digest for digest, _ in entries)}".encode()).hexdigest()
    made = _made_before(cache, key, previous)
    if made and _swap_in(site_dir, made, previous):  # nothing searchable changed: the same files again
        return
    del entries
    documents = [Document(*fields[:5]) for fields in indexed]
    texts = [fields[5] for fields in indexed]
    zones = [(fields[6], fields[7]) for fields in indexed]
    del indexed
    postings = post(texts, cache / "batches" if cache else None, workers)
    files = layout.index_files(documents, postings, zones, set("".join(texts)))
    del postings, texts
    files[ENGINE_FILE] = ENGINE.read_bytes()
    _swap_in(site_dir, files, previous, workers)
    if cache:
        _remember(cache, key, files)


def _made_before(cache: Path | None, key: str, previous: Path | None) -> dict | None:
    """The files of the index made last from the same documents, if the previous index still
    holds them all."""
    try:
        made_key, small, names = marshal.loads((cache / LAST_INDEX).read_bytes()) if cache else (None, {}, [])
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if made_key != key or not previous or not all((previous / INDEX_DIR / name).is_file() for name in names):
        return None
    return {**small, **{name: Stored() for name in names}}


def _remember(cache: Path, key: str, files: dict) -> None:
    small = {name: data for name, data in files.items() if isinstance(data, bytes)}
    try:
        replace_file(cache / LAST_INDEX, marshal.dumps((key, small, [name for name in files if name not in small])))
    except OSError:
        pass


class Stored:
    """A file of the index that the previous index holds already."""


def read_pages(site_dir: Path, pages: Iterable[str] | None, memo: Path | None,
               workers: int | None) -> list[tuple[str, list]]:
    """The documents of every page, each as (url, title, headings, body, meta, folded text, title
    end, heading end), page by page in the order of their paths, with a digest of them. Pages
    whose file is as it was when last read come from `memo`."""
    if pages is None:
        pages = (path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.html"))
    known = _read_memo(memo)
    stamps = {}
    for path in sorted(page for page in pages if page.endswith(".html")):
        stamp = file_stamp(site_dir / path)
        if stamp is not None:
            stamps[path] = list(stamp)
    unread = [path for path, stamp in stamps.items() if (known.get(path) or [None])[0] != stamp]
    reads = fork_imap(lambda path: _read_page(site_dir, path), unread, workers, min_items=200)
    for number, (path, read) in enumerate(zip(unread, reads, strict=True), 1):
        known[path] = [stamps[path], *read]
        _progress("progress.search.read", number, len(unread))
    seen = {path: known[path] for path in stamps}
    if memo is not None and (unread or len(seen) != len(known)):
        _write_memo(memo, seen)
    return [(digest, documents) for _, digest, documents in seen.values()]


class _Progress:
    """Tells the build, through stderr, how far a stage of the index has come (SearchRun.wait shows it)."""

    def __init__(self) -> None:
        self.told: TextIO | None = None  # stderr, in the index's own process
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.told is not None and (done == total or now - self._last >= TELL_EVERY):
            print(PROGRESS_MARK, stage, done, total, file=self.told, flush=True)
            self._last = now


_progress = _Progress()


def _read_page(site_dir: Path, path: str) -> tuple[str, list]:
    page = (site_dir / path).read_text(encoding="utf-8")
    if BODY not in page:
        return "", []
    found = []
    for document in page_documents(page, path.removesuffix("index.html")):
        folded, title_end, heading_end = document.folded()
        found.append((document.url, document.title, document.headings, document.body, document.meta,
                      folded, title_end, heading_end))
    return hashlib.sha256(marshal.dumps(found)).hexdigest()[:16], found


def _read_memo(memo: Path | None) -> dict[str, list]:
    try:
        version_, known = marshal.loads(memo.read_bytes()) if memo else (None, {})
    except (OSError, ValueError, EOFError, TypeError):
        return {}  # damaged or of another version: every page is read again
    return known if version_ == (_MEMO_FORMAT, indexer_version()) and isinstance(known, dict) else {}


def _write_memo(memo: Path, seen: dict[str, list]) -> None:
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        replace_file(memo, marshal.dumps(((_MEMO_FORMAT, indexer_version()), seen)))
    except OSError:
        pass  # the next build reads the pages again


def batches(texts: list[str]) -> list[range]:
    """The texts cut into runs of about BATCH_CHARACTERS characters (at most postings.BATCH)."""
    runs, start, size = [], 0, 0
    for number, text in enumerate(texts):
        if size and size + len(text) + 1 > min(BATCH_CHARACTERS, BATCH):
            runs.append(range(start, number))
            start, size = number, 0
        size += len(text) + 1
    return runs + [range(start, len(texts))]


def post(texts: list[str], cache: Path | None, workers: int | None) -> Postings:
    """The postings of all texts, batch by batch: a batch posted before with the same texts from
    the same first page comes from `cache`."""
    runs = batches(texts)
    keys = [_batch_key(texts, run) for run in runs]
    made = [_load_batch(cache / key) if cache else None for key in keys]
    missing = [number for number, batch in enumerate(made) if batch is None]
    posted = fork_imap(lambda number: index_texts([texts[i] for i in runs[number]], runs[number].start),
                       missing, workers, min_items=2)
    for done, (number, batch) in enumerate(zip(missing, posted, strict=True), 1):
        made[number] = batch
        _progress("progress.search.post", done, len(missing))
        if cache:
            _save_batch(cache / keys[number], batch)
    if cache:
        _prune(cache, set(keys))
    complete = [batch for batch in made if batch is not None]
    assert len(complete) == len(made)  # every batch loaded or made above
    return merge(complete)


def _batch_key(texts: list[str], run: range) -> str:
    digest = hashlib.sha256(f"{indexer_version()} {run.start}".encode())
    for number in run:
        digest.update(texts[number].encode() + b"\1")
    return digest.hexdigest()[:32]


def _load_batch(path: Path) -> Postings | None:
    try:
        with np.load(path.with_suffix(".npz")) as saved:
            batch = Postings(saved["keys"], saved["starts"], saved["data"].tobytes())
        os.utime(path.with_suffix(".npz"))  # recently used: kept longest
    except (OSError, ValueError, KeyError, EOFError):
        return None
    return batch


def _save_batch(path: Path, batch: Postings) -> None:
    saved = io.BytesIO()
    np.savez(saved, keys=batch.keys, starts=batch.starts, data=np.frombuffer(batch.data, dtype=np.uint8))
    try:
        replace_file(path.with_suffix(".npz"), saved.getvalue())
    except OSError:
        pass  # posted again next time


def _prune(folder: Path, used: set[str]) -> None:
    """Keep the batches this build used and as many again of the most recent others (the preview
    goes back and forth between versions of a page)."""
    try:
        older = sorted((path for path in folder.iterdir() if path.stem not in used and not path.name.startswith(".")),
                       key=_last_used, reverse=True)
    except OSError:
        return
    for stale in older[max(len(used), 2):]:
        stale.unlink(missing_ok=True)


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by a build beside this one
        return 0.0


def _swap_in(site_dir: Path, files: dict, previous: Path | None, workers: int | None = 1) -> bool:
    """Write the index beside the old one and swap it in. A file named by its content that the
    previous index (`previous`/pagefind) has is linked from there, not packed and written again.
    False when a file only the previous index had is gone meanwhile (nothing is swapped then)."""
    target = site_dir / INDEX_DIR
    fresh = site_dir / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    for folder in {Path(name).parent for name in files}:
        (fresh / folder).mkdir(parents=True, exist_ok=True)
    old_index = previous / INDEX_DIR if previous else None
    new = []
    for name, data in files.items():
        if isinstance(data, bytes):  # the entry and the engine: small, and named the same every time
            (fresh / name).write_bytes(data)
        elif not (old_index and _linked(old_index / name, fresh / name)):
            if isinstance(data, Stored):
                shutil.rmtree(fresh, ignore_errors=True)
                return False
            new.append(name)
    # zlib lets go of the interpreter while it packs: threads use both cores without a fork's copy
    # of this process (whose memory a forked worker would count again: 280 MB at 5000 cases).
    with ThreadPoolExecutor(default_workers() if workers is None else max(1, workers)) as pool:
        list(pool.map(lambda name: (fresh / name).write_bytes(files[name].bytes), new))
    old = site_dir / ".pagefind-old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
    return True


def _linked(source: Path, destination: Path) -> bool:
    """Index files are never changed in place, so the new index can share them with the old one."""
    try:
        os.link(source, destination)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copy2(source, destination)
        except OSError:
            return False
    return True
