"""Markdown files with front matter -> Case and Page models.

content/cases/<slug>.md and content/pages/<slug>.md start with YAML fields
between two '---' lines. The file name is the slug; a Chinese file name gets a
pinyin slug.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..core import schema
from ..core.config import Config
from ..core.errors import Origin, Problems, SiteError
from ..core.messages import say
from ..core.model import Case, Page, placeholder_lines
from ..core.schema import Field, Loc
from ..core.slugs import is_slug, slugify
from ..core.sources import NO_MEMO, FileMemo, list_sources, read_text, relative
from ..core.yamlfile import YamlMap, parse_yaml
from .markup import Rendered, render_markdown

CASE_FIELDS = {
    "title": Field(schema.text, required=True, doc="标题", example="“心桥”品牌的形象视觉设计", new="{title}"),
    "date": Field(schema.date, required=True, doc="日期，年-月-日", example="2007-06-18", new="{today}"),
    "unit": Field(schema.text_list, default=[], doc="单位；多个单位写成列表 [甲单位, 乙单位]", attr="units",
                  example="昆山市地方税务局", new="创建单位{placeholder}"),
    "brands": Field(schema.references, default=[], doc="相关品牌：content/brands/ 里的文件名（不带 .yml）",
                    attr="brand_refs", example="[xin-qiao]", new="[]"),
    "tags": Field(schema.text_list, default=[], doc="标签", example="[形象视觉设计, 窗口服务]", new="[]"),
    "source": Field(schema.text, doc="首发出处", example="《昆山日报》", new="昆山机关建设网"),
    "summary": Field(schema.text, default="", label="摘要", doc="列表和订阅里显示；不写则取正文开头",
                     example="一两句话的摘要。",
                     new="一两句话的摘要{placeholder}"),
    "cover": Field(schema.asset, doc="题图：assets/ 下的图片", attr="cover_ref", example="photos/xin-qiao-hall.jpg"),
    "draft": Field(schema.boolean, default=False, doc="草稿：不会发布；定稿后删掉这一行", example="true", new="true"),
}

PAGE_FIELDS = {
    "title": Field(schema.text, required=True, doc="标题", example="关于本专栏"),
    "summary": Field(schema.text, default="", label="简介", doc="一句话简介，供搜索引擎显示；不写则取正文开头",
                     example="机关服务品牌专栏的宗旨和栏目。"),
    "nav": Field(schema.boolean, default=False, label="导航", doc="true：显示在主导航", example="true"),
    "weight": Field(schema.integer(-1000, 1000), default=0, doc="导航顺序，小的在前", example="10"),
    "draft": Field(schema.boolean, default=False, doc="草稿：不会发布", example="false"),
}

_FENCE = "---"


def split_front_matter(text: str, path: str, problems: Problems | None = None) -> tuple[YamlMap, str, int]:
    """Split a Markdown file into its fields, its body and the body's first line number (warnings to `problems`)."""
    lines = text.split("\n")
    if lines[0].strip() != _FENCE:
        raise SiteError(say("front_matter.missing"), Origin(path, 1), say("front_matter.hint"))
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in (_FENCE, "...")), None)
    if end is None:
        raise SiteError(say("front_matter.open"), Origin(path, 1), say("front_matter.hint"))
    meta = parse_yaml("\n".join(lines[1:end]), path, line_offset=1, problems=problems,
                      label=say("front_matter.label"))
    if not isinstance(meta, YamlMap):
        raise SiteError(say("front_matter.not_fields", got=schema.describe(meta)), Origin(path, 2),
                        say("front_matter.hint"))
    return meta, "\n".join(lines[end + 1:]), end + 2


def file_slug(path: Path, root: Path, problems: Problems) -> str | None:
    """The slug of a content file: its name, or the pinyin of a Chinese name."""
    stem = path.stem
    slug = stem if is_slug(stem) else slugify(stem)
    if not slug:
        problems.add(say("slug.none"), Origin(relative(path, root)), say("slug.none.hint"))
        return None
    return slug


def unique_by_slug(items: list[Any], url_prefix: str, problems: Problems) -> dict[str, Any]:
    """Index items by slug; a second item with a slug already taken is an error naming both."""
    found: dict[str, Any] = {}
    for item in items:
        if item.slug in found:
            first = found[item.slug].origin.path
            problems.add(say("slug.taken", url=f"/{url_prefix}{item.slug}/", first=first), Origin(item.origin.path),
                         say("slug.taken.hint"))
            continue
        found[item.slug] = item
    return found


def _read_markdown(path: Path, fields: dict[str, Field], config: Config, problems: Problems):
    """Parse one Markdown file: (validated fields, rendered body), or None after a problem."""
    shown = relative(path, config.root)
    try:
        text = read_text(path, config.root)
        meta, body, body_line = split_front_matter(text, shown, problems)
    except SiteError as exc:
        problems.add_error(exc)
        return None
    values = schema.validate(meta, fields, Loc(shown, meta.line, "", problems))
    if values is None or any(values[name] is None for name, f in fields.items() if f.required):
        return None
    return values, render_markdown(body, shown, body_line, problems), placeholder_lines(text)


def _parse_folder(kind: str, parse: Callable, config: Config, problems: Problems, memo: FileMemo) -> list:
    """Parse each Markdown file of content/<kind>/, through the memo; files with errors are left out."""
    folder = config.content_dir / kind
    paths = memo.listing(folder, lambda found: list_sources(folder, (".md",), config.root, found), problems)
    items = memo.load_many(paths, lambda p, found: _parse_file(p, kind, parse, config, found), problems)
    return [item for item in items if item is not None]


def _parse_file(path: Path, kind: str, parse: Callable, config: Config, problems: Problems):
    slug = file_slug(path, config.root, problems)
    fields = CASE_FIELDS if kind == "cases" else PAGE_FIELDS
    parsed = _read_markdown(path, fields, config, problems) if slug else None
    if parsed is None:
        problems.unloaded.add(f"{kind}/{slug}")
        return None
    values, body, placeholders = parsed
    item = parse(slug, Origin(relative(path, config.root)), values, body)
    item.placeholders = placeholders
    return item


def _make_case(slug: str, origin: Origin, values: dict, body: Rendered) -> Case:
    return Case(**schema.model_values(values, CASE_FIELDS) | {"summary": values["summary"] or _excerpt(body.plain)},
                slug=slug, origin=origin, body_html=body.html, image_refs=body.images,
                reading_minutes=body.reading_minutes)


def _make_page(slug: str, origin: Origin, values: dict, body: Rendered) -> Page:
    return Page(**schema.model_values(values, PAGE_FIELDS) | {"summary": values["summary"] or _excerpt(body.plain)},
                slug=slug, origin=origin, body_html=body.html, image_refs=body.images)


def load_cases(config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> list[Case]:
    """Load every case under content/cases/, drafts included (the resolver decides)."""
    return _parse_folder("cases", _make_case, config, problems, memo)


def load_case(path: Path, config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> Case | None:
    """Load one case file (the preview server's shortcut for an edit to one case's text)."""
    return memo.load(path, lambda p, found: _parse_file(p, "cases", _make_case, config, found), problems)


def load_pages(config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> list[Page]:
    """Load every standing page under content/pages/."""
    return _parse_folder("pages", _make_page, config, problems, memo)


def _excerpt(plain: str, length: int = 110) -> str:
    """The first sentences of the text, for lists and feeds when no summary was written."""
    text = " ".join(plain.split())
    return text if len(text) <= length else text[:length].rstrip() + "……"
