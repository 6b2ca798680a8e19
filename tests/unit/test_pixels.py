"""Colour modes, orientation and decoding fast paths of single images."""

import io

import pytest
from PIL import Image, ImageOps

from brandcolumn.images.pixels import average_colour, fit_tile, load_upright, open_image, to_srgb
from sitekit import SRGB_BLUE, SRGB_GREEN, SRGB_RED, png16_rgb, rgb_profile


def encoded(image: Image.Image, fmt: str, **params) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return open_image(buffer.getvalue())


def close(pixel, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


# A picture with a red top-left quadrant: where the red ends up tells the orientation.
def marked() -> Image.Image:
    image = Image.new("RGB", (200, 100), (240, 240, 240))
    image.paste((220, 20, 20), (0, 0, 100, 50))
    return image


_STORED = {  # how a camera stores the upright picture for each EXIF orientation
    1: lambda im: im, 2: ImageOps.mirror, 3: lambda im: im.rotate(180), 4: ImageOps.flip,
    5: lambda im: im.transpose(Image.Transpose.TRANSPOSE), 6: lambda im: im.rotate(90, expand=True),
    7: lambda im: im.transpose(Image.Transpose.TRANSVERSE), 8: lambda im: im.rotate(-90, expand=True),
}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = encoded(_STORED[orientation](marked()), "JPEG", exif=exif, quality=95)
    upright = load_upright(stored)
    assert upright.size == (200, 100)
    assert close(upright.getpixel((30, 20)), (220, 20, 20), 40)
    assert close(upright.getpixel((170, 80)), (240, 240, 240), 40)


def test_cmyk_jpeg_becomes_rgb():
    upright = load_upright(encoded(Image.new("CMYK", (40, 40), (0, 255, 255, 0)), "JPEG", quality=95))
    assert upright.mode == "RGB" and close(upright.getpixel((20, 20)), (255, 0, 0), 20)


def test_embedded_icc_profile_is_converted_to_srgb():
    # A profile whose "red" channel holds sRGB green: a correct conversion turns stored red into green.
    swapped = rgb_profile(SRGB_GREEN, SRGB_RED, SRGB_BLUE)
    image = encoded(Image.new("RGB", (20, 20), (255, 0, 0)), "PNG", icc_profile=swapped)
    upright = load_upright(image)
    assert close(upright.getpixel((5, 5)), (0, 255, 0), 30)
    assert "icc_profile" not in upright.info


def test_broken_icc_profile_shows_colours_as_stored():
    image = encoded(Image.new("RGB", (20, 20), (10, 200, 30)), "PNG", icc_profile=b"not a profile")
    assert load_upright(image).getpixel((3, 3)) == (10, 200, 30)


def test_16_bit_grey_png_keeps_its_tones():
    grey = Image.new("I;16", (10, 10), 32768)
    assert close(load_upright(encoded(grey, "PNG")).getpixel((1, 1)), (128, 128, 128), 2)


def test_16_bit_rgb_png():
    upright = load_upright(open_image(png16_rgb(8, 8, (65535, 32768, 0))))
    assert close(upright.getpixel((1, 1)), (255, 128, 0), 2)


def test_palette_png_with_transparency_keeps_it():
    palette = Image.new("P", (20, 20), 1)
    palette.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    palette.paste(0, (0, 0, 10, 20))
    upright = load_upright(encoded(palette, "PNG", transparency=0))
    assert upright.mode == "RGBA"
    assert upright.getpixel((2, 2))[3] == 0 and upright.getpixel((15, 2)) == (200, 30, 30, 255)


def test_grey_with_alpha_becomes_rgba():
    upright = to_srgb(Image.new("LA", (4, 4), (90, 100)))
    assert upright.mode == "RGBA" and upright.getpixel((0, 0)) == (90, 90, 90, 100)


def test_animated_gif_publishes_its_first_frame():
    frames = [Image.new("RGB", (30, 30), colour) for colour in ((200, 0, 0), (0, 0, 200))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    animated = open_image(buffer.getvalue())
    assert animated.n_frames == 2
    animated.seek(1)  # even when the file was left on another frame
    assert close(load_upright(animated).getpixel((10, 10)), (200, 0, 0), 10)


def test_jpeg_is_decoded_at_a_reduced_scale_that_still_covers_the_target():
    big = encoded(Image.new("RGB", (4000, 3000), "gray"), "JPEG")
    assert load_upright(big, largest=(1280, 960)).size == (2000, 1500)


def test_logo_tile_is_square_transparent_and_centred():
    tile = fit_tile(Image.new("RGB", (300, 100), (0, 90, 200)), 160)
    assert tile.size == (160, 160) and tile.mode == "RGBA"
    assert tile.getpixel((80, 10))[3] == 0 and tile.getpixel((80, 80)) == (0, 90, 200, 255)


def test_average_colour():
    image = Image.new("RGB", (10, 10), (255, 0, 0))
    image.paste((0, 0, 255), (5, 0, 10, 10))
    assert average_colour(image) == "#7f007f"  # 127.5 rounds down
