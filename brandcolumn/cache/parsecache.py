"""Parsed source files kept across builds in .cache/parsed/, and parsed on both cores when not.

Reading a case (YAML front matter, Markdown, sanitizing) is most of what a build costs: about
6 ms a case on these machines. What a file parses to depends only on its bytes, its path, the
settings and the code that parses it, so each result is stored under a key made of all of them:

    sha256(fingerprint, relative path, file bytes)
    fingerprint = sha256(this package's source, the versions of Markdown, nh3, PyYAML, pypinyin,
                         OpenCC, and site.yml's settings)

Any change to one of those gives new keys, so a stale entry can never be used; entries no
longer used are removed at the end of each build. Files not in the cache are parsed in two
processes (fork) when there are enough of them to pay for starting those.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable, TypeVar

from ..core.config import Config
from ..core.errors import Problems
from ..core.files import replace_file
from ..core.fingerprint import software
from ..core.parallel import fork_map
from ..core.sources import FileMemo, relative

T = TypeVar("T")


def fingerprint(config: Config) -> str:
    """What, besides a file's own bytes, decides what it parses to: the software and the settings."""
    return hashlib.sha256(software() + repr(config).encode()).hexdigest()


class ParseCache(FileMemo):
    """A memo for plain builds: what each file parsed to, stored on disk by content."""

    def __init__(self, config: Config, workers: int | None = None):
        super().__init__(remember=False)
        self.root = config.root
        self.folder = config.cache_dir / "parsed"
        self.fingerprint = fingerprint(config).encode()
        self.workers = workers
        self.used: set[str] = set()

    def load(self, path: Path, parse: Callable[[Path, Problems], T], problems: Problems) -> T:
        return self.load_many([path], parse, problems)[0]

    def load_many(self, paths: list[Path], parse: Callable[[Path, Problems], T], problems: Problems) -> list[T]:
        """parse(path) for each path, from the cache or parsed now (in parallel when many)."""
        keys = [self._key(path) for path in paths]
        results: dict[int, tuple[T, Problems]] = {}
        missing = []
        for index, key in enumerate(keys):
            stored = self._read(key)
            if stored is None:
                missing.append(index)
            else:
                results[index] = stored
        for index, data in zip(missing, self._parse([paths[i] for i in missing], parse), strict=True):
            results[index] = pickle.loads(data)
            if (key := keys[index]) is not None:
                self._write(key, data)
        items = []
        for index in range(len(paths)):
            result, found = results[index]
            problems.merge(found)
            items.append(result)
        return items

    def prune(self) -> None:
        """Remove the entries this build did not use (call after a build that loaded everything)."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name not in self.used:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass

    def _key(self, path: Path) -> str | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None  # parse() reports why the file cannot be read
        digest = hashlib.sha256(self.fingerprint)
        digest.update(b"\0" + relative(path, self.root).encode() + b"\0" + data)
        key = digest.hexdigest()
        self.used.add(key)
        return key

    def _read(self, key: str | None):
        if key is None:
            return None
        try:
            return pickle.loads((self.folder / key).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError):
            return None  # missing, or written by another version: parse again

    def _write(self, key: str, data: bytes) -> None:
        try:
            replace_file(self.folder / key, data)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _parse(self, paths: list[Path], parse: Callable) -> list[bytes]:
        """Parse and pickle each file, on all cores when there are many."""
        def parse_one(path: Path) -> bytes:
            found = Problems()
            result = parse(path, found)
            return pickle.dumps((result, found), protocol=pickle.HIGHEST_PROTOCOL)
        return fork_map(parse_one, paths, self.workers)
