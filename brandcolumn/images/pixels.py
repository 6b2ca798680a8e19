"""Pixel work on one image: open safely, turn upright, bring into sRGB, fit, average.

Pure functions over Pillow images, shared by planning (a tiny decode for the
placeholder colour) and encoding (the real variants).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import cast

from PIL import Image, ImageCms, ImageOps

RASTER_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_PIXELS = 50_000_000  # a 50-megapixel photo is already far beyond any page's needs
SWAPS_SIDES = {5, 6, 7, 8}  # EXIF orientations that turn the picture by 90 degrees

# Pillow refuses far larger images by itself too, in every worker process. Its warning for sizes
# just above the limit is not for editors' eyes: images.py refuses those with a clear message.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def can_write(kind: str) -> bool:
    """Whether this Pillow can encode a format ('AVIF', 'WEBP'): some platforms' wheels lack AVIF (issue 13)."""
    Image.init()
    return kind in Image.SAVE


def open_image(source: Path | bytes) -> Image.Image:
    """Open an image, trusting only the formats we accept, never the file's name."""
    return Image.open(io.BytesIO(source) if isinstance(source, bytes) else source, formats=RASTER_FORMATS)


def upright_size(im: Image.Image) -> tuple[int, int]:
    """Width and height as the picture is meant to be seen (EXIF orientation applied)."""
    width, height = im.size
    return (height, width) if im.getexif().get(0x0112, 1) in SWAPS_SIDES else (width, height)


def has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa") or "transparency" in im.info


def load_upright(im: Image.Image, largest: tuple[int, int] | None = None) -> Image.Image:
    """Decode the first frame (animations publish their first frame), upright, in sRGB RGB/RGBA.

    For JPEG, `largest` lets the decoder scale down by 1/2, 1/4 or 1/8 while
    decoding (draft mode), which is much faster than resizing afterwards.
    """
    im.seek(0)
    if largest and im.format == "JPEG":
        width, height = largest
        stored = (height, width) if im.getexif().get(0x0112, 1) in SWAPS_SIDES else (width, height)
        im.draft(None, stored)
    im.load()
    return to_srgb(ImageOps.exif_transpose(im))


def to_srgb(im: Image.Image) -> Image.Image:
    """Convert any accepted mode (CMYK, 16-bit, palette, grey, ICC-tagged) to sRGB RGB or RGBA."""
    alpha = im.getchannel("A") if im.mode in ("RGBA", "LA", "PA") else None
    if im.mode == "P" and "transparency" in im.info:
        rgba = im.convert("RGBA")
        alpha, im = rgba.getchannel("A"), rgba.convert("RGB")
    if im.mode.startswith("I"):  # 16-bit grey: scale to 8 bits rather than clip
        im = im.convert("I").point(lambda value: value / 257).convert("L")
    icc = im.info.get("icc_profile")
    rgb = _apply_profile(im, icc) if icc else None
    if rgb is None:
        rgb = im.convert("RGB")
    if alpha is not None:
        rgb.putalpha(alpha)
    rgb.info = {}
    return rgb


def _apply_profile(im: Image.Image, icc: bytes) -> Image.Image | None:
    """Convert through the embedded ICC profile; None when the profile cannot be used."""
    base = {"RGBA": "RGB", "LA": "L", "PA": "RGB", "P": "RGB"}.get(im.mode, im.mode)
    if base not in ("RGB", "CMYK", "L"):
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(im.convert(base), source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None  # a broken profile: show the colours as stored, as browsers do


def fit_tile(im: Image.Image, size: int) -> Image.Image:
    """Fit (contain) an image onto a transparent square tile."""
    tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    fitted = ImageOps.contain(im.convert("RGBA"), (size, size), Image.Resampling.LANCZOS)
    tile.paste(fitted, ((size - fitted.width) // 2, (size - fitted.height) // 2))
    return tile


def resize(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Resample with Lanczos after a fast integer reduction (reducing_gap)."""
    if im.size == size:
        return im.copy()
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def average_colour(im: Image.Image) -> str:
    """The mean colour of an image as #rrggbb, used as its placeholder."""
    pixel = im.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    red, green, blue = cast(tuple[int, int, int], pixel)
    return f"#{red:02x}{green:02x}{blue:02x}"
