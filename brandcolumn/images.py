"""Images: declare a picture now (url, width, height), make the pixels later.

`ImagePlanner.plan` reads only an image's header and bytes hash, so pages can
be rendered with exact URLs and sizes before anything is encoded. At the end
of the build `encode_pictures` makes every variant once, in parallel, into a
cache kept between builds, and links them into the output.

Originals are never published: every variant is re-encoded from the pixels
alone, so no EXIF, GPS, XMP, ICC or text chunk reaches the web.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from .config import Config
from .errors import Origin, SiteError, did_you_mean
from .model import Picture, Ref, Variant
from .slugs import slugify
from .sources import is_inside

# Bump when encoding changes so cached variants are made again.
PIPELINE_VERSION = "1"
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_PIXELS = 50_000_000  # a 50-megapixel photo is already far beyond any page's needs
_SWAPS_SIDES = {5, 6, 7, 8}  # EXIF orientations that turn the picture by 90 degrees


@dataclass(frozen=True)
class Header:
    width: int
    height: int
    has_alpha: bool


class ImagePlanner:
    """Turns image references into Pictures, checking each file once."""

    def __init__(self, config: Config):
        self.config = config
        self._planned: dict[tuple[str, str], Picture] = {}
        self._origins: dict[str, Origin] = {}
        self._known: list[str] | None = None

    def plan(self, ref: Ref, role: str) -> Picture:
        """Return the Picture for an image path under assets/ shown as a 'logo' or 'photo'."""
        key = (ref.target, role)
        if key not in self._planned:
            self._planned[key] = self._plan(ref, role)
            self._origins.setdefault(ref.target, ref.origin)
        return self._planned[key]

    def origin_of(self, source: str) -> Origin | None:
        """The first place that asked for an image, for errors found while encoding."""
        return self._origins.get(source)

    def _plan(self, ref: Ref, role: str) -> Picture:
        assets = self.config.assets_dir
        path = assets / ref.target
        if not is_inside(path, assets):
            raise SiteError(f"image '{ref.target}' is a link to a file outside assets/", ref.origin,
                            "copy the image into assets/ instead of linking it")
        if not path.is_file():
            raise SiteError(f"image '{ref.target}' not found under assets/", ref.origin,
                            did_you_mean(ref.target, self._known_files()))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SiteError(f"image '{ref.target}' cannot be read: {exc.strerror}", ref.origin) from exc
        header = read_header(data, ref)
        digest = self._digest(data, role)
        return _make_picture(ref.target, role, header, digest, self.config)

    def _digest(self, data: bytes, role: str) -> str:
        settings = self.config.images
        recipe = f"{PIPELINE_VERSION}|{role}|{settings.widths}|{settings.logo_widths}|{settings.quality}"
        return hashlib.blake2b(recipe.encode() + data, digest_size=16).hexdigest()[:10]

    def _known_files(self) -> list[str]:
        if self._known is None:
            root = self.config.assets_dir
            self._known = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
        return self._known


def read_header(data: bytes, ref: Ref) -> Header:
    """Read size and transparency without decoding pixels; refuse what we do not accept."""
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as im:
            width, height = im.size
            orientation = im.getexif().get(0x0112, 1)
            has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
    except UnidentifiedImageError as exc:
        raise SiteError(f"image '{ref.target}' is not a JPEG, PNG, WebP or GIF file", ref.origin,
                        "save it again as PNG (logos) or JPEG (photos)") from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise SiteError(f"image '{ref.target}' is damaged and cannot be read ({exc})", ref.origin,
                        "export the image again from the original") from exc
    if width * height > MAX_PIXELS:
        raise SiteError(f"image '{ref.target}' is too large: {width}x{height} pixels "
                        f"(at most {MAX_PIXELS // 1_000_000} megapixels)", ref.origin,
                        "scale it down to at most 4000 pixels wide before adding it")
    if orientation in _SWAPS_SIDES:
        width, height = height, width
    return Header(width, height, has_alpha)


def _make_picture(source: str, role: str, header: Header, digest: str, config: Config) -> Picture:
    stem = slugify(Path(source).stem) or "image"
    if role == "logo":
        # Logos are fitted onto square tiles that keep transparency.
        ext, mime = "png", "image/png"
        sizes = _widths_up_to(config.images.logo_widths, max(header.width, header.height))
        dims = [(size, size) for size in sizes]
    else:
        ext, mime = ("png", "image/png") if header.has_alpha else ("jpg", "image/jpeg")
        widths = _widths_up_to(config.images.widths, header.width)
        dims = [(w, max(1, round(header.height * w / header.width))) for w in widths]
    fallback = tuple(Variant(f"images/{stem}-{digest}-{w}.{ext}", w, h, mime) for w, h in dims)
    largest = fallback[-1]
    return Picture(source, role, largest.width, largest.height, fallback)


def _widths_up_to(widths: tuple[int, ...], limit: int) -> list[int]:
    """The configured widths not larger than the source: never upscale."""
    usable = [w for w in widths if w <= limit]
    return usable or [limit]


# --- encoding ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class EncodeResult:
    encoded: int  # variants made this build
    reused: int  # variants taken from the cache


def encode_pictures(pictures: list[Picture], planner: ImagePlanner, out_dir: Path) -> EncodeResult:
    """Make every variant not yet cached (in parallel) and link all of them into out_dir."""
    config = planner.config
    cache = config.cache_dir / "images"
    cache.mkdir(parents=True, exist_ok=True)
    todo = [p for p in pictures if not all((cache / Path(v.url_path).name).is_file() for v in p.variants)]
    jobs = [(str(config.assets_dir / p.source), p, config.images.quality, str(cache)) for p in todo]
    encoded = 0
    for picture, result in zip(todo, _run(jobs), strict=True):
        if isinstance(result, str):
            raise SiteError(f"image '{picture.source}' is damaged and cannot be read ({result})",
                            planner.origin_of(picture.source), "export the image again from the original")
        encoded += result
    total = 0
    for picture in pictures:
        for variant in picture.variants:
            _publish(cache / Path(variant.url_path).name, out_dir / variant.url_path)
            total += 1
    return EncodeResult(encoded, total - encoded)


def _run(jobs: list[tuple]) -> list[int | str]:
    if len(jobs) < 2 or (os.cpu_count() or 1) < 2:
        return [_encode_job(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(_encode_job, jobs))


def _encode_job(job: tuple) -> int | str:
    """Encode one picture's variants; return how many were made, or an error message."""
    source, picture, quality, cache = job
    try:
        with Image.open(source, formats=ACCEPTED_FORMATS) as im:
            im.load()
            upright = _upright(im)
        for variant in picture.variants:
            _save_variant(upright, picture.role, variant, quality, Path(cache))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        # Pillow adds byte counts ("truncated (53 bytes not processed)") that mean nothing to editors.
        return str(exc).split(" (")[0]
    return len(picture.variants)


def _upright(im: Image.Image) -> Image.Image:
    """First frame, turned upright by EXIF, in RGB or RGBA."""
    im.seek(0)  # animated images publish their first frame
    upright = ImageOps.exif_transpose(im)
    alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    return upright.convert("RGBA" if alpha else "RGB")


def _save_variant(im: Image.Image, role: str, variant: Variant, quality: int, cache: Path) -> None:
    if role == "logo":
        tile = Image.new("RGBA", (variant.width, variant.height), (0, 0, 0, 0))
        fitted = ImageOps.contain(im, tile.size, Image.Resampling.LANCZOS)
        tile.paste(fitted, ((tile.width - fitted.width) // 2, (tile.height - fitted.height) // 2))
        out = tile
    else:
        out = im.resize((variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out.info = {}  # never carry metadata over from the source
    target = cache / Path(variant.url_path).name
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    if variant.mime == "image/png":
        out.save(temp, "PNG", optimize=True)
    else:
        out.save(temp, "JPEG", quality=quality, optimize=True, progressive=True)
    os.replace(temp, target)


def _publish(cached: Path, target: Path) -> None:
    """Hard-link a cached variant into the output (copy when links are not possible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
