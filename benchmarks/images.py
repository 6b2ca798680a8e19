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

from pictures import draw_logo, draw_photo
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from brandcolumn.build.pipeline import build  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
            draw_logo(rng, 1024).save(root / f"assets/logos/{slug}.png", optimize=True)
            logo_bytes += (root / f"assets/logos/{slug}.png").stat().st_size
            lines.append(f"logo: logos/{slug}.png")
        else:
            lines.append("logo: logos/brand-000.png")
        if i < photos:
            exif = Image.Exif()
            exif[0x0112] = rng.choice([1, 3, 6, 8])
            draw_photo(rng, 3000, 2000).save(root / f"assets/photos/{slug}.jpg", quality=92, exif=exif)
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
