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
from pathlib import Path
from typing import Iterable

from ..errors import SiteError

INDEX_DIR = "pagefind"  # Pagefind's folder: tools that know Pagefind's layout find the index there
ENGINE = Path(__file__).with_name("engine.js")  # published as pagefind/pagefind.js:
ENGINE_FILE = "pagefind.js"
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
    request = {"site": str(site_dir), "cache": str(cache_dir) if cache_dir else None, "workers": workers,
               "pages": sorted(pages) if pages is not None else None,
               "previous": str(previous) if previous else None}
    program = (f"import sys; sys.path.insert(0, {str(_PACKAGE_PARENT)!r}); "
               "from brandcolumn.search.index import main; main()")
    done = subprocess.run([sys.executable, "-c", program], input=json.dumps(request), capture_output=True, text=True)
    if done.returncode == 0:
        return
    try:
        failure = json.loads(done.stdout)
    except ValueError:
        detail = (done.stderr or done.stdout).strip().splitlines()
        reason = detail[-1] if detail else done.returncode
        raise SiteError(f"站内搜索的索引没有生成 (the search index could not be built: {reason})",
                        hint="再运行一次 build；仍然出错请把这段话发给维护人员 "
                             "(run build again; report this if it happens again)") from None
    raise OSError(failure["errno"], failure["strerror"], failure["filename"])
