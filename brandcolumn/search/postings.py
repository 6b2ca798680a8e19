"""Postings: for every character pair (bigram) of the column's text, where it stands, page by page.

This is the classic CJK analyzer (Lucene's CJKBigramFilter): 办理时限 is looked up as 办理, 时限
(and 理时 only when the query has an odd length), and a page holds the phrase when those pairs
stand at the right distances from each other, which the positions tell exactly. Single
characters are indexed too, with their count and first position only, for one-character queries.

A text is a page's searchable text already folded (fold.py): blocks joined by fold.SEP, which no
pair crosses, so a phrase never runs from one paragraph into the next.

Each key's postings are a run of unsigned LEB128 varints, one entry per page that holds it:
    bigram:    page, count, first position, gap to the next position, ...
    character: page, count, first position
with pages in increasing order. The work is done by numpy over a whole batch of pages at once
(about 20 times faster than a Python loop over characters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fold import SEP

SHIFT = 21  # a code point fits in 21 bits: a key is (first << SHIFT) | second, 0 for "none"


def key_of(gram: str) -> int:
    """The key of a bigram or of a single character (as engine.js computes it)."""
    return (ord(gram[0]) << SHIFT) | (ord(gram[1]) if len(gram) > 1 else 0)


@dataclass
class Postings:
    """The postings of a batch of pages: for keys[i] (sorted), data[starts[i]:starts[i + 1]]."""

    keys: np.ndarray  # uint64
    starts: np.ndarray  # int64, one more than keys
    data: bytes

    def of(self, key: int) -> bytes:
        at = int(np.searchsorted(self.keys, key))
        if at == len(self.keys) or int(self.keys[at]) != key:
            return b""
        return self.data[self.starts[at]:self.starts[at + 1]]


BATCH = (1 << 21) - 1  # characters of one call of index_texts sorted the fast way (see _sorted)


def index_texts(texts: list[str], first_page: int = 0) -> Postings:
    """The postings of `texts`, numbered from `first_page`."""
    joined = SEP.join(texts) + SEP
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(text) + 1 for text in texts), dtype=np.int64, count=len(texts))
    pages = np.repeat(np.arange(first_page, first_page + len(texts), dtype=np.uint32), lengths)
    positions = (np.arange(len(codes), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    real = codes != 0  # fold.SEP is U+0000
    pairs = np.flatnonzero(real[:-1] & real[1:])
    bigrams = _encode((codes[pairs] << SHIFT) | codes[pairs + 1], pages[pairs], positions[pairs], every_position=True)
    del pairs
    real = np.flatnonzero(real)
    singles = _encode(codes[real] << SHIFT, pages[real], positions[real], every_position=False)
    return merge([bigrams, singles])  # no key in common: bigram keys never end in 0, characters' always do


def _sorted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The keys sorted, and where each came from, in order within a key: the two are sorted as one
    number (a key has 42 bits, an index into a batch 21), which numpy sorts far faster than an argsort.
    A batch longer than that (one page of over 2 million characters) takes the slow way."""
    if len(keys) > BATCH:
        order = np.argsort(keys, kind="stable")
        return keys[order], order
    combined = (keys << SHIFT) | np.arange(len(keys), dtype=np.uint64)
    combined.sort()
    return combined >> SHIFT, (combined & BATCH).astype(np.int64)


def _encode(keys: np.ndarray, pages: np.ndarray, positions: np.ndarray, every_position: bool) -> Postings:
    keys, order = _sorted(keys)
    pages, positions = pages[order], positions[order].astype(np.uint32)
    del order
    count = len(keys)
    new_key = np.ones(count, dtype=bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_entry = new_key.copy()
    new_entry[1:] |= pages[1:] != pages[:-1]
    entry_starts = np.flatnonzero(new_entry)
    counts = np.diff(np.append(entry_starts, count)).astype(np.uint32)
    entries = len(entry_starts)
    if every_position:
        gaps = positions.copy()
        gaps[1:] -= positions[:-1]
        gaps[entry_starts] = positions[entry_starts]  # the first position of each page as it is
        slots = np.arange(count, dtype=np.int64) + 2 * np.cumsum(new_entry)
        numbers = np.empty(count + 2 * entries, dtype=np.uint32)
        numbers[slots] = gaps
        header = entry_starts + 2 * np.arange(entries)
        numbers[header] = pages[entry_starts]
        numbers[header + 1] = counts
        key_numbers = header[new_key[entry_starts]]
    else:
        numbers = np.column_stack([pages[entry_starts], counts, positions[entry_starts]]).ravel()
        key_numbers = 3 * np.flatnonzero(new_key[entry_starts])
    data, number_starts = varints(numbers)
    return Postings(keys[new_key], np.append(number_starts[key_numbers], len(data)), data)


def varints(numbers: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The numbers as unsigned LEB128 varints, and where each starts."""
    numbers = numbers.astype(np.uint32)
    sizes = 1 + (numbers >= 1 << 7).astype(np.int64)
    longer = np.flatnonzero(sizes > 1)  # few: most numbers are gaps or counts under 128
    for bits in (14, 21, 28):
        sizes[longer] += numbers[longer] >= 1 << bits
    ends = np.cumsum(sizes)
    starts = ends - sizes
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    for byte in range(5):
        if byte:
            longer = longer[sizes[longer] > byte]
        part = numbers[longer] if byte else numbers
        low = ((part >> (7 * byte)) & 0x7F).astype(np.uint8)
        low |= (sizes[longer] > byte + 1 if byte else sizes > 1).view(np.uint8) << 7  # more bytes follow
        out[starts[longer] + byte if byte else starts] = low
    return out.tobytes(), starts


def decode(data: bytes, every_position: bool = True) -> dict[int, tuple[int, list[int]]]:
    """Postings read back: page -> (count, positions), the first position only for a single
    character. For tests and tools; engine.js reads them in the browser."""
    numbers, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            numbers.append(value)
            value, shift = 0, 0
    found, at = {}, 0
    while at < len(numbers):
        page, count = numbers[at], numbers[at + 1]
        at += 2
        if not every_position:
            found[page] = (count, [numbers[at]])
            at += 1
            continue
        positions, total = [], 0
        for gap in numbers[at:at + count]:
            total += gap
            positions.append(total)
        found[page] = (count, positions)
        at += count
    return found


def merge(batches: list[Postings]) -> Postings:
    """The postings of consecutive batches of pages as one: each key's runs joined in batch order
    (the pages of a batch all come after those of the one before)."""
    if len(batches) == 1:
        return batches[0]
    keys = np.concatenate([batch.keys for batch in batches])
    sizes = np.concatenate([np.diff(batch.starts) for batch in batches])
    begins = np.concatenate([batch.starts[:-1] for batch in batches])
    sources = np.repeat(np.arange(len(batches)), [len(batch.keys) for batch in batches])
    order = np.argsort(keys, kind="stable")
    keys, sizes, begins, sources = keys[order], sizes[order], begins[order], sources[order]
    views = [memoryview(batch.data) for batch in batches]  # slices of a view copy nothing until joined
    parts = [views[source][begin:begin + size]
             for source, begin, size in zip(sources.tolist(), begins.tolist(), sizes.tolist(), strict=True)]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    starts = np.cumsum(sizes) - sizes
    return Postings(keys[first], np.append(starts[first], int(sizes.sum())), b"".join(parts))
