"""The files of the search index, made so that a query fetches little (issue 14):

    pagefind/pagefind-entry.json          names the meta file (the only file that changes name-less)
    pagefind/meta_<hash>.pf_meta          every result's title, address, kind, date and filters; the
                                          table of shards; the traditional -> simplified table
    pagefind/index/<hash>.pf_index        postings: a key with many has a file of its own, the others
                                          share SHARDS files by a hash of the key
    pagefind/fragment/<hash>.pf_fragment  one result's text, for its excerpt: fetched only for the
                                          results a reader sees
    pagefind/pagefind.js                  the search engine (engine.js)

A query of n characters fetches the entry, the meta file, at most (n + 1) // 2 postings files, and
the fragments of the results on screen. Every file but the entry and the engine is named by its
content (immutable: browsers and deploys keep it as long as it exists), and gzipped with
Pagefind's signature inside, as Pagefind does: a server that sends the file with Content-Encoding
gzip (the browser then unpacks it) leaves the signature first, and engine.js unpacks nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import numpy as np

from .documents import Document
from .fold import folding_table
from .postings import SHIFT, Postings, varints

FORMAT = 1  # of the files below, as engine.js reads them
ENTRY = "pagefind-entry.json"
SIGNATURE = b"pagefind_dcd"  # what Pagefind puts first inside the gzip; engine.js looks for it
OWN_FILE = 8 * 1024  # bytes of postings from which a key has a file of its own
SHARD_SIZE = 16 * 1024  # bytes of postings a shared file holds, about
# How a key picks its shared file (engine.js computes the same): a 32-bit hash of its two characters.
_MIX = (0x9E3779B1, 0x85EBCA77, 0x2C1B3C6D)


def shard_of(keys: np.ndarray, shards: int) -> np.ndarray:
    """The shared file of each key (uint64 keys, as postings.key_of makes them)."""
    first = (keys >> SHIFT).astype(np.uint32)
    second = (keys & ((1 << SHIFT) - 1)).astype(np.uint32)
    with np.errstate(over="ignore"):
        mixed = (first * np.uint32(_MIX[0])) ^ (second * np.uint32(_MIX[1]))
        mixed ^= mixed >> np.uint32(15)
        mixed *= np.uint32(_MIX[2])
        mixed ^= mixed >> np.uint32(13)
    return mixed % np.uint32(shards)


class Packed:
    """A file's bytes, gzipped when written (a file the last index has already is never packed).
    Postings are held as views of the postings' own bytes: no copy of them waits in memory."""

    def __init__(self, *parts: bytes | memoryview):
        self.parts = parts

    @property
    def data(self) -> bytes:
        return b"".join(self.parts)

    @property
    def bytes(self) -> bytes:
        return gzip.compress(SIGNATURE + self.data, compresslevel=6, mtime=0)


