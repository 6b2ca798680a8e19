"""Planning pictures and encoding their variants: sizes, formats, names, cache, metadata."""

import io
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from brandcolumn.core.config import Config, ImageSettings
from brandcolumn.core.errors import Origin, SiteError
from brandcolumn.core.model import Ref
from brandcolumn.images.encode import encode_pictures
from brandcolumn.images.planner import ImagePlanner
from sitekit import SRGB_BLUE, SRGB_GREEN, SRGB_RED, png16_rgb, rgb_profile

ORIGIN = Origin("content/brands/x.yml", 5)
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "photoshop", "iptc"}


def config_for(root: Path, **images) -> Config:
    settings = ImageSettings(widths=(320, 640, 1280), logo_widths=(160, 320), **images)
    return Config(root=root, title="t", base_url="https://e.cn/", images=settings)


def save(root: Path, name: str, image: Image.Image, **params) -> None:
    path = root / "assets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **params)


def plan(root: Path, name: str, role: str = "photo", **images):
    planner = ImagePlanner(config_for(root, **images))
    return planner, planner.plan(Ref(name, ORIGIN), role)


def test_plan_declares_every_format_and_width_before_encoding(tmp_path):
    save(tmp_path, "photos/p.png", Image.new("RGB", (1000, 500), (30, 60, 90)))
    _, picture = plan(tmp_path, "photos/p.png")
    assert [(v.width, v.height, v.mime) for v in picture.fallback] == [(320, 160, "image/jpeg"), (640, 320, "image/jpeg")]
    assert [group[0].mime for group in picture.alternates] == ["image/avif", "image/webp"]
    assert (picture.width, picture.height, picture.placeholder) == (640, 320, "#1e3c5a")
    assert all(v.url_path.startswith("images/p-") for v in picture.variants)
    assert not list((tmp_path / ".cache/images").glob("*.jpg"))  # nothing encoded yet


def test_transparent_photos_fall_back_to_png(tmp_path):
    save(tmp_path, "photos/cut.png", Image.new("RGBA", (400, 400), (0, 0, 0, 0)))
    _, picture = plan(tmp_path, "photos/cut.png")
    assert picture.fallback[0].mime == "image/png" and picture.placeholder == "transparent"


def test_every_variant_is_made_clean_and_at_its_declared_size(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 23.0, 0.0), 3: "E", 4: (120.0, 58.0, 0.0)})
    save(tmp_path, "photos/gps.jpg", Image.new("RGB", (800, 1200), "gray"), exif=exif, comment=b"secret")
    planner, picture = plan(tmp_path, "photos/gps.jpg")
    assert [(v.width, v.height) for v in picture.fallback] == [(320, 213), (640, 427)]  # upright, never upscaled
    assert encode_pictures([picture], planner, tmp_path / "out").encoded == 6
    for variant in picture.variants:
        data = (tmp_path / "out" / variant.url_path).read_bytes()
        assert b"Camera maker" not in data and b"secret" not in data and b"Exif" not in data
        with Image.open(io.BytesIO(data)) as im:
            assert im.get_format_mimetype() == variant.mime
            assert im.size == (variant.width, variant.height)
            assert not im.getexif() and not METADATA_KEYS & set(im.info)


