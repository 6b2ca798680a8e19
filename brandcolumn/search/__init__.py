"""Site search for Chinese with no server: an index of character pairs with their positions,
written at build time and searched in the browser (issue 14).

    documents.py  what the built pages declare searchable (Pagefind's data-pagefind-* attributes)
    fold.py       how text and queries are folded: width, case, spaces, traditional characters
    postings.py   where each character pair stands in each document (numpy, batch by batch)
    layout.py     the index files, cut so that a query fetches only what it needs
    index.py      the step the build runs, in a process of its own: read, post, write, swap in;
                  each part cached
    engine.js     the search in the browser (published as pagefind/pagefind.js)

A result is exactly a document whose text holds the query as written, however long the column:
every pair of the query is looked up, and the positions confirm the phrase.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable, Iterable

from ..core.errors import SiteError
from ..core.messages import say

INDEX_DIR = "pagefind"  # Pagefind's folder: tools that know Pagefind's layout find the index there
ENGINE = Path(__file__).with_name("engine.js")  # published as pagefind/pagefind.js:
ENGINE_FILE = "pagefind.js"
PROGRESS_MARK = "\x1eprogress"  # index.py's progress lines on its stderr
SHOW_EVERY = 0.1  # seconds between looks at the index's progress
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent.parent


@functools.cache
def engine_version() -> str:
    """A digest of the engine, for the search page's ?v=: a new engine is never read from a cache."""
    return hashlib.sha256(ENGINE.read_bytes()).hexdigest()[:10]


def index_search(site_dir: Path, cache_dir: Path | None = None, workers: int | None = 1,
                 pages: Iterable[str] | None = None, previous: Path | None = None) -> None:
    """Write the search index of the built site in `site_dir` to `site_dir`/pagefind, in a
    process of its own (index.main, index.index_here): the build's memory never grows by the index's (240 MB
    at 5000 cases), and the preview's server threads never wait for it.
    """
    start_search(site_dir, cache_dir, workers, pages, previous).wait()


class SearchRun:
    """An index being made, in its own process, while the build goes on; `wait` for it."""

    def __init__(self, request: dict):
        program = (f"import sys; sys.path.insert(0, {str(_PACKAGE_PARENT)!r}); "
                   "from brandcolumn.search.index import main; main()")
        self._process = subprocess.Popen([sys.executable, "-c", program], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self._done: subprocess.CompletedProcess | None = None
        self._stages: dict[str, tuple[int, int]] = {}  # how far each stage of the index has come, as it last told
        # A thread hands over the request and collects the answer, so neither pipe ever fills.
        self._thread = threading.Thread(target=self._talk, args=(json.dumps(request),), daemon=True)
        self._thread.start()

    def _talk(self, request: str) -> None:
        process = self._process
        assert process.stdin and process.stdout and process.stderr  # all three are pipes
        try:
            process.stdin.write(request)
            process.stdin.close()
        except BrokenPipeError:  # it stopped at once: its stderr tells why
            pass
        said = []
        for line in process.stderr:  # its stdout holds one short answer at the end: it cannot fill
            if line.startswith(PROGRESS_MARK):
                stage, done, total = line.split()[1:]
                self._stages[stage] = (int(done), int(total))
            else:
                said.append(line)
        out = process.stdout.read()
        self._done = subprocess.CompletedProcess(process.args, process.wait(), out, "".join(said))

    def __enter__(self) -> "SearchRun":
        return self

    def __exit__(self, kind: type | None, *exc: object) -> None:
        if kind is not None:  # the build failed or was stopped before waiting: so is the index
            self._process.kill()
            self._thread.join()

    def wait(self, progress: Callable[[str], Callable[[int, int], None]] | None = None) -> None:
        """Raise SiteError or OSError if the index could not be made. While it is made, tell
        `progress` how far each stage has come (progress(label)(done, total))."""
        shown: dict[str, tuple[int, int]] = {}
        try:
            while self._thread.is_alive():
                self._thread.join(SHOW_EVERY)
                for stage, now in list(self._stages.items()):  # in the order they began
                    if progress and shown.get(stage) != now:
                        progress(stage)(*now)
                        shown[stage] = now
        except BaseException:  # the build was stopped (Ctrl+C, shutdown): so is the index
            self._process.kill()
            raise
        done = self._done
        if done is None:
            raise SiteError(say("search.failed", reason=say("search.not_started")), hint=say("search.failed.hint"))
        _told(done)


def start_search(site_dir: Path, cache_dir: Path | None = None, workers: int | None = 1,
                 pages: Iterable[str] | None = None, previous: Path | None = None) -> SearchRun:
    """Start index_search; the build does what else it can meanwhile (the index takes a core)."""
    return SearchRun({"site": str(site_dir), "cache": str(cache_dir) if cache_dir else None, "workers": workers,
                      "pages": sorted(pages) if pages is not None else None,
                      "previous": str(previous) if previous else None})


def _told(done: subprocess.CompletedProcess) -> None:
    """What the index process said when it failed, as the build tells it."""
    if done.returncode == 0:
        return
    try:
        failure = json.loads(done.stdout)
    except ValueError:
        detail = (done.stderr or done.stdout).strip().splitlines()
        reason = detail[-1] if detail else done.returncode
        raise SiteError(say("search.failed", reason=reason), hint=say("search.failed.hint")) from None
    raise OSError(failure["errno"], failure["strerror"], failure["filename"])


