"""Image pipeline benchmark: cold and warm builds of a synthetic column, and what a phone downloads.

    .venv/bin/python benchmarks/images.py [--logos 50] [--photos 50]

Generates a seeded corpus (the same bytes every run): 1024x1024 PNG logos with transparency and
3000x2000 JPEG photos with EXIF orientation, one brand per logo with one identity photo each.
Prints the cold build (every variant encoded), the warm build (nothing should be encoded), and
the bytes a phone (375 px wide, 2x screen) downloads for the gallery page compared with the
original logos. Targets (issue 3): 100 images cold <= 35 s on 2 cores; warm encodes 0; gallery
bytes at least 90% below the originals.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from brandcolumn.builder import build  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def draw_logo(rng: random.Random) -> Image.Image:
    """A flat emblem on transparency, like a real logo: rings, a shape, anti-aliased edges."""
    big = Image.new("RGBA", (2048, 2048), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    colour = tuple(rng.randrange(30, 220) for _ in range(3)) + (255,)
    draw.ellipse((80, 80, 1968, 1968), fill=(255, 255, 255, 255), outline=colour, width=110)
    for _ in range(rng.randrange(2, 5)):
        x, y, size = rng.randrange(500, 1300), rng.randrange(500, 1300), rng.randrange(200, 500)
        draw.regular_polygon((x, y, size), rng.randrange(3, 8), rotation=rng.randrange(360), fill=colour)
    return big.resize((1024, 1024), Image.Resampling.LANCZOS)


def draw_photo(rng: random.Random) -> Image.Image:
    """A camera-like scene: a lit wall, a sign, counters, a little sensor noise."""
    width, height = 3000, 2000
    photo = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = Image.new("RGB", (width, height), tuple(rng.randrange(120, 230) for _ in range(3)))
    photo = Image.blend(photo, tint, 0.7)
    draw = ImageDraw.Draw(photo)
    draw.rectangle((600, 250, 2400, 700), fill=tuple(rng.randrange(0, 160) for _ in range(3)))
    for i in range(6):
        draw.rectangle((200 + i * 440, 1200, 560 + i * 440, 1800), fill=(240, 240, 236), outline=(90, 90, 90), width=8)
    noise = Image.effect_noise((width // 4, height // 4), 18).resize((width, height)).convert("RGB")
    return Image.blend(photo, noise, 0.08).filter(ImageFilter.GaussianBlur(1.2))


def make_corpus(root: Path, logos: int, photos: int) -> int:
    """Write the synthetic site; return the bytes of the original logos."""
    rng = random.Random(20061228)
    (root / "assets/logos").mkdir(parents=True)
    (root / "assets/photos").mkdir(parents=True)
    (root / "content/brands").mkdir(parents=True)
    (root / "content/namings").mkdir(parents=True)
    (root / "site.yml").write_text("title: 基准测试\nbase_url: https://example.gov.cn/\n", encoding="utf-8")
    entries = []
    logo_bytes = 0
    for i in range(max(logos, photos)):
        slug = f"brand-{i:03d}"
        lines = [f"name: 品牌{i}", f"unit: 单位{i % 17}", "category: leading", "slogan: 服务口号"]
        if i < logos:
            draw_logo(rng).save(root / f"assets/logos/{slug}.png", optimize=True)
            logo_bytes += (root / f"assets/logos/{slug}.png").stat().st_size
            lines.append(f"logo: logos/{slug}.png")
        else:
            lines.append("logo: logos/brand-000.png")
        if i < photos:
            exif = Image.Exif()
            exif[0x0112] = rng.choice([1, 3, 6, 8])
            draw_photo(rng).save(root / f"assets/photos/{slug}.jpg", quality=92, exif=exif)
            lines += ["identity:", f"  - image: photos/{slug}.jpg", "    alt: 品牌标识墙"]
        (root / f"content/brands/{slug}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        entries.append(f"  - brand: {slug}\n    stars: {rng.randrange(1, 6)}\n    status: named")
    (root / "content/namings/2008.yml").write_text(
        "year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n" + "\n".join(entries) + "\n", encoding="utf-8")
    return logo_bytes


def phone_gallery_bytes(out: Path) -> int:
    """Bytes of images a phone downloads for /brands/, measured in Chromium after scrolling to the end."""
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
        page.on("response", lambda r: r.request.resource_type == "image" and sizes.__setitem__(r.url, len(r.body())))
        page.goto(f"http://127.0.0.1:{server.server_port}/brands/")
        for _ in range(60):
            page.mouse.wheel(0, 1500)
            page.wait_for_timeout(50)
        page.wait_for_load_state("networkidle")
        browser.close()
    server.shutdown()
    return sum(sizes.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logos", type=int, default=50)
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--no-browser", action="store_true", help="skip the phone download measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-images-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        logo_bytes = make_corpus(root, args.logos, args.photos)
        sources = [p for p in (root / "assets").rglob("*") if p.is_file()]
        print(f"corpus: {args.logos} logos 1024x1024 PNG + {args.photos} photos 3000x2000 JPEG, "
              f"{sum(p.stat().st_size for p in sources) / 1e6:.1f} MB, made in {time.perf_counter() - started:.1f} s")
        cold = build(root)
        print(f"cold build: {cold.seconds:.1f} s, {cold.encoded} variant files encoded ({cold.images} published)")
        warm = build(root)
        print(f"warm build: {warm.seconds:.2f} s, {warm.encoded} variant files encoded")
        variants = sum(p.stat().st_size for p in (root / "output/images").iterdir())
        print(f"all variants: {variants / 1e6:.1f} MB for {len(sources)} sources")
        if not args.no_browser:
            phone = phone_gallery_bytes(root / "output")
            print(f"phone gallery download: {phone / 1e3:.0f} kB of images vs {logo_bytes / 1e6:.2f} MB of original "
                  f"logos: {100 * (1 - phone / logo_bytes):.1f}% smaller")


if __name__ == "__main__":
    main()