def test_logos_become_square_transparent_tiles_in_every_format(tmp_path):
    save(tmp_path, "logos/wide.png", Image.new("RGBA", (640, 200), (200, 0, 0, 255)))
    planner, picture = plan(tmp_path, "logos/wide.png", role="logo")
    encode_pictures([picture], planner, tmp_path / "out")
    for variant in picture.variants:
        with Image.open(tmp_path / "out" / variant.url_path) as tile:
            assert tile.size == (variant.width, variant.width)
            rgba = tile.convert("RGBA")
            assert rgba.getpixel((2, 2))[3] == 0, variant.url_path
            assert rgba.getpixel((variant.width // 2,) * 2)[3] == 255


def test_a_warm_encode_makes_nothing(tmp_path):
    save(tmp_path, "photos/p.jpg", Image.new("RGB", (700, 400), "gray"))
    planner, picture = plan(tmp_path, "photos/p.jpg")
    assert encode_pictures([picture], planner, tmp_path / "a").encoded == 6
    again = encode_pictures([picture], planner, tmp_path / "b")
    assert (again.encoded, again.reused) == (0, 6)
    assert (tmp_path / "a" / picture.fallback[0].url_path).read_bytes() == \
        (tmp_path / "b" / picture.fallback[0].url_path).read_bytes()


def test_cache_forgets_variants_unused_for_a_month(tmp_path):
    save(tmp_path, "photos/p.jpg", Image.new("RGB", (700, 400), "gray"))
    planner, picture = plan(tmp_path, "photos/p.jpg")
    cache = tmp_path / ".cache/images"
    stale, recent = cache / "gone-0123456789-320.jpg", cache / "recent-0123456789-320.jpg"
    stale.write_bytes(b"x")
    recent.write_bytes(b"x")
    os.utime(stale, (0, time.time() - 31 * 24 * 3600))
    encode_pictures([picture], planner, tmp_path / "out")
    assert not stale.exists() and recent.exists()
    assert all((cache / Path(v.url_path).name).exists() for v in picture.variants)


def test_a_new_width_encodes_only_that_width(tmp_path):
    save(tmp_path, "photos/p.jpg", Image.new("RGB", (1500, 1000), "gray"))
    planner, first = plan(tmp_path, "photos/p.jpg")
    encode_pictures([first], planner, tmp_path / "a")
    config = replace(planner.config, images=replace(planner.config.images, widths=(320, 640, 1280, 1440)))
    wider = ImagePlanner(config)
    second = wider.plan(Ref("photos/p.jpg", ORIGIN), "photo")
    assert set(first.variants) < set(second.variants)  # same names for what did not change
    assert encode_pictures([second], wider, tmp_path / "b").encoded == 3


def test_changing_quality_renames_and_re_encodes_only_what_it_affects(tmp_path):
    save(tmp_path, "photos/p.jpg", Image.new("RGB", (700, 400), "gray"))
    save(tmp_path, "logos/l.png", Image.new("RGBA", (400, 400), "red"))
    _, photo = plan(tmp_path, "photos/p.jpg")
    _, photo_q60 = plan(tmp_path, "photos/p.jpg", quality=60)
    assert not set(photo.variants) & set(photo_q60.variants)
    _, logo = plan(tmp_path, "logos/l.png", role="logo")
    planner = ImagePlanner(replace(config_for(tmp_path), images=ImageSettings(widths=(200,), logo_widths=(160, 320))))
    assert planner.plan(Ref("logos/l.png", ORIGIN), "logo") == logo  # photo widths do not touch logos


def test_encoding_is_reproducible(tmp_path):
    save(tmp_path, "photos/p.jpg", Image.effect_mandelbrot((900, 600), (-2, -1, 1, 1), 60).convert("RGB"))
    planner, picture = plan(tmp_path, "photos/p.jpg")
    encode_pictures([picture], planner, tmp_path / "a")
    first = {v.url_path: (tmp_path / "a" / v.url_path).read_bytes() for v in picture.variants}
    for cached in (tmp_path / ".cache/images").glob("p-*"):
        cached.unlink()
    encode_pictures([picture], planner, tmp_path / "b")
    assert first == {v.url_path: (tmp_path / "b" / v.url_path).read_bytes() for v in picture.variants}


def test_safe_svg_logo_is_published_clean_and_whole(tmp_path):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><!-- by Li Si -->'
           '<rect width="200" height="100" fill="#a4161a"/></svg>')
    (tmp_path / "assets/logos").mkdir(parents=True)
    (tmp_path / "assets/logos/mark.svg").write_text(svg)
    planner, picture = plan(tmp_path, "logos/mark.svg", role="logo")
    assert (picture.width, picture.height, picture.alternates) == (320, 160, ())
    encode_pictures([picture], planner, tmp_path / "out")
    published = (tmp_path / "out" / picture.fallback[0].url_path).read_text()
    assert published.startswith("<svg") and "Li Si" not in published and 'fill="#a4161a"' in published


@pytest.mark.parametrize("name, image, message", [
    ("photos/p.bmp", Image.new("RGB", (50, 50)), "图片“photos/p.bmp”不是 JPEG、PNG、WebP 或 GIF 格式"),
    ("photos/disguised.png", Image.new("RGB", (50, 50)),  # a BMP file that claims to be a PNG
     "图片“photos/disguised.png”不是 JPEG、PNG、WebP 或 GIF 格式"),
    ("photos/big.png", Image.new("1", (8000, 7000)), "图片“photos/big.png”太大：8000x7000 像素（最多 50 百万像素）"),
])
def test_refusals(tmp_path, name, image, message):
    save(tmp_path, name, image, format="PNG" if name.endswith("big.png") else "BMP")
    with pytest.raises(SiteError) as caught:
        plan(tmp_path, name)
    assert str(caught.value.problem.message) == message
    assert caught.value.problem.origin == ORIGIN


def _cmyk_red() -> bytes:
    buffer = io.BytesIO()
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def _icc_tagged_red_meaning_green() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (255, 0, 0)).save(buffer, "PNG", icc_profile=rgb_profile(SRGB_GREEN, SRGB_RED, SRGB_BLUE))
    return buffer.getvalue()


