"""Images, first half: declare a picture now (urls, width, height, placeholder).

`ImagePlanner.plan` checks an image reference and returns the Picture a
template shows, without making any variant: it reads the file's bytes for
their hash and its header for the size; the placeholder colour needs a tiny
decode, remembered in the cache by hash. encode.py makes the pixels later.

Variant names carry a hash of the source bytes and of every setting that
changes the result, plus the width: `images/<stem>-<hash>-<width>.<ext>`, so
a web host can cache them for a year and a new setting re-encodes only what
it changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..core.config import Config
from ..core.errors import Origin, Problem, SiteError, did_you_mean, located, os_reason
from ..core.files import replace_file
from ..core.messages import say
from ..core.model import Picture, Ref, Variant
from ..core.slugs import slugify
from ..core.sources import file_stamp, is_inside
from . import pixels
from .svg import UnsafeSvg, clean_svg

# Bump when encoding changes so cached variants are made again.
PIPELINE_VERSION = "2"
MIME = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class SourceInfo:
    """What planning needs to know of a source image; cached by the hash of its bytes."""

    width: int  # upright
    height: int
    alpha: bool
    placeholder: str


class ImagePlanner:
    """Turns image references into Pictures, checking each file once."""

    def __init__(self, config: Config):
        self.config = config
        self._planned: dict[tuple[str, str, object], Picture] = {}  # by path, role and file stamp
        self._origins: dict[str, Origin] = {}
        self._known: list[str] | None = None

    def plan(self, ref: Ref, role: str) -> Picture:
        """Return the Picture for an image under assets/ shown as a 'logo' or a 'photo'.

        Plans are remembered while the file is unchanged: the preview server keeps its planner.
        """
        key = (ref.target, role, file_stamp(self.config.assets_dir / ref.target))
        if key not in self._planned:
            self._planned[key] = self._plan(ref, role)
        self._origins.setdefault(ref.target, ref.origin)
        return self._planned[key]

    def origin_of(self, source: str) -> Origin | None:
        """The first place that asked for an image, for errors found while encoding."""
        return self._origins.get(source)

    def _plan(self, ref: Ref, role: str) -> Picture:
        data = self._read(ref)
        if ref.target.lower().endswith(".svg"):
            return self._plan_svg(ref, role, data)
        content = hashlib.blake2b(data, digest_size=16).hexdigest()
        info = self._source_info(content, data, ref)
        settings = self.config.images
        recipe = f"{PIPELINE_VERSION}|{role}|{settings.quality}|{settings.avif_quality}|{content}"
        digest = hashlib.blake2b(recipe.encode(), digest_size=5).hexdigest()
        return make_picture(ref.target, role, info, digest, self.config)

    def _read(self, ref: Ref) -> bytes:
        assets = self.config.assets_dir
        path = assets / ref.target
        if not is_inside(path, assets):
            raise SiteError(say("image.link_outside", image=ref.target), ref.origin, say("image.link_outside.hint"))
        if not path.is_file():
            raise SiteError(say("image.missing", image=ref.target), ref.origin,
                            did_you_mean(ref.target, self._known_files()))
        try:
            return path.read_bytes()
        except OSError as exc:
            raise SiteError(say("image.unreadable", image=ref.target, reason=os_reason(exc)), ref.origin) from exc

    def _plan_svg(self, ref: Ref, role: str, data: bytes) -> Picture:
        if role != "logo":
            raise SiteError(say("image.svg_photo", image=ref.target), ref.origin, say("image.svg_photo.hint"))
        try:
            clean, width, height = clean_svg(data)
        except UnsafeSvg as exc:
            raise SiteError(say("image.svg_unsafe", image=ref.target, reason=exc.reason), ref.origin,
                            say("image.svg_unsafe.hint")) from exc
        digest = hashlib.blake2b(clean, digest_size=5).hexdigest()
        size = max(self.config.images.logo_widths)
        # The tile is square; the SVG scales itself inside it, keeping its shape.
        scale = size / max(width, height)
        variant = Variant(f"images/{_stem(ref.target)}-{digest}.svg", round(width * scale), round(height * scale),
                          MIME["svg"])
        return Picture(ref.target, role, variant.width, variant.height, (variant,), placeholder="transparent")

    def _source_info(self, content: str, data: bytes, ref: Ref) -> SourceInfo:
        cached = self.config.cache_dir / "images" / "info" / f"{content}.json"
        try:
            return SourceInfo(**json.loads(cached.read_text()))
        except (OSError, ValueError, TypeError):
            pass
        info = read_source_info(data, ref)
        with located(cached.parent):
            replace_file(cached, json.dumps(asdict(info)))
        return info

    def _known_files(self) -> list[str]:
        if self._known is None:
            root = self.config.assets_dir
            self._known = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
        return self._known


def read_source_info(data: bytes, ref: Ref) -> SourceInfo:
    """Size, transparency and placeholder colour, refusing what we do not accept."""
    try:
        with pixels.open_image(data) as im:
            width, height = pixels.upright_size(im)
            if width * height > pixels.MAX_PIXELS:
                raise _too_large(ref, f"{width}x{height}")
            alpha = pixels.has_alpha(im)
            # Transparent images need no placeholder colour, so no decode either.
            placeholder = "transparent" if alpha else pixels.average_colour(pixels.load_upright(im, (64, 64)))
    except UnidentifiedImageError as exc:
        raise SiteError(say("image.format", image=ref.target), ref.origin, say("image.format.hint")) from exc
    except Image.DecompressionBombError as exc:
        # Pillow refuses far larger images while opening them, before we could ask their size.
        count = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_large(ref, count.group(1) if count else "too many") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise SiteError(say("image.damaged", image=ref.target, detail=damage(exc)), ref.origin,
                        say("image.damaged.hint")) from exc
    return SourceInfo(width, height, alpha, placeholder)


def _too_large(ref: Ref, size: str) -> SiteError:
    return SiteError(say("image.too_large", image=ref.target, size=size, most=pixels.MAX_PIXELS // 1_000_000),
                     ref.origin, say("image.too_large.hint"))


def damage(exc: BaseException) -> str:
    """Pillow's reason without byte counts ('truncated (53 bytes not processed)') that mean nothing to editors."""
    return str(exc).split(" (")[0]


