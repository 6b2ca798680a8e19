"""Brands, yearly naming lists and news: YAML files -> typed models with source lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core import schema
from ..core.config import Config
from ..core.errors import Origin, Problems, SiteError
from ..core.messages import say
from ..core.model import STATUSES, Brand, IdentityImage, Naming, NamingEntry, NewsItem, Registration, placeholder_lines
from ..core.schema import Field, Loc
from ..core.sources import NO_MEMO, FileMemo, is_inside, list_sources, read_text, relative
from ..core.yamlfile import parse_yaml
from .content import file_slug
from .markup import render_markdown

REGISTRATION_FIELDS = {
    "number": Field(schema.text, required=True, doc="注册号", example="第5123456号"),
    "date": Field(schema.date, doc="注册日期", example="2008-06-18"),
}

IDENTITY_FIELDS = {
    "image": Field(schema.asset, required=True, doc="照片：assets/ 下的图片", attr="image_ref",
                   example="photos/xin-qiao-hall.jpg"),
    "caption": Field(schema.text, default="", label="说明", doc="照片下面的说明", example="办税服务厅的品牌形象墙"),
    "alt": Field(schema.text, required=True, label="文字说明", doc="照片内容的文字说明，供视障读者使用",
                 example="办税服务厅墙面上的蓝色心形标识"),
}


def _category_field(config: Config) -> Field:
    # Editors may write the key (leading) or the label shown on the site (带头创).
    spellings = {**{key: key for key in config.categories},
                 **{label: key for key, label in config.categories.items()}}
    choices = " / ".join(f"{key} {label}" for key, label in config.categories.items())
    return Field(schema.choice(spellings), required=True, label="创建方式", doc=f"{choices}（也可直接写中文）",
                 example=next(iter(config.categories)), new=next(iter(config.categories)))


def brand_fields(config: Config) -> dict[str, Field]:
    return {
        "name": Field(schema.text, required=True, doc="品牌名称", example="心桥", new="{title}"),
        "unit": Field(schema.text_list, required=True, doc="创建单位；联合创建写成列表 [甲单位, 乙单位]", attr="units",
                      example="昆山市地方税务局", new="创建单位{placeholder}"),
        "category": _category_field(config),
        "slogan": Field(schema.text, required=True, doc="品牌口号", example="用心架起征纳之桥",
                        new="品牌口号{placeholder}"),
        "logo": Field(schema.asset, required=True, doc="标识：assets/ 下的图片，最好是透明背景的 PNG 或 SVG",
                      attr="logo_ref", example="logos/xin-qiao.png", new="logos/{slug}.png"),
        "description": Field(schema.text, default="", doc="品牌介绍（Markdown）", attr="description_html",
                             example="|\n  第一段……", new="|\n  品牌介绍{placeholder}"),
        "registration": Field(schema.mapping(REGISTRATION_FIELDS), doc="商标注册（可选）", example=""),
        "identity": Field(schema.list_of(schema.mapping(IDENTITY_FIELDS)), default=[], example="",
                          doc="品牌形象照片：标识墙、名片、宣传页、办公场所（可选，可写多张）"),
    }


ENTRY_FIELDS = {
    "brand": Field(schema.reference, required=True, doc="品牌文件名", attr="brand_ref", example="xin-qiao"),
    "stars": Field(schema.integer(1, 5), label="星级", example="5",
                   doc="星级 1 到 5（2008 年实行星级管理之前的名单可以不写）"),
    "status": Field(schema.choice({key: key for key in STATUSES}), required=True, example="kept", label="命名情况",
                    doc=" / ".join(f"{key} {label}" for key, label in STATUSES.items())),
}

NAMING_FIELDS = {
    "year": Field(schema.integer(1990, 2100), required=True, doc="年份，和文件名一致", example="2010"),
    "date": Field(schema.date, required=True, doc="命名表彰日期", example="2010-12-28"),
    "awarded_by": Field(schema.text, required=True, doc="命名机关", example="昆山市机关效能建设工作领导小组"),
    "note": Field(schema.text, default="", label="说明", doc="一句话说明本年度名单的特点（可选）",
                  example="一句话说明。"),
    "entries": Field(schema.list_of(schema.mapping(ENTRY_FIELDS)), required=True, doc="命名的品牌", example=""),
}


NEWS_FIELDS = {
    "date": Field(schema.date, required=True, doc="日期", example="2009-12-30"),
    "title": Field(schema.text, required=True, doc="标题", example="第二批机关服务品牌命名"),
    "url": Field(schema.web_url, doc="外部链接（和 case 二选一）", example="https://www.example.gov.cn/news/1.html"),
    "case": Field(schema.reference, label="文章", doc="或：本站一篇经验交流的文件名", attr="case_ref"),
    "source": Field(schema.text, doc="来源", example="昆山机关建设网"),
}


def _read_yaml(path: Path, config: Config, problems: Problems) -> tuple[str, Any, tuple[int, ...]] | None:
    """(the path as shown, the data, the lines still holding PLACEHOLDER), or None after a problem."""
    shown = relative(path, config.root)
    try:
        text = read_text(path, config.root)
        return shown, parse_yaml(text, shown, problems=problems), placeholder_lines(text)
    except SiteError as exc:
        problems.add_error(exc)
        return None


def _complete(values: dict | None, fields: dict[str, Field]) -> bool:
    return values is not None and all(values[n] is not None for n, f in fields.items() if f.required)


def _parse_folder(kind: str, parse, config: Config, problems: Problems, memo: FileMemo) -> list:
    """Parse each YAML file of content/<kind>/ through the memo; files with errors are left out."""
    folder = config.content_dir / kind
    paths = memo.listing(folder, lambda found: list_sources(folder, (".yml", ".yaml"), config.root, found), problems)
    items = memo.load_many(paths, lambda p, found: parse(p, config, found), problems)
    return [item for item in items if item is not None]


def load_brands(config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> list[Brand]:
    """Load content/brands/<slug>.yml, one brand per file."""
    return _parse_folder("brands", _parse_brand, config, problems, memo)


def _parse_brand(path: Path, config: Config, problems: Problems) -> Brand | None:
    fields = brand_fields(config)
    slug = file_slug(path, config.root, problems)
    read = _read_yaml(path, config, problems) if slug else None
    values = None
    if read is not None:
        shown, data, placeholders = read
        values = schema.validate(data, fields, Loc(shown, getattr(data, "line", 1), "", problems))
    if slug is None or values is None or not _complete(values, fields):
        problems.unloaded.add(f"brands/{slug}")
        return None
    line = (schema.line_of(data, "description") or 1) + 1
    description = render_markdown(values["description"], shown, line, problems)
    registration = values["registration"]
    made = {"description_html": description.html if values["description"] else "",
            "registration": Registration(**schema.model_values(registration, REGISTRATION_FIELDS))
            if _complete(registration, REGISTRATION_FIELDS) else None,
            "identity": [IdentityImage(**schema.model_values(item, IDENTITY_FIELDS))
                         for item in values["identity"] if _complete(item, IDENTITY_FIELDS)]}
    return Brand(**schema.model_values(values, fields) | made, slug=slug, origin=Origin(shown),
                 image_refs=description.images, placeholders=placeholders)


def load_namings(config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> list[Naming]:
    """Load content/namings/<year>.yml, one naming list per year."""
    return _parse_folder("namings", _parse_naming, config, problems, memo)


def _parse_naming(path: Path, config: Config, problems: Problems) -> Naming | None:
    read = _read_yaml(path, config, problems)
    if read is None:
        return None
    shown, data, placeholders = read
    values = schema.validate(data, NAMING_FIELDS, Loc(shown, getattr(data, "line", 1), "", problems))
    if values is None or not _complete(values, NAMING_FIELDS):
        return None
    if path.stem != str(values["year"]):
        problems.add(say("naming.year", expected=path.stem, got=values["year"]),
                     Origin(shown, schema.line_of(data, "year")), say("naming.year.hint", year=values["year"]))
        return None
    entries = [NamingEntry(**schema.model_values(e, ENTRY_FIELDS)) for e in values["entries"]
               if _complete(e, ENTRY_FIELDS)]
    return Naming(**schema.model_values(values, NAMING_FIELDS) | {"entries": entries}, origin=Origin(shown),
                  placeholders=placeholders)


def load_news(config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> list[NewsItem]:
    """Load content/news.yml: a list of dated news items."""
    path = config.content_dir / "news.yml"
    if path.is_symlink() and not is_inside(path, config.content_dir):
        problems.add(say("file.link_outside", folder="content", target=path.resolve()),
                     Origin(relative(path, config.root)), say("file.link_outside.hint"))
        return []
    if not path.is_file():
        return []
    return memo.load(path, lambda p, found: _parse_news(p, config, found), problems)


def _parse_news(path: Path, config: Config, problems: Problems) -> list[NewsItem]:
    read = _read_yaml(path, config, problems)
    if read is None:
        return []
    shown, data, _ = read  # news is written by hand, never by `new`: it holds no placeholder
    if data is None:
        return []
    if not isinstance(data, list):
        problems.add(say("news.not_list", got=schema.describe(data)), Origin(shown, getattr(data, "line", 1)))
        return []
    items = []
    for index, entry in enumerate(data):
        here = Loc(shown, schema.line_of(data, index), f"[{index + 1}]", problems)
        values = schema.validate(entry, NEWS_FIELDS, here)
        if values is None or not _complete(values, NEWS_FIELDS):
            continue
        if values["url"] and values["case"]:
            problems.add(say("news.both"), here.origin, say("news.both.hint"))
            continue
        items.append(NewsItem(**schema.model_values(values, NEWS_FIELDS), origin=here.origin))
    return items
