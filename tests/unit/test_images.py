import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from brandcolumn.config import Config, ImageSettings
from brandcolumn.errors import Origin, SiteError
from brandcolumn.images import ImagePlanner, encode_pictures
from brandcolumn.model import Ref


def config_for(root: Path) -> Config:
    return Config(root=root, title="t", base_url="https://e.cn/", images=ImageSettings(widths=(320, 640, 1280),
                                                                                       logo_widths=(160, 320)))


def ref(path: str) -> Ref:
    return Ref(path, Origin("content/brands/x.yml", 5))


def save(root: Path, name: str, image: Image.Image, **params) -> None:
    path = root / "assets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **params)


def test_plan_knows_urls_and_sizes_before_encoding(tmp_path):
    save(tmp_path, "photos/p.jpg", Image.new("RGB", (1000, 500), "gray"))
    picture = ImagePlanner(config_for(tmp_path)).plan(ref("photos/p.jpg"), "photo")
    assert [(v.width, v.height) for v in picture.fallback] == [(320, 160), (640, 320)]  # 1280 would upscale
    assert (picture.width, picture.height) == (640, 320)
    assert all(v.url_path.startswith("images/p-") and v.url_path.endswith(".jpg") for v in picture.fallback)
    assert not (tmp_path / ".cache").exists()


def test_exif_orientation_swaps_the_planned_size(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6
    save(tmp_path, "photos/turned.jpg", Image.new("RGB", (400, 800), "gray"), exif=exif)
    picture = ImagePlanner(config_for(tmp_path)).plan(ref("photos/turned.jpg"), "photo")
    assert [(v.width, v.height) for v in picture.fallback] == [(320, 160), (640, 320)]


def test_logos_become_square_transparent_tiles(tmp_path):
    save(tmp_path, "logos/wide.png", Image.new("RGBA", (640, 200), (200, 0, 0, 255)))
    config = config_for(tmp_path)
    planner = ImagePlanner(config)
    picture = planner.plan(ref("logos/wide.png"), "logo")
    out = tmp_path / "out"
    assert encode_pictures([picture], planner, out).encoded == 2
    with Image.open(out / picture.fallback[0].url_path) as tile:
        assert tile.size == (160, 160) and tile.mode == "RGBA"
        assert tile.getpixel((0, 0))[3] == 0 and tile.getpixel((80, 80))[3] == 255


def test_encoded_photos_carry_no_metadata_and_stand_upright(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Camera maker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (31.0, 23.0, 0.0), 3: "E", 4: (120.0, 58.0, 0.0)})
    image = Image.new("RGB", (400, 800), "gray")
    image.paste((200, 0, 0), (0, 0, 400, 100))  # a red band on the stored top: upright it is on the right
    save(tmp_path, "photos/gps.jpg", image, exif=exif, icc_profile=b"", comment=b"secret")
    config = config_for(tmp_path)
    planner = ImagePlanner(config)
    picture = planner.plan(ref("photos/gps.jpg"), "photo")
    encode_pictures([picture], planner, tmp_path / "out")
    for variant in picture.fallback:
        data = (tmp_path / "out" / variant.url_path).read_bytes()
        assert b"Exif" not in data and b"secret" not in data and b"Camera maker" not in data
        with Image.open(io.BytesIO(data)) as im:
            assert im.width > im.height
            red, green, _ = im.getpixel((im.width - 2, im.height // 2))
            assert red > 150 and green < 80


def test_second_encoding_reuses_the_cache(tmp_path):
    save(tmp_path, "photos/p.jpg", Image.new("RGB", (700, 400), "gray"))
    config = config_for(tmp_path)
    planner = ImagePlanner(config)
    picture = planner.plan(ref("photos/p.jpg"), "photo")
    assert encode_pictures([picture], planner, tmp_path / "a").encoded == 2
    again = encode_pictures([picture], planner, tmp_path / "b")
    assert (again.encoded, again.reused) == (0, 2)


def test_changed_settings_change_the_names(tmp_path):
    save(tmp_path, "photos/p.jpg", Image.new("RGB", (700, 400), "gray"))
    config = config_for(tmp_path)
    first = ImagePlanner(config).plan(ref("photos/p.jpg"), "photo")
    other = ImagePlanner(replace(config, images=ImageSettings(quality=60))).plan(ref("photos/p.jpg"), "photo")
    assert first.fallback[0].url_path != other.fallback[0].url_path


def test_images_beyond_the_pixel_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("brandcolumn.images.MAX_PIXELS", 1000)
    save(tmp_path, "photos/big.png", Image.new("RGB", (50, 50)))
    with pytest.raises(SiteError) as caught:
        ImagePlanner(config_for(tmp_path)).plan(ref("photos/big.png"), "photo")
    assert str(caught.value) == ("content/brands/x.yml:5: image 'photos/big.png' is too large: 50x50 pixels "
                                 "(at most 0 megapixels)\n"
                                 "  hint: scale it down to at most 4000 pixels wide before adding it")


def test_only_accepted_formats_are_opened(tmp_path):
    save(tmp_path, "photos/p.bmp", Image.new("RGB", (50, 50)), format="BMP")
    with pytest.raises(SiteError) as caught:
        ImagePlanner(config_for(tmp_path)).plan(ref("photos/p.bmp"), "photo")
    assert caught.value.problem.message == "image 'photos/p.bmp' is not a JPEG, PNG, WebP or GIF file"