def make_picture(source: str, role: str, info: SourceInfo, digest: str, config: Config) -> Picture:
    """Declare every variant of a raster picture: fallback (JPEG/PNG), then AVIF and WebP."""
    if role == "logo":
        # Logos are fitted onto square tiles that keep transparency.
        sizes = _widths_up_to(config.images.logo_widths, max(info.width, info.height))
        dims = [(size, size) for size in sizes]
        fallback_ext = "png"
    else:
        widths = _widths_up_to(config.images.widths, info.width)
        dims = [(w, max(1, round(info.height * w / info.width))) for w in widths]
        fallback_ext = "png" if info.alpha else "jpg"
    stem = _stem(source)

    def variants(ext: str) -> tuple[Variant, ...]:
        return tuple(Variant(f"images/{stem}-{digest}-{w}.{ext}", w, h, MIME[ext]) for w, h in dims)

    largest = dims[-1]
    return Picture(source, role, largest[0], largest[1], variants(fallback_ext),
                   tuple(variants(ext) for ext in modern_formats()),
                   placeholder="transparent" if role == "logo" else info.placeholder,
                   source_size=(info.width, info.height))


MODERN = ("avif", "webp")  # best first


def modern_formats() -> list[str]:
    """The modern formats this computer can write, of AVIF and WebP; JPEG and PNG are always there."""
    return [ext for ext in MODERN if pixels.can_write(ext.upper())]


def missing_formats_warning() -> Problem | None:
    """One warning for a build whose pictures lack a modern format this computer cannot write."""
    missing = [ext.upper() for ext in MODERN if ext not in modern_formats()]
    if not missing:
        return None
    formats = " / ".join(missing)
    return Problem(say("image.formats_missing", formats=formats), hint=say("image.formats_missing.hint"),
                   level="warning")


def _stem(source: str) -> str:
    return slugify(Path(source).stem) or "image"


def _widths_up_to(widths: tuple[int, ...], limit: int) -> list[int]:
    """The configured widths not larger than the source: never upscale."""
    usable = [w for w in widths if w <= limit]
    return usable or [limit]
