"""`build.py new case|brand|year`: write a correctly filled skeleton that builds at once.

Files get a pinyin slug from the title (`new case "服务品牌测试"` -> content/cases/fu-wu-pin-pai-ce-shi.md)
and are never overwritten. Text the editor still has to write is marked （待填写）; `check` warns
while it is there. A new brand gets a drawn placeholder logo so the site builds before the real
logo arrives; a new year's list starts from every brand's current stars, so only changes are edited.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .build.pipeline import load_site
from .core.config import load_config
from .core.errors import Problems, SiteError
from .core.messages import say
from .core.model import PLACEHOLDER
from .core.schema import Field, quoted, yaml_lines
from .core.slugs import slugify
from .core.sources import relative
from .load.content import CASE_FIELDS
from .load.data import brand_fields

# Fonts that draw Chinese on the systems editors use: Windows, macOS, Debian/Ubuntu.
_CJK_FONTS = ("C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf", "/System/Library/Fonts/PingFang.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _target(root: Path, folder: str, title: str, suffix: str) -> tuple[str, Path]:
    slug = slugify(title)
    if not slug:
        raise SiteError(say("new.no_slug", title=title), hint=say("new.no_slug.hint"))
    path = root / folder / f"{slug}{suffix}"
    if path.exists():
        raise SiteError(say("new.exists", path=relative(path, root)), hint=say("new.exists.hint"))
    path.parent.mkdir(parents=True, exist_ok=True)
    return slug, path


def _filled(fields: dict[str, Field], **values: str) -> list[str]:
    """The lines `new` writes: each field that declares what `new` writes, with its doc as a comment."""
    return yaml_lines(fields, lambda field: field.new.format(placeholder=PLACEHOLDER, **values)
                      if field.new is not None else None)


def new_case(root: Path, title: str, today: dt.date | None = None) -> Path:
    """Write content/cases/<slug>.md for a new case study."""
    load_config(root)  # refuse to scaffold outside a project
    slug, path = _target(root, "content/cases", title, ".md")
    lines = _filled(CASE_FIELDS, title=quoted(title), today=(today or dt.date.today()).isoformat(), slug=slug)
    path.write_text("\n".join(["---", *lines, "---", "## 主要做法", "", f"正文{PLACEHOLDER}", ""]), encoding="utf-8")
    return path


def new_brand(root: Path, name: str) -> Path:
    """Write content/brands/<slug>.yml and a placeholder logo assets/logos/<slug>.png."""
    config = load_config(root)
    slug, path = _target(root, "content/brands", name, ".yml")
    logo = config.assets_dir / "logos" / f"{slug}.png"
    if not logo.exists():
        logo.parent.mkdir(parents=True, exist_ok=True)
        draw_placeholder_logo(name).save(logo)
    fields = brand_fields(config)
    identity = yaml_lines({"identity": fields["identity"]}, lambda field: field.example)
    lines = [*_filled(fields, title=quoted(name), slug=slug),
             f"# 标识 logos/{slug}.png 是自动画的占位图，请换成正式标识（透明背景 PNG 或 SVG）",
             "# 品牌形象照片可以这样写，去掉每行开头的 # 即可：", *(f"# {line}" for line in identity)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def new_year(root: Path, year: int) -> Path:
    """Write content/namings/<year>.yml listing every current brand with its current stars."""
    config = load_config(root)
    if not 1990 <= year <= 2100:
        raise SiteError(say("new.year.range", year=year))
    path = config.content_dir / "namings" / f"{year}.yml"
    if path.exists():
        raise SiteError(say("new.exists", path=relative(path, root)), hint=say("new.exists.year.hint"))
    problems = Problems()
    site, _ = load_site(config, problems, preview=True)  # text left to fill in elsewhere does not stop `new`
    problems.raise_if_errors()
    latest = list(site.namings.values())[-1] if site.namings else None
    lines = [f"year: {year}", f"date: {year}-12-31              # 命名表彰的日期，请改为实际日期",
             f"awarded_by: {latest.awarded_by if latest else '命名机关' + PLACEHOLDER}",
             "entries:",
             "  # 下面是各品牌目前的星级，状态先写 kept（保持）。只需修改有变化的品牌：",
             "  # upgraded 升星 / downgraded 降星（同时改 stars）/ revoked 撤销；新命名的品牌用 named 加在最后。"]
    for brand in site.brands.values():
        current = brand.current
        if current is None or current.status == "revoked":
            continue
        lines.append(f"  - brand: {brand.slug}    # {brand.name}")
        if brand.stars:
            lines.append(f"    stars: {brand.stars}")
        lines.append("    status: kept")
    never = [brand for brand in site.brands.values() if not brand.timeline]
    if never:
        lines.append("  # 尚未命名的品牌：" + "、".join(f"{b.slug}（{b.name}）" for b in never))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def draw_placeholder_logo(name: str, size: int = 480) -> Image.Image:
    """A plain round placeholder with the brand's first character, on transparency."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((16, 16, size - 16, size - 16), fill=(245, 245, 245, 255), outline=(150, 150, 150, 255), width=14)
    chinese = next((ImageFont.truetype(f, size // 3) for f in _CJK_FONTS if Path(f).is_file()), None)
    mark = name[:1] if chinese else (slugify(name)[:1].upper() or "?")
    font = chinese or ImageFont.load_default(size // 3)
    draw.text((size / 2, size / 2), mark, fill=(110, 110, 110, 255), font=font, anchor="mm")
    return image