def _named(folder: str, parts: list[bytes | memoryview], suffix: str, files: dict, length: int = 12) -> str:
    """Add a file made of `parts` to `files` under a name made of its content; returns the name."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    name = digest.hexdigest()[:length]
    files[f"{folder}{name}{suffix}"] = Packed(*parts)
    return name


def index_files(documents: list[Document], postings: Postings, zones: list[tuple[int, int]],
                used: set[str]) -> dict[str, Packed | bytes]:
    """Every file of the index but the engine, by path in pagefind/ (`zones`: where each
    document's title and headings end; `used`: the characters of the column's folded text)."""
    files: dict[str, Packed | bytes] = {}
    sizes = np.diff(postings.starts)
    own = sizes > OWN_FILE
    shared_bytes = int(sizes[~own].sum())
    shards = max(1, -(-shared_bytes // SHARD_SIZE))
    view = memoryview(postings.data)
    owners = {_gram(int(key)): [_named("index/", [view[postings.starts[at]:postings.starts[at + 1]]],
                                       ".pf_index", files), int(sizes[at])]  # its size: engine.js picks the cheapest
              for at, key in zip(np.flatnonzero(own).tolist(), postings.keys[own].tolist(), strict=True)}
    shard_names = _shard_files(postings, np.flatnonzero(~own), shards, files)
    fragments = _fragments(documents, files)
    meta = {"format": FORMAT, "shards": shard_names, "shardBytes": shared_bytes // shards, "own": owners,
            "fold": "".join(old + new for old, new in folding_table(used).items()),
            **_columns(documents, zones, fragments)}
    name = _named("meta_", [json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()], ".pf_meta", files)
    files[ENTRY] = json.dumps({"format": FORMAT, "meta": f"meta_{name}.pf_meta", "pages": len(documents)}).encode()
    return files


def _gram(key: int) -> str:
    second = key & ((1 << SHIFT) - 1)
    return chr(key >> SHIFT) + (chr(second) if second else "")


def _shard_files(postings: Postings, members: np.ndarray, shards: int, files: dict) -> list[str]:
    """The shared postings files: each a header (how many keys; then for each its two code points,
    the second 0 for a single character, and the length of its postings) and the postings after it."""
    owner = shard_of(postings.keys[members], shards)
    order = np.argsort(owner, kind="stable")
    members, owner = members[order], owner[order]
    bounds = np.searchsorted(owner, np.arange(shards + 1))
    starts, data = postings.starts, memoryview(postings.data)
    names = []
    for shard in range(shards):
        held = members[bounds[shard]:bounds[shard + 1]]
        keys = postings.keys[held]
        lengths = starts[held + 1] - starts[held]
        header = np.column_stack([keys >> SHIFT, keys & ((1 << SHIFT) - 1), lengths]).ravel()
        head, _ = varints(np.concatenate([[len(held)], header]).astype(np.uint32))
        spans = zip(starts[held].tolist(), starts[held + 1].tolist(), strict=True)
        names.append(_named("index/", [head, *(data[begin:end] for begin, end in spans)], ".pf_index", files))
    return names


def _fragments(documents: list[Document], files: dict) -> list[str]:
    """One file per result with its blocks (title, headings, body) and how many headings; named by
    content in 8 characters, longer where two results would share a name."""
    names = []
    for document in documents:
        text = json.dumps({"b": document.blocks, "h": len(document.headings)}, ensure_ascii=False,
                          separators=(",", ":")).encode()
        digest = hashlib.sha256(text).hexdigest()
        same = files.get(f"fragment/{digest[:8]}.pf_fragment")
        name = digest[:8] if same is None or same.data == text else digest[:20]
        files[f"fragment/{name}.pf_fragment"] = Packed(text)  # its JSON: a view would not be smaller
        names.append(name)
    return names


def _columns(documents: list[Document], zones: list[tuple[int, int]], fragments: list[str]) -> dict:
    """What the result list and the filters need of every result, a column per field (they pack best)."""
    kinds = sorted({document.meta.get("kind", "") for document in documents})
    units = sorted({unit for document in documents for unit in _split(document.meta.get("units"), "|")})
    unit_number = {unit: number for number, unit in enumerate(units)}
    return {
        "kinds": kinds, "units": units, "pinyin": _pinyin(documents),
        "url": [document.url for document in documents],
        "title": [document.title for document in documents],
        "kind": [kinds.index(document.meta.get("kind", "")) for document in documents],
        "date": [document.meta.get("date", "") for document in documents],
        "years": [document.meta.get("years", "") for document in documents],
        "unit": [[unit_number[unit] for unit in _split(document.meta.get("units"), "|")] for document in documents],
        "stars": [document.meta.get("stars", "") for document in documents],
        "zones": [bound for pair in zones for bound in pair],
        "fragment": fragments,
    }


def _pinyin(documents: list[Document]) -> list[list]:
    """Names a reader may type in pinyin (the templates give a brand's: pinyin:xin qiao), whole and
    by initials (xinqiao, xq), so that such a query is pointed to them; results stay exact."""
    named = []
    for number, document in enumerate(documents):
        syllables = document.meta.get("pinyin", "").split()
        if syllables:
            named.append([number, "".join(syllables), "".join(syllable[0] for syllable in syllables)])
    return named


def _split(value: str | None, separator: str) -> list[str]:
    return [part for part in (value or "").split(separator) if part]
