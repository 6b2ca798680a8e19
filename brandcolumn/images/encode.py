"""Images, second half: make every declared variant once, in parallel, cached between builds.

Each picture is decoded once (JPEGs straight at the smallest scale that still
covers the largest variant) and every width and format is encoded from that.
Variants land in .cache/images/ under their content-hashed names; a build
hard-links them into the output, so a warm build encodes nothing and
variants no longer used are simply not linked.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from PIL import Image

from ..core.errors import SiteError, located
from ..core.files import atomic_path, replace_file
from ..core.messages import say
from ..core.model import Picture, Variant
from ..core.parallel import worker_pool
from ..core.sources import file_stamp
from . import pixels
from .planner import ImagePlanner, damage
from .svg import UnsafeSvg, clean_svg

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class EncodeResult:
    encoded: int  # variant files made this build
    reused: int  # variant files taken from the cache
    repaired: int = 0  # of those made, how many were in the cache but damaged


@dataclass(frozen=True)
class _Job:
    source: str
    picture: Picture
    quality: int
    avif_quality: int
    cache: str


def encode_pictures(pictures: list[Picture], planner: ImagePlanner, out_dir: Path,
                    progress: Progress | None = None) -> EncodeResult:
    """Make every variant not cached yet, then link all of them into out_dir."""
    with located(planner.config.cache_dir / "images"):
        return _encode_pictures(pictures, planner, out_dir, progress)


def _encode_pictures(pictures: list[Picture], planner: ImagePlanner, out_dir: Path,
                     progress: Progress | None) -> EncodeResult:
    config = planner.config
    cache = config.cache_dir / "images"
    cache.mkdir(parents=True, exist_ok=True)
    sums = VariantSums(cache)
    used = {Path(v.url_path).name for p in pictures for v in p.variants}
    try:
        damaged = sums.remove_damaged({_cached(cache, v) for p in pictures for v in p.variants})
        encoded = _encode_missing(pictures, planner, cache, sums, progress)
        for picture in pictures:
            for variant in picture.variants:
                _publish(_cached(cache, variant), out_dir / variant.url_path)
        _prune(cache, used)
    finally:
        sums.save(keep=used)  # also when a picture stopped the build: what was made is kept
    published = sum(len(picture.variants) for picture in pictures)
    return EncodeResult(encoded, published - encoded, damaged)


def _encode_missing(pictures: list[Picture], planner: ImagePlanner, cache: Path, sums: VariantSums,
                    progress: Progress | None) -> int:
    """Encode the variants not in the cache; return how many were made."""
    config = planner.config
    todo = [p for p in pictures if not all(_cached(cache, v).is_file() for v in p.variants)]
    jobs = [_Job(str(config.assets_dir / p.source), p, config.images.quality, config.images.avif_quality, str(cache))
            for p in todo]
    encoded = 0
    for done, (job, result) in enumerate(zip(jobs, _run(jobs), strict=True), 1):
        if isinstance(result, OSError):
            raise result  # the disk, not the image (cli.py tells it)
        if isinstance(result, str):
            raise SiteError(say("image.damaged", image=job.picture.source, detail=result),
                            planner.origin_of(job.picture.source), say("image.damaged.hint"))
        encoded += result
        sums.record(_cached(cache, v) for v in job.picture.variants)
        if progress:
            progress(done, len(jobs))
    return encoded


class VariantSums:
    """The size and hash of every variant in the cache, as made (sums.json), and the file's stamp then.

    Outputs are hard links to the cache, so a variant damaged there (an editor's tool, a copy gone
    wrong) would be published as it is (issue 13). Before a variant is linked, its size is compared
    with the one recorded, and when its stamp (time, size, inode) is not the one recorded, its bytes
    are read and their hash compared too: a variant that does not match is made again. A variant
    made before sums were kept is hashed once and trusted.
    """

    FILE = "sums.json"

    def __init__(self, cache: Path):
        self.path = cache / self.FILE
        try:
            recorded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            recorded = {}
        self.sums: dict[str, list] = recorded if isinstance(recorded, dict) else {}
        self.changed = False

    def remove_damaged(self, paths: set[Path]) -> int:
        """Delete the cached variants among `paths` whose bytes are not those recorded; return how many."""
        removed = 0
        for path in paths:
            stamp = file_stamp(path)
            entry = self.sums.get(path.name)
            if stamp is None or (isinstance(entry, list) and len(entry) == 3 and entry[2] == list(stamp)):
                continue  # not made yet, or untouched since it was checked
            size, digest = _sum(path) or (None, None)
            if not isinstance(entry, list) or len(entry) != 3 or [size, digest] == entry[:2]:
                self._note(path.name, size, digest, stamp)  # older than the sums (trusted once), or only touched
            else:
                path.unlink(missing_ok=True)
                self.sums.pop(path.name, None)
                self.changed = True
                removed += 1
        return removed

    def record(self, paths: Iterable[Path]) -> None:
        """Remember variants just made."""
        for path in paths:
            if (stamp := file_stamp(path)) is not None:
                size, digest = _sum(path) or (None, None)
                self._note(path.name, size, digest, stamp)

    def _note(self, name: str, size: int | None, digest: str | None, stamp: tuple) -> None:
        self.sums[name] = [size, digest, list(stamp)]
        self.changed = True

    def save(self, keep: set[str]) -> None:
        """Write the sums down, without those of variants no longer in the cache."""
        kept = {name: value for name, value in self.sums.items() if name in keep or (self.path.parent / name).is_file()}
        if kept == self.sums and not self.changed:
            return
        self.sums = kept
        replace_file(self.path, json.dumps(self.sums))


def _sum(path: Path) -> tuple[int, str] | None:
    """(size, blake2b) of a file; None when it cannot be read."""
    try:
        with path.open("rb") as file:
            data = file.read()
    except OSError:
        return None
    return len(data), hashlib.blake2b(data, digest_size=16).hexdigest()


# Variants unused for this long are deleted from the cache; younger ones are kept, so switching
# a setting back and forth (or previewing drafts) does not re-encode everything each time.
CACHE_KEEP_SECONDS = 30 * 24 * 3600
REFRESH_SECONDS = 24 * 3600


def _prune(cache: Path, used: set[str]) -> None:
    """Keep the cache from growing forever: drop old variants no page uses any more."""
    cutoff = time.time() - CACHE_KEEP_SECONDS
    for path in cache.iterdir():
        if path.is_file() and path.name not in used and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _cached(cache: Path, variant: Variant) -> Path:
    return cache / Path(variant.url_path).name


def _run(jobs: list[_Job]):
    """Encode pictures over all cores; yields results in job order as they finish.

    The workers stop at once when the build stops (Ctrl+C, a damaged image): leaving the block
    terminates them, instead of waiting for every image still queued.
    """
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2:
        yield from map(_encode, jobs)
        return
    with worker_pool(workers) as pool:
        yield from pool.imap(_encode, jobs)


def _encode(job: _Job) -> int | str | OSError:
    """Encode one picture's missing variants; return how many were made, what is wrong with the image,
    or the error of the disk (a full disk is not a damaged image)."""
    picture, cache = job.picture, Path(job.cache)
    missing = [v for v in picture.variants if not _cached(cache, v).is_file()]
    try:
        if picture.fallback[0].mime == "image/svg+xml":
            clean, _, _ = clean_svg(Path(job.source).read_bytes())
            with atomic_path(_cached(cache, picture.fallback[0])) as temp:
                temp.write_bytes(clean)
            return 1
        largest = max(missing, key=lambda v: v.width)
        with pixels.open_image(Path(job.source)) as im:
            current = pixels.load_upright(im, (largest.width, largest.height))
        # Largest first, each size made from the one before: resampling 1500 px down to 320 px
        # costs eight times as much as 640 px down to 320 px, and looks the same.
        for width in sorted({v.width for v in missing}, reverse=True):
            current = _variant_image(current, picture, width)
            for variant in (v for v in missing if v.width == width):
                with atomic_path(_cached(cache, variant)) as temp:
                    _save(current, variant, job, temp)
    except OSError as exc:
        if exc.errno is not None:  # Pillow's own complaints about an image carry no errno
            # A file of the cache (a variant being written) is the cache's trouble, told as the folder to clear
            where = cache if not exc.filename or Path(exc.filename).parent == Path(cache) else exc.filename
            return OSError(exc.errno, exc.strerror, str(where))
        return damage(exc)
    except (SyntaxError, ValueError, UnsafeSvg, Image.DecompressionBombError) as exc:
        return damage(exc)
    return len(missing)


def _variant_image(larger: Image.Image, picture: Picture, width: int) -> Image.Image:
    """The picture at one width, made from the upright source or from a larger variant of it."""
    if picture.role == "logo":
        return pixels.fit_tile(larger, width)  # a larger tile stays square and centred when fitted
    height = next(v.height for v in picture.fallback if v.width == width)
    return pixels.resize(larger, (width, height))


def _save(im: Image.Image, variant: Variant, job: _Job, target: Path) -> None:
    """Encode with no metadata: the image's info is empty and nothing (EXIF, ICC, XMP) is passed."""
    im.info = {}
    mime = variant.mime
    if mime == "image/avif":
        # One encoder thread: the result then does not depend on the machine's core count.
        im.save(target, "AVIF", quality=job.avif_quality, speed=8, max_threads=1)
    elif mime == "image/webp":
        im.save(target, "WEBP", quality=job.quality, method=4)
    elif mime == "image/png":
        im.save(target, "PNG")  # optimize=True costs 4x the time for 2% smaller files
    else:
        im.convert("RGB").save(target, "JPEG", quality=job.quality, optimize=True, progressive=True)


def _publish(cached: Path, target: Path) -> None:
    """Hard-link a cached variant into the output (copy where links are not possible)."""
    # Its age in the cache counts from this use. The output's hard link shares the file's times,
    # so they are refreshed at most daily: on every build, every published image would look
    # changed to other output folders' records (reuse.py, uptodate.py) and to rsync.
    if time.time() - cached.stat().st_mtime > REFRESH_SECONDS:
        os.utime(cached)
    try:
        if os.path.samefile(cached, target):
            return  # the preview's folder has it already
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        _link(cached, target)  # a new file (in a build's staging folder): nobody is reading it
        return
    with atomic_path(target) as temporary:  # a damaged copy there, maybe being read: replaced at once
        _link(cached, temporary)


def _link(cached: Path, target: Path) -> None:
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