def _grey16() -> bytes:
    buffer = io.BytesIO()
    Image.new("I;16", (300, 200), 32768).save(buffer, "PNG")
    return buffer.getvalue()


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (300, 200), colour) for colour in ((200, 0, 0), (0, 0, 200))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


@pytest.mark.parametrize("make, expected", [
    (_cmyk_red, (255, 0, 0)),
    (_icc_tagged_red_meaning_green, (0, 255, 0)),
    (_grey16, (128, 128, 128)),
    (lambda: png16_rgb(300, 200, (65535, 32768, 0)), (255, 128, 0)),
    (_animated_gif, (200, 0, 0)),
], ids=["cmyk-jpeg", "icc-profile", "16-bit-grey", "16-bit-rgb", "animated-gif"])
def test_every_colour_mode_comes_out_right_in_every_format(tmp_path, make, expected):
    (tmp_path / "assets/photos").mkdir(parents=True)
    (tmp_path / "assets/photos/source").write_bytes(make())
    planner, picture = plan(tmp_path, "photos/source")
    encode_pictures([picture], planner, tmp_path / "out")
    for variant in picture.variants:
        with Image.open(tmp_path / "out" / variant.url_path) as im:
            assert getattr(im, "n_frames", 1) == 1  # animations publish their first frame, still
            pixel = im.convert("RGB").getpixel((im.width // 2, im.height // 2))
            assert all(abs(a - b) <= 16 for a, b in zip(pixel, expected, strict=True)), (variant.mime, pixel)
            assert "icc_profile" not in im.info


def test_palette_png_with_transparency_stays_transparent_in_every_format(tmp_path):
    palette = Image.new("P", (300, 300), 1)
    palette.putpalette([0, 0, 0, 20, 120, 200] + [0] * 762)
    palette.paste(0, (0, 0, 300, 100))
    save(tmp_path, "logos/p.png", palette, transparency=0)
    planner, picture = plan(tmp_path, "logos/p.png", role="logo")
    encode_pictures([picture], planner, tmp_path / "out")
    for variant in picture.variants:
        with Image.open(tmp_path / "out" / variant.url_path) as im:
            rgba = im.convert("RGBA")
            assert rgba.getpixel((variant.width // 2, 2))[3] == 0, variant.mime
            assert rgba.getpixel((variant.width // 2, variant.width // 2))[3] == 255, variant.mime


def test_an_image_replaced_by_a_copy_keeping_size_and_time_is_planned_again(tmp_path):
    import os
    save(tmp_path, "photos/p.png", Image.new("RGB", (1000, 500), (30, 60, 90)))
    planner, first = plan(tmp_path, "photos/p.png")
    path = tmp_path / "assets/photos/p.png"
    stat = path.stat()
    replacement = tmp_path / "other.png"
    Image.new("RGB", (1000, 500), (90, 60, 30)).save(replacement)
    assert replacement.stat().st_size == stat.st_size  # same size, other colours
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as `cp -p` or an unzip would keep it
    os.replace(replacement, path)
    second = planner.plan(Ref("photos/p.png", ORIGIN), "photo")  # the preview keeps its planner
    assert second.placeholder != first.placeholder and second.variants != first.variants
