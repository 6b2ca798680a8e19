#!/usr/bin/env python3
"""Draw the sample logos and photos used by the example content.

Everything here is original, drawn with Pillow from simple shapes and a CJK
font; no randomness is used, so a rerun writes byte-identical files.

    .venv/bin/python tools/draw_sample_assets.py

Writes:
  assets/logos/<brand>.png   512x512 RGBA, transparent background
  assets/logos/yi-zhan-tong.png   640x400 RGBA (non-square on purpose)
  assets/logos/ren-xin.jpg   512x512 RGB JPEG on white (no alpha on purpose)
  assets/photos/*.jpg        drawn "identity" scenes; xin-qiao-hall.jpg is
                             stored rotated with EXIF Orientation=6 and carries
                             a GPS IFD (the site generator must honour the
                             orientation and strip the metadata)
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps
from PIL.TiffImagePlugin import IFDRational

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
LOGOS = ASSETS / "logos"
PHOTOS = ASSETS / "photos"

SS = 2  # supersampling factor: draw big, shrink with LANCZOS for smooth edges
JPEG_QUALITY = 85

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{w}.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-{w}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{w}.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-{w}.ttc",
]


# --------------------------------------------------------------------------
# fonts


def _find_font_file(weight: str) -> str | None:
    for pattern in FONT_CANDIDATES:
        path = Path(pattern.format(w=weight))
        if path.is_file():
            return str(path)
    return None


def _sc_index(path: str) -> int:
    """Index of the Simplified Chinese face inside a Noto CJK collection."""
    for index in range(10):
        try:
            face = ImageFont.truetype(path, 20, index=index)
        except OSError:
            break
        if face.getname()[0].endswith(" SC"):
            return index
    return 0


_FONT_FILES: dict[str, tuple[str, int]] = {}


def _font_file(bold: bool) -> tuple[str, int]:
    weight = "Bold" if bold else "Regular"
    if weight not in _FONT_FILES:
        path = _find_font_file(weight) or _find_font_file("Regular" if bold else "Bold")
        if path is None:
            sys.exit(
                "draw_sample_assets: no CJK font found. Install fonts-noto-cjk "
                "(apt-get install fonts-noto-cjk); looked for NotoSansCJK-Bold/Regular.ttc in:\n  "
                + "\n  ".join(p.format(w=weight) for p in FONT_CANDIDATES)
            )
        _FONT_FILES[weight] = (path, _sc_index(path))
    return _FONT_FILES[weight]


_FONT_CACHE: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}


def font(size: float, bold: bool = True) -> ImageFont.FreeTypeFont:
    key = (round(size), bold)
    if key not in _FONT_CACHE:
        path, index = _font_file(bold)
        _FONT_CACHE[key] = ImageFont.truetype(path, key[0], index=index)
    return _FONT_CACHE[key]


def check_font() -> None:
    """Refuse to draw tofu: the font must have real glyphs for our text."""
    f = font(64)
    sample = "心桥一站通安邻里仁园丁先锋就业"
    for ch in sample:
        if not f.getmask(ch).getbbox():
            sys.exit(f"draw_sample_assets: font {f.getname()} has no glyph for {ch!r}")
    # a missing glyph renders as the same .notdef box for every character
    masks = {bytes(f.getmask(ch)) for ch in "心桥安"}
    if len(masks) < 3:
        sys.exit(f"draw_sample_assets: font {f.getname()} renders CJK as boxes")


# --------------------------------------------------------------------------
# drawing helpers: coordinates are in final pixels, scaled by SS internally


def rgb(colour, alpha: int | None = None) -> tuple[int, ...]:
    """'#RRGGBB' (or an RGB tuple) -> RGB or RGBA tuple."""
    if isinstance(colour, tuple):
        c = tuple(colour[:3])
    else:
        h = colour.lstrip("#")
        c = tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))
    return c if alpha is None else c + (alpha,)


def mix(a: str, b: str, t: float) -> tuple[int, int, int]:
    ca, cb = rgb(a), rgb(b)
    return tuple(round(x + (y - x) * t) for x, y in zip(ca, cb))  # type: ignore[return-value]


class Canvas:
    def __init__(self, w: int, h: int, mode: str = "RGB", bg=(255, 255, 255)):
        self.w, self.h = w, h
        self.img = Image.new(mode, (w * SS, h * SS), bg)
        self.d = ImageDraw.Draw(self.img)

    @staticmethod
    def _s(values):
        return [v * SS for v in values]

    def rect(self, box, fill=None, outline=None, width=0, radius=0):
        if radius:
            self.d.rounded_rectangle(self._s(box), radius * SS, fill=fill, outline=outline, width=width * SS)
        else:
            self.d.rectangle(self._s(box), fill=fill, outline=outline, width=width * SS)

    def ellipse(self, box, fill=None, outline=None, width=0):
        self.d.ellipse(self._s(box), fill=fill, outline=outline, width=width * SS)

    def circle(self, cx, cy, r, **kw):
        self.ellipse((cx - r, cy - r, cx + r, cy + r), **kw)

    def poly(self, points, fill=None, outline=None, width=0):
        pts = [(x * SS, y * SS) for x, y in points]
        self.d.polygon(pts, fill=fill, outline=outline, width=width * SS)

    def line(self, points, fill, width=1):
        pts = [(x * SS, y * SS) for x, y in points]
        self.d.line(pts, fill=fill, width=width * SS, joint="curve")

    def arc(self, box, start, end, fill, width=1):
        self.d.arc(self._s(box), start, end, fill=fill, width=width * SS)

    def text(self, xy, text, size, fill, anchor="mm", bold=True):
        self.d.text((xy[0] * SS, xy[1] * SS), text, font=font(size * SS, bold), fill=fill, anchor=anchor)

    def vgradient(self, box, top, bottom):
        x0, y0, x1, y1 = (int(v * SS) for v in box)
        ct, cb = rgb(top), rgb(bottom)
        span = max(1, y1 - y0 - 1)
        for y in range(y0, y1):
            t = (y - y0) / span
            self.d.line([(x0, y), (x1 - 1, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(ct, cb)))

    def paste(self, im: Image.Image, xy, size=None):
        """Paste an RGBA image (given at final resolution) at final coords."""
        if size:
            im = contain(im, size)
        big = im.resize((im.width * SS, im.height * SS), Image.Resampling.LANCZOS)
        if big.mode == "RGBA":
            self.img.paste(big, (int(xy[0] * SS), int(xy[1] * SS)), big)
        else:
            self.img.paste(big, (int(xy[0] * SS), int(xy[1] * SS)))

    def shadow(self, box, radius=0, offset=(8, 10), blur=14, strength=110):
        """Soft drop shadow under a rectangle (deterministic Gaussian blur)."""
        layer = Image.new("L", self.img.size, 0)
        ld = ImageDraw.Draw(layer)
        x0, y0, x1, y1 = box
        b = [(x0 + offset[0]) * SS, (y0 + offset[1]) * SS, (x1 + offset[0]) * SS, (y1 + offset[1]) * SS]
        ld.rounded_rectangle(b, radius * SS, fill=strength)
        layer = layer.filter(ImageFilter.GaussianBlur(blur * SS))
        black = Image.new(self.img.mode, self.img.size, (0, 0, 0, 255) if self.img.mode == "RGBA" else (0, 0, 0))
        self.img.paste(black, (0, 0), layer)

    def result(self) -> Image.Image:
        size = (self.w, self.h)
        if self.img.mode == "RGBA":
            # shrink in premultiplied alpha so transparent edges do not go dark
            return self.img.convert("RGBa").resize(size, Image.Resampling.LANCZOS).convert("RGBA")
        return self.img.resize(size, Image.Resampling.LANCZOS)


def contain(im: Image.Image, size) -> Image.Image:
    w, h = size
    scale = min(w / im.width, h / im.height)
    new = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    if im.mode == "RGBA":
        return im.convert("RGBa").resize(new, Image.Resampling.LANCZOS).convert("RGBA")
    return im.resize(new, Image.Resampling.LANCZOS)


# --------------------------------------------------------------------------
# logos


def star_points(cx, cy, r_out, r_in, n=5, rot=-90):
    import math

    pts = []
    for i in range(n * 2):
        r = r_out if i % 2 == 0 else r_in
        a = math.radians(rot + i * 180 / n)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def heart(c: Canvas, cx, cy, s, fill):
    r = 0.52 * s
    c.circle(cx - 0.48 * s, cy - 0.2 * s, r, fill=fill)
    c.circle(cx + 0.48 * s, cy - 0.2 * s, r, fill=fill)
    c.poly([(cx - 0.98 * s, cy - 0.05 * s), (cx + 0.98 * s, cy - 0.05 * s), (cx, cy + 1.05 * s)], fill=fill)


def ring_logo(colour: str, chars: str, motif, mode="RGBA") -> Image.Image:
    """The common layout: a double ring, a motif on top, 1-2 characters below."""
    bg = (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255)
    c = Canvas(512, 512, mode, bg)
    col = rgb(colour, 255) if mode == "RGBA" else rgb(colour)
    light = (*mix(colour, "#ffffff", 0.85), 255) if mode == "RGBA" else mix(colour, "#ffffff", 0.85)
    c.circle(256, 256, 244, fill=light)
    c.circle(256, 256, 244, outline=col, width=18)
    c.circle(256, 256, 214, outline=col, width=4)
    motif(c, col)
    size = 104 if len(chars) <= 2 else 84
    c.text((256, 352), chars, size, col)
    return c.result()


def motif_xin_qiao(c: Canvas, col):
    heart(c, 256, 150, 58, col)
    c.arc((146, 196, 366, 336), 198, 342, fill=col, width=14)  # the bridge arch
    c.line([(138, 252), (374, 252)], fill=col, width=10)  # the deck
    for x in (196, 226, 256, 286, 316):
        c.line([(x, 218 if x in (196, 316) else 206), (x, 252)], fill=col, width=6)


def motif_xian_feng(c: Canvas, col):
    c.poly(star_points(256, 178, 92, 38), fill=col)


def motif_an_xin(c: Canvas, col):
    c.poly([(222, 104), (290, 104), (356, 262), (156, 262)], fill=col)
    white = (255, 255, 255, 255)
    for y0, y1, w0, w1 in ((118, 146, 4, 6), (166, 200, 7, 9), (220, 256, 10, 12)):
        c.poly([(256 - w0, y0), (256 + w0, y0), (256 + w1, y1), (256 - w1, y1)], fill=white)


def motif_jiu_ye(c: Canvas, col):
    c.rect((150, 120, 362, 236), fill=col, radius=26)
    white = (255, 255, 255, 255)
    for x in (172, 230, 288):
        c.rect((x, 138, x + 46, 178), fill=white, radius=6)
    c.rect((336, 138, 350, 206), fill=white, radius=4)
    for x in (198, 314):
        c.circle(x, 240, 24, fill=white)
        c.circle(x, 240, 16, fill=col)


def motif_lin_li(c: Canvas, col):
    light = (255, 255, 255, 255)
    for x0, base, h in ((148, 250, 110), (262, 250, 130)):
        c.poly([(x0 - 12, base - h + 52), (x0 + 51, base - h), (x0 + 114, base - h + 52)], fill=col)
        c.rect((x0, base - h + 50, x0 + 102, base), fill=col)
        c.rect((x0 + 36, base - 46, x0 + 66, base), fill=light)
    heart(c, 256, 150, 16, light)


def motif_ren_xin(c: Canvas, col):
    c.rect((226, 96, 286, 256), fill=col, radius=10)
    c.rect((176, 146, 336, 206), fill=col, radius=10)
    heart(c, 256, 172, 20, (255, 255, 255))


def motif_yuan_ding(c: Canvas, col):
    c.poly([(150, 170), (252, 190), (252, 262), (150, 242)], fill=col)
    c.poly([(260, 190), (362, 170), (362, 242), (260, 262)], fill=col)
    c.ellipse((232, 92, 280, 172), fill=col)
    c.line([(256, 110), (256, 184)], fill=(255, 255, 255, 255), width=4)


def logo_yi_zhan_tong() -> Image.Image:
    """Deliberately non-square (640x400) transparent logo."""
    colour = "#0A7F6F"
    col = rgb(colour, 255)
    white = (255, 255, 255, 255)
    c = Canvas(640, 400, "RGBA", (0, 0, 0, 0))
    c.rect((16, 56, 624, 344), fill=(*mix(colour, "#ffffff", 0.88), 255), outline=col, width=12, radius=48)
    c.circle(150, 200, 92, fill=col)
    c.poly([(98, 184), (160, 184), (160, 148), (214, 200), (160, 252), (160, 216), (98, 216)], fill=white)
    c.text((410, 186), "一站通", 108, col)
    c.text((410, 286), "YI ZHAN TONG", 30, col, bold=False)
    return c.result()


BRAND_COLOURS = {
    "xin-qiao": "#1F5FA8",
    "xian-feng-yi-zhan": "#C8102E",
    "yi-zhan-tong": "#0A7F6F",
    "an-xin-lu": "#E07B00",
    "jiu-ye-zhi-tong-che": "#5B3A9E",
    "lin-li-qing": "#3A8D2F",
    "ren-xin": "#0089A8",
    "yuan-ding-xin-yu": "#B5651D",
}


def draw_logos() -> dict[str, Image.Image]:
    C = BRAND_COLOURS
    logos = {
        "xin-qiao": ring_logo(C["xin-qiao"], "心桥", motif_xin_qiao),
        "xian-feng-yi-zhan": ring_logo(C["xian-feng-yi-zhan"], "先锋", motif_xian_feng),
        "yi-zhan-tong": logo_yi_zhan_tong(),
        "an-xin-lu": ring_logo(C["an-xin-lu"], "安心", motif_an_xin),
        "jiu-ye-zhi-tong-che": ring_logo(C["jiu-ye-zhi-tong-che"], "就业", motif_jiu_ye),
        "lin-li-qing": ring_logo(C["lin-li-qing"], "邻里", motif_lin_li),
        "ren-xin": ring_logo(C["ren-xin"], "仁心", motif_ren_xin, mode="RGB"),
        "yuan-ding-xin-yu": ring_logo(C["yuan-ding-xin-yu"], "园丁", motif_yuan_ding),
    }
    LOGOS.mkdir(parents=True, exist_ok=True)
    for slug, im in logos.items():
        if im.mode == "RGB":
            save_jpeg(im, LOGOS / f"{slug}.jpg")
        else:
            save_png(im, LOGOS / f"{slug}.png")
    return logos


# --------------------------------------------------------------------------
# photos (drawn scenes)


def room(c: Canvas, wall_top="#EEF1F4", wall_bottom="#D9DEE4", floor_y=None):
    floor_y = floor_y or int(c.h * 0.78)
    c.vgradient((0, 0, c.w, floor_y), wall_top, wall_bottom)
    c.vgradient((0, floor_y, c.w, c.h), "#B9B2A6", "#8E877C")
    for i in range(0, c.w + 1, 160):  # floor tile joints
        c.line([(c.w / 2 + (i - c.w / 2) * 0.55, floor_y), (c.w / 2 + (i - c.w / 2) * 1.6, c.h)], fill=rgb("#A39C90"), width=2)
    c.line([(0, floor_y), (c.w, floor_y)], fill=rgb("#7C766C"), width=3)
    return floor_y


def counters(c: Canvas, x0, x1, top, floor_y, colour, n, label="号窗口"):
    w = (x1 - x0) / n
    for i in range(n):
        a = x0 + i * w
        c.rect((a + 8, top, a + w - 8, floor_y), fill=rgb("#F7F7F5"), outline=rgb("#C9C9C4"), width=2)
        c.rect((a + 8, top - 16, a + w - 8, top + 4), fill=rgb(colour))
        c.rect((a + w * 0.2, top - 120, a + w * 0.8, top - 70), fill=rgb(colour), radius=6)
        c.text((a + w / 2, top - 95), f"{i + 1}{label}", 26, (255, 255, 255))
        c.rect((a + w * 0.3, top - 60, a + w * 0.7, top - 18), fill=rgb("#2B2F33"), radius=4)  # monitor
        c.rect((a + w * 0.46, top - 18, a + w * 0.54, top - 16), fill=rgb("#2B2F33"))


def photo_xin_qiao_hall(logos) -> Image.Image:
    c = Canvas(1600, 1067)
    floor = room(c)
    blue = "#1F5FA8"
    c.shadow((360, 70, 1240, 470), radius=8, offset=(0, 8), blur=12, strength=70)
    c.vgradient((360, 70, 1240, 470), "#2A6DBA", "#184E8C")
    c.paste(logos["xin-qiao"], (410, 110), (320, 320))
    c.text((990, 215), "心 桥", 120, (255, 255, 255))
    c.text((990, 345), "用心架起征纳之桥", 48, (230, 238, 248))
    c.text((800, 520), "昆山市地方税务局 办税服务厅", 40, rgb("#34495E"))
    counters(c, 120, 1480, 720, floor, blue, 5)
    return c.result()


def photo_xin_qiao_card(logos) -> Image.Image:
    c = Canvas(1200, 900)
    c.vgradient((0, 0, 1200, 900), "#5B4636", "#3B2C22")
    for y in range(30, 900, 70):  # wood grain
        c.line([(0, y), (1200, y + 24)], fill=rgb("#4E3B2E"), width=3)
    card = Canvas(900, 520)
    card.rect((0, 0, 900, 520), fill=(252, 252, 250))
    card.rect((0, 470, 900, 520), fill=rgb("#1F5FA8"))
    card.paste(logos["xin-qiao"], (50, 110), (280, 280))
    card.text((380, 150), "王晓明", 64, rgb("#222222"), anchor="lm")
    card.text((380, 230), "昆山市地方税务局", 36, rgb("#1F5FA8"), anchor="lm")
    card.text((380, 280), "办税服务厅 导税员", 30, rgb("#555555"), anchor="lm", bold=False)
    card.text((380, 350), "电话：0512-0000 0000", 28, rgb("#555555"), anchor="lm", bold=False)
    card.text((380, 395), "心桥 · 用心架起征纳之桥", 28, rgb("#1F5FA8"), anchor="lm", bold=False)
    card.text((450, 495), "服务承诺：首问负责  一次告知  限时办结", 24, (255, 255, 255), bold=False)
    card_img = card.result().convert("RGBA").rotate(-6, resample=Image.Resampling.BICUBIC, expand=True)
    c.shadow((170, 200, 1030, 700), radius=6, offset=(16, 22), blur=18, strength=150)
    c.paste(card_img, ((1200 - card_img.width) / 2, (900 - card_img.height) / 2))
    return c.result()


def photo_yi_zhan_tong_counter(logos) -> Image.Image:
    c = Canvas(1600, 1067)
    floor = room(c, "#F1F4F3", "#DCE3E1")
    teal = "#0A7F6F"
    c.rect((0, 60, 1600, 200), fill=rgb(teal))
    c.paste(logos["yi-zhan-tong"], (90, 62), (220, 136))
    c.text((900, 130), "综合受理区  一个窗口受理 一站办结到底", 52, (255, 255, 255))
    counters(c, 60, 1540, 640, floor, teal, 6)
    return c.result()


def photo_yi_zhan_tong_sign(logos) -> Image.Image:
    c = Canvas(900, 1200)
    floor = room(c, "#F3F3F0", "#E0E0DA", floor_y=1000)
    teal = "#0A7F6F"
    c.shadow((190, 90, 710, 1010), radius=10, offset=(10, 6), blur=10, strength=80)
    c.rect((190, 90, 710, 1010), fill=rgb("#FFFFFF"), outline=rgb(teal), width=6, radius=10)
    c.rect((196, 96, 704, 380), fill=rgb(mix(teal, "#ffffff", 0.9)), radius=6)
    c.paste(logos["yi-zhan-tong"], (260, 120), (380, 238))
    rows = [("一楼", "综合受理 · 咨询导办"), ("二楼", "投资建设 · 企业登记"), ("三楼", "社会事务 · 公安户政"), ("四楼", "联合审图 · 中介服务")]
    for i, (left, right) in enumerate(rows):
        y = 440 + i * 130
        c.rect((230, y, 340, y + 90), fill=rgb(teal), radius=8)
        c.text((285, y + 45), left, 34, (255, 255, 255))
        c.text((365, y + 45), right, 30, rgb("#2D3B38"), anchor="lm")
    c.rect((420, 1010, 480, floor + 60), fill=rgb("#8A8F8E"))
    return c.result()


def leaflet(c: Canvas, colour: str, logo: Image.Image, title: str, slogan: str, steps: list[str]):
    c.vgradient((0, 0, c.w, c.h), "#D9D6CF", "#BDB9B0")
    panels = [(90, 150, 430, 760), (430, 150, 770, 760), (770, 150, 1110, 760)]
    c.shadow((90, 150, 1110, 760), offset=(10, 14), blur=14, strength=110)
    for i, box in enumerate(panels):
        shade = 250 - (i % 2) * 8
        c.rect(box, fill=(shade, shade, shade - 3))
    # cover panel (right)
    x0, y0, x1, y1 = panels[2]
    c.rect((x0, y0, x1, y0 + 330), fill=rgb(colour))
    c.paste(logo, (x0 + 70, y0 + 30), (200, 200))
    c.text(((x0 + x1) / 2, y0 + 280), title, 40, (255, 255, 255))
    c.text(((x0 + x1) / 2, y0 + 400), slogan, min(26, 290 / len(slogan)), rgb(colour))
    for k in range(4):
        c.rect((x0 + 40, y0 + 470 + k * 30, x1 - 40 - (k % 2) * 60, y0 + 482 + k * 30), fill=rgb("#C8C8C4"))
    # flow chart (middle)
    x0, y0, x1, y1 = panels[1]
    c.text(((x0 + x1) / 2, y0 + 60), "办事流程", 34, rgb(colour))
    for k, step in enumerate(steps):
        y = y0 + 120 + k * 120
        c.rect((x0 + 50, y, x1 - 50, y + 76), fill=rgb(mix(colour, "#ffffff", 0.8)), outline=rgb(colour), width=3, radius=10)
        c.text(((x0 + x1) / 2, y + 38), step, 28, rgb("#333333"))
        if k < len(steps) - 1:
            c.poly([((x0 + x1) / 2 - 14, y + 84), ((x0 + x1) / 2 + 14, y + 84), ((x0 + x1) / 2, y + 110)], fill=rgb(colour))
    # text lines (left)
    x0, y0, x1, y1 = panels[0]
    c.text(((x0 + x1) / 2, y0 + 60), "服务承诺", 34, rgb(colour))
    for k in range(12):
        c.rect((x0 + 40, y0 + 120 + k * 38, x1 - 40 - (k % 3) * 40, y0 + 134 + k * 38), fill=rgb("#CFCFCB"))
    for x in (430, 770):  # folds
        c.line([(x, 150), (x, 760)], fill=rgb("#D0D0CB"), width=2)


def photo_yi_zhan_tong_leaflet(logos) -> Image.Image:
    c = Canvas(1200, 900)
    leaflet(c, "#0A7F6F", logos["yi-zhan-tong"], "办事指南", "一个窗口受理，一站办结到底", ["取号咨询", "窗口受理", "内部流转", "统一送达"])
    return c.result()


def photo_an_xin_lu_leaflet(logos) -> Image.Image:
    c = Canvas(1200, 900)
    leaflet(c, "#E07B00", logos["an-xin-lu"], "安心路", "让每一段出行都安心", ["驾驶人培训", "车辆检测", "证件办理", "回访评价"])
    return c.result()


def photo_yi_zhan_tong_cover(logos) -> Image.Image:
    c = Canvas(1600, 900)
    teal = "#0A7F6F"
    c.vgradient((0, 0, 1600, 260), "#F6F7F7", "#E4E8E7")  # ceiling
    for x in range(100, 1600, 200):
        c.rect((x, 60, x + 120, 80), fill=(255, 255, 250))
    c.vgradient((0, 260, 1600, 660), "#EEF2F1", "#D6DEDC")
    c.vgradient((0, 660, 1600, 900), "#C4BDB2", "#948D82")
    c.line([(0, 660), (1600, 660)], fill=rgb("#7C766C"), width=3)
    c.rect((300, 150, 1300, 250), fill=rgb(teal), radius=8)
    c.text((800, 200), "昆山市行政服务中心", 60, (255, 255, 255))
    c.paste(logos["yi-zhan-tong"], (650, 270), (300, 186))
    w = 1500 / 8
    for i in range(8):
        a = 50 + i * w
        c.rect((a + 6, 520, a + w - 6, 660), fill=rgb("#FAFAF8"), outline=rgb("#C9C9C4"), width=2)
        c.rect((a + 6, 508, a + w - 6, 524), fill=rgb(teal))
        c.rect((a + w * 0.3, 470, a + w * 0.7, 506), fill=rgb("#2B2F33"), radius=3)
    for i, x in enumerate((260, 520, 1130, 1390)):  # people silhouettes in front
        tone = rgb(("#4A5568", "#6B4F3A", "#2F4858", "#5A4A6B")[i])
        c.circle(x, 690, 34, fill=tone)
        c.rect((x - 50, 728, x + 50, 900), fill=tone, radius=30)
    return c.result()


def photo_lin_li_qing_board(logos) -> Image.Image:
    c = Canvas(1600, 1067)
    c.vgradient((0, 0, 1600, 1067), "#D6D1C4", "#B8B2A3")  # outdoor wall
    for y in range(0, 1067, 60):  # brick courses
        c.line([(0, y), (1600, y)], fill=rgb("#C7C1B3"), width=2)
    green = "#3A8D2F"
    c.shadow((180, 120, 1420, 900), radius=12, offset=(10, 14), blur=14, strength=100)
    c.rect((180, 120, 1420, 900), fill=rgb("#5C6B5A"), radius=12)
    c.rect((210, 150, 1390, 870), fill=rgb("#F4F6F0"))
    c.rect((210, 150, 1390, 300), fill=rgb(green))
    c.paste(logos["lin-li-qing"], (240, 158), (134, 134))
    c.text((880, 225), "邻里情 · 远亲不如近邻", 66, (255, 255, 255))
    groups = ["代办小组", "调解小组", "关爱小组"]
    for g, name in enumerate(groups):
        gx = 250 + g * 380
        c.text((gx + 160, 345), name, 36, rgb(green))
        for k in range(3):
            px = gx + k * 110
            c.rect((px, 390, px + 96, 520), fill=rgb("#DDE6DA"), outline=rgb("#A9BBA4"), width=2)
            c.circle(px + 48, 430, 22, fill=rgb("#8CA586"))
            c.rect((px + 20, 458, px + 76, 520), fill=rgb("#8CA586"), radius=18)
            c.rect((px + 10, 534, px + 86, 548), fill=rgb("#BFC9BC"))
    for k in range(6):
        c.rect((250, 610 + k * 40, 1350 - (k % 3) * 160, 626 + k * 40), fill=rgb("#CDD3C8"))
    # a faint reflection on the glass
    glare = Image.new("L", c.img.size, 0)
    ImageDraw.Draw(glare).polygon([(x * SS, y * SS) for x, y in [(210, 870), (520, 150), (600, 150), (290, 870)]], fill=60)
    c.img.paste(Image.new("RGB", c.img.size, (255, 255, 255)), (0, 0), glare)
    return c.result()


def photo_brand_forum(logos) -> Image.Image:
    c = Canvas(1600, 900)
    c.vgradient((0, 0, 1600, 900), "#3A2A2A", "#1E1616")
    c.vgradient((150, 60, 1450, 470), "#B5121B", "#8E0E15")  # backdrop
    c.text((800, 190), "我谈我的服务品牌", 110, (255, 236, 180))
    c.text((800, 310), "市级机关服务品牌创建论坛", 52, (255, 255, 255))
    c.text((800, 400), "二〇〇七年十一月", 36, (255, 226, 200), bold=False)
    c.rect((100, 470, 1500, 560), fill=rgb("#5A3E2B"))  # stage edge
    c.rect((1150, 350, 1300, 520), fill=rgb("#7A5232"), radius=6)  # lectern
    c.circle(1225, 300, 34, fill=rgb("#2A2020"))
    c.rect((1180, 330, 1270, 380), fill=rgb("#2A2020"), radius=16)
    for row in range(3):  # audience
        y = 640 + row * 90
        for k in range(14):
            x = 70 + k * 112 + (row % 2) * 56
            tone = 40 + (k * 7 + row * 13) % 30
            c.circle(x, y, 30 + row * 3, fill=(tone, tone - 8, tone - 10))
            c.rect((x - 46, y + 26, x + 46, y + 140), fill=(tone + 6, tone - 4, tone - 8), radius=26)
    return c.result()


# --------------------------------------------------------------------------
# saving


def save_png(im: Image.Image, path: Path) -> None:
    im.save(path, "PNG", optimize=True)


def save_jpeg(im: Image.Image, path: Path, exif: Image.Exif | None = None) -> None:
    kwargs = {"quality": JPEG_QUALITY, "optimize": True, "subsampling": "4:2:0"}
    if exif is not None:
        kwargs["exif"] = exif.tobytes()
    im.convert("RGB").save(path, "JPEG", **kwargs)


def dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    deg = int(value)
    minutes_f = (value - deg) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60 * 100)
    return IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


KUNSHAN_LAT, KUNSHAN_LON = 31.3856, 120.9808


def rotated_with_gps_exif(upright: Image.Image) -> tuple[Image.Image, Image.Exif]:
    """Store the pixels turned 90 deg counter-clockwise and tag Orientation=6,
    so a viewer that honours EXIF turns them clockwise back to upright."""
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW to display
    exif[0x010F] = "SampleCam"  # Make
    exif[0x0110] = "Drawn Placeholder"  # Model
    exif[0x0132] = "2008:06:18 10:30:00"  # DateTime
    exif[0x8825] = {  # GPS IFD: the generator must strip this
        0x0000: b"\x02\x02\x00\x00",  # GPSVersionID
        0x0001: "N",
        0x0002: dms(KUNSHAN_LAT),
        0x0003: "E",
        0x0004: dms(KUNSHAN_LON),
    }
    return stored, exif


def verify_exif(path: Path, upright_size) -> None:
    with Image.open(path) as im:
        exif = im.getexif()
        assert exif.get(0x0112) == 6, f"{path}: Orientation tag missing"
        gps = exif.get_ifd(0x8825)
        assert gps.get(1) == "N" and gps.get(3) == "E", f"{path}: GPS refs missing: {gps}"
        lat = sum(float(v) / 60**i for i, v in enumerate(gps[2]))
        lon = sum(float(v) / 60**i for i, v in enumerate(gps[4]))
        assert abs(lat - KUNSHAN_LAT) < 1e-3 and abs(lon - KUNSHAN_LON) < 1e-3, (lat, lon)
        assert im.size == (upright_size[1], upright_size[0]), f"{path}: stored size {im.size}"
        shown = ImageOps.exif_transpose(im)
        assert shown.size == upright_size, f"{path}: upright size {shown.size}"


PHOTO_FUNCS = {
    "xin-qiao-card": photo_xin_qiao_card,
    "yi-zhan-tong-counter": photo_yi_zhan_tong_counter,
    "yi-zhan-tong-sign": photo_yi_zhan_tong_sign,
    "yi-zhan-tong-leaflet": photo_yi_zhan_tong_leaflet,
    "yi-zhan-tong-cover": photo_yi_zhan_tong_cover,
    "an-xin-lu-leaflet": photo_an_xin_lu_leaflet,
    "lin-li-qing-board": photo_lin_li_qing_board,
    "brand-forum-2007": photo_brand_forum,
}


def draw_photos(logos) -> None:
    PHOTOS.mkdir(parents=True, exist_ok=True)
    for name, func in PHOTO_FUNCS.items():
        save_jpeg(func(logos), PHOTOS / f"{name}.jpg")

    hall = photo_xin_qiao_hall(logos)
    stored, exif = rotated_with_gps_exif(hall)
    path = PHOTOS / "xin-qiao-hall.jpg"
    save_jpeg(stored, path, exif)
    verify_exif(path, hall.size)


def report() -> None:
    total = 0
    for path in sorted(ASSETS.rglob("*")):
        if path.is_file():
            size = path.stat().st_size
            total += size
            with Image.open(path) as im:
                print(f"  {path.relative_to(ROOT)}  {im.width}x{im.height} {im.mode}  {size // 1024} KB")
            if size > 300 * 1024:
                sys.exit(f"draw_sample_assets: {path} is over 300 KB")
    print(f"  total {total // 1024} KB")
    if total > 2.5 * 1024 * 1024:
        sys.exit("draw_sample_assets: assets/ is over 2.5 MB")


def main() -> None:
    check_font()
    logos = draw_logos()
    # photos paste logos onto opaque scenes; give them all an alpha channel
    logos = {k: v.convert("RGBA") for k, v in logos.items()}
    draw_photos(logos)
    report()


if __name__ == "__main__":
    main()
