"""site.yml -> validated, typed settings.

Every key is declared below with one line of documentation. Unknown keys are
errors with a "did you mean", and every problem is reported in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from . import schema
from .errors import BuildFailed, Origin, Problems, SiteError
from .messages import say
from .model import Ref
from .schema import Field, Invalid, Loc
from .sources import read_text
from .targets import DeployTarget, deploy_targets
from .yamlfile import parse_yaml

CONFIG_FILE = "site.yml"
# The default theme ships with the tool; a site's own theme overrides it template by template.
BUILTIN_THEMES = Path(__file__).resolve().parents[2] / "themes"
DEFAULT_CATEGORIES = {"leading": "带头创", "joint": "联合创", "extended": "延伸创"}


@dataclass(frozen=True)
class ImageSettings:
    widths: tuple[int, ...] = (320, 640, 1280)
    logo_widths: tuple[int, ...] = (120, 240, 480)
    quality: int = 82
    avif_quality: int = 60


@dataclass(frozen=True)
class Contact:
    """联系我们: what a reader needs to reach the column's office."""

    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class Link:
    """A name or an image with the address it links to (the parent site, the 党政机关网站标识)."""

    url: str
    name: str = ""
    image: Ref | None = None


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    base_url: str
    description: str = ""
    language: str = "zh-CN"
    publisher: str = ""
    per_page: int = 10
    theme: str = "default"
    categories: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CATEGORIES))
    featured_brands: tuple[Ref, ...] = ()
    footer: str = ""
    organizer: str = ""  # 承办单位
    contact: Contact = Contact()
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP 备案号
    police_record: str = ""  # 公安机关备案号
    gov_mark: Link | None = None  # 党政机关网站标识
    parent_site: Link | None = None  # 昆山机关建设网
    images: ImageSettings = ImageSettings()
    deploy: dict[str, DeployTarget] = field(default_factory=dict)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. '/jgjs/pinpai/': every URL starts with it."""
        return urlsplit(self.base_url).path

    @property
    def police_record_url(self) -> str:
        """The national filing site's page of this site's 公安机关备案号 (its digits)."""
        return f"https://beian.mps.gov.cn/#/query/webSearch?code={re.sub(r'[^0-9]', '', self.police_record)}"

    @property
    def published(self) -> bool:
        """Whether base_url is a real public address (not this computer, not an example.* placeholder)."""
        host = (urlsplit(self.base_url).hostname or "").lower()
        return not (host in ("localhost", "::1") or host.startswith("127.") or host.endswith(".localhost")
                    or re.search(r"(^|\.)example\.", host))

    @property
    def theme_dirs(self) -> list[Path]:
        """Theme folders to search, the site's own first, the built-in default last."""
        dirs = [self.root / "themes" / self.theme, self.root / "themes" / "default",
                BUILTIN_THEMES / "default"]
        return [d for d in dict.fromkeys(dirs) if d.is_dir()]


# base_url goes into every href and src: a server name, an optional port and a path of the characters
# that need no quoting anywhere (issue 13: a '"' in it broke out of href="...").
_SITE_ADDRESS = re.compile(r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
                           r"(?::\d{1,5})?(?P<path>/[A-Za-z0-9._~%/-]*)?")


def _written_as(pattern: str, code: str) -> Callable[[Any, Loc], str]:
    """A field of text that must match `pattern` whole; else the catalog's `code` says what was expected."""
    def parse(value: Any, loc: Loc) -> str:
        written = schema.text(value, loc)
        if not re.fullmatch(pattern, written):
            raise Invalid(code)
        return written
    return parse


def _base_url(value: Any, loc: Loc) -> str:
    written = schema.text(value, loc)
    if not written.startswith(("http://", "https://")):
        raise Invalid("base_url.invalid", say("base_url.scheme.hint"))
    written = _ascii_server_name(written)
    if not _SITE_ADDRESS.fullmatch(written):
        odd = next((c for c in written if not re.match(r"[A-Za-z0-9._~%/:\[\]-]", c)), None)
        raise Invalid("base_url.invalid", say("base_url.character.hint", character=odd)
                      if odd else say("base_url.parts.hint"))
    return written if written.endswith("/") else written + "/"


def _ascii_server_name(address: str) -> str:
    """A Chinese server name (https://昆山.政务/) in the form browsers send (https://xn--...)."""
    scheme, _, rest = address.partition("://")
    server, slash, path = rest.partition("/")
    if server.isascii():
        return address
    try:
        return f"{scheme}://{server.encode('idna').decode('ascii')}{slash}{path}"
    except UnicodeError:
        raise Invalid("base_url.invalid", say("base_url.server.hint", server=server)) from None


_language = _written_as(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", "language.invalid")


def _categories(value: Any, loc: Loc) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise Invalid("categories.invalid")
    for key in value:
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", key):
            raise Invalid("categories.key", say("categories.key.hint", key=key))
    labels = {key: schema.parse_at(schema.text, label, loc.child(key, schema.line_of(value, key)))
              for key, label in value.items()}
    return {key: label for key, label in labels.items() if label is not schema.REFUSED}


def _widths(value: Any, loc: Loc) -> tuple[int, ...]:
    numbers = [schema.whole_number(w) for w in value] if isinstance(value, list) else []
    if not numbers or not all(n is not None and 16 <= n <= 4096 for n in numbers):
        raise Invalid("widths.invalid")
    return tuple(sorted({n for n in numbers if n is not None}))


_theme = _written_as(r"[A-Za-z0-9_-]+", "theme.invalid")
# The footer's identity (README, "网站设置"): written as the authorities give them out.
_site_code = _written_as(r"[A-Za-z0-9]{10}", "site_code.invalid")  # 网站标识码
_icp = _written_as(r"\w{1,2}ICP备\d{6,10}号(-\d{1,3})?", "icp.invalid")  # 苏ICP备05000000号-1
_police_record = _written_as(r"\w{1,2}公网安备 ?\d{14}号", "police_record.invalid")  # 苏公网安备 32058302000000号
_email = _written_as(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "email.invalid")  # nothing a mailto: reads


CONTACT_FIELDS = {
    "phone": Field(schema.text, label="电话", doc="联系电话", example="0512-57000000"),
    "email": Field(_email, label="邮箱", doc="电子邮箱", example="jgjs@example.gov.cn"),
    "address": Field(schema.text, label="地址", doc="通信地址", example="昆山市前进西路 1 号"),
}
GOV_MARK_FIELDS = {
    "image": Field(schema.asset, required=True, label="图片", doc="标识图片：assets/ 下的文件",
                   example="identity/dzjg.png"),
    "url": Field(schema.web_url, required=True, label="链接", doc="标识链接到的地址，开办方给的",
                 example="https://bszs.conac.cn/sitename?method=show&id=0000"),
}
PARENT_FIELDS = {
    "name": Field(schema.text, required=True, label="名称", doc="上级网站名称", example="昆山机关建设网"),
    "url": Field(schema.web_url, required=True, label="地址", doc="上级网站地址", example="https://www.example.gov.cn/jgjs/"),
}

IMAGE_FIELDS = {
    "widths": Field(_widths, doc="照片宽度，默认 320/640/1280", example="[320, 640, 1280]"),
    "logo_widths": Field(_widths, doc="标识方块尺寸，默认 120/240/480", example="[120, 240, 480]"),
    "quality": Field(schema.integer(30, 100), label="质量", doc="JPEG 和 WebP 质量 30–100，默认 82", example="82"),
    "avif_quality": Field(schema.integer(20, 100), doc="AVIF 质量，默认 60", example="60"),
}

FIELDS = {
    "title": Field(schema.text, required=True, doc="专栏名称", example="机关服务品牌专栏"),
    "base_url": Field(_base_url, required=True, doc="网站的公开地址，可以带子路径",
                      example="https://www.example.gov.cn/jgjs/pinpai/"),
    "description": Field(schema.text, default="", doc="专栏简介，显示在首页",
                         example="昆山市市级机关服务品牌的学习、交流平台。"),
    "language": Field(_language, default="zh-CN", doc="页面语言，默认 zh-CN", example="zh-CN"),
    "publisher": Field(schema.text, default="", doc="主办单位", example="昆山市机关效能建设工作领导小组办公室"),
    "per_page": Field(schema.integer(1, 200), default=10, doc="经验交流列表每页篇数，默认 10", example="10"),
    "theme": Field(_theme, default="default", example="default", label="主题",
                   doc="主题文件夹 themes/<名称>/，默认 default；自己的主题只需放要改的模板"),
    "categories": Field(_categories, doc="品牌创建方式：key: 显示名称", example=""),
    "featured_brands": Field(schema.references, default=[], label="首页展示的品牌", example="[xin-qiao, yi-zhan-tong]",
                             doc="首页展示的品牌文件名列表；不写则展示当前星级最高的品牌"),
    "footer": Field(schema.text, default="", doc="页脚文字", example="本专栏内容由各创建单位提供"),
    "organizer": Field(schema.text, default="", label="承办单位", doc="承办单位（负责日常维护的科室）",
                       example="昆山市机关效能建设工作领导小组办公室"),
    "contact": Field(schema.mapping(CONTACT_FIELDS), label="联系我们", doc="联系方式，显示在页脚", example=""),
    "site_code": Field(_site_code, default="", label="网站标识码", doc="网站标识码（10 位，由主管部门分配）",
                       example="3205830001"),
    "icp": Field(_icp, default="", label="ICP 备案号", doc="ICP 备案号，链接到工信部备案网站",
                 example="苏ICP备05000000号-1"),
    "police_record": Field(_police_record, default="", label="公安机关备案号", doc="公安机关备案号，带图标和链接",
                           example="苏公网安备 32058302000000号"),
    "gov_mark": Field(schema.mapping(GOV_MARK_FIELDS), label="党政机关网站标识", example="",
                      doc="党政机关网站标识：开办方给的图片和链接"),
    "parent_site": Field(schema.mapping(PARENT_FIELDS), label="上级网站", example="",
                         doc="上级网站，页头链接回去"),
    "images": Field(schema.mapping(IMAGE_FIELDS), doc="图片尺寸和质量", example=""),
    "deploy": Field(deploy_targets, default={}, doc="发布目标，见上面的“发布到网站服务器”"),
}


def load_config(root: Path, warnings: Problems | None = None) -> Config:
    """Read and validate site.yml in `root`; raise BuildFailed listing every problem, pass warnings on."""
    path = root / CONFIG_FILE
    if not path.is_file():
        raise SiteError(say("config.missing", root=root), hint=say("config.missing.hint"))
    problems = Problems()
    data = parse_yaml(read_text(path, root), CONFIG_FILE, problems=problems)
    values = schema.validate(data, FIELDS, Loc(CONFIG_FILE, getattr(data, "line", 1), "", problems))
    if values is None or problems.errors:
        raise BuildFailed(problems.items)
    config = _make_config(root, values)
    _check_theme(config, data, problems)
    _check_identity(config, data, problems)
    problems.raise_if_errors()
    if warnings is not None:
        warnings.extend(problems.warnings)
    return config


def _make_config(root: Path, values: dict[str, Any]) -> Config:
    image_values = {k: v for k, v in (values.pop("images") or {}).items() if v is not None}
    values["contact"] = Contact(**{k: v for k, v in (values["contact"] or {}).items() if v is not None})
    for name in ("gov_mark", "parent_site"):
        values[name] = Link(**values[name]) if values[name] and None not in values[name].values() else None
    values["featured_brands"] = tuple(values["featured_brands"])
    values["categories"] = values["categories"] or dict(DEFAULT_CATEGORIES)
    return Config(root=root, images=ImageSettings(**image_values), **values)


# What the State Council's guide for government websites (政府网站发展指引, 2017) asks every page's footer to show.
REQUIRED_IDENTITY = ("publisher", "contact", "site_code", "icp", "police_record", "gov_mark")


def _check_identity(config: Config, data: dict, problems: Problems) -> None:
    """A column published for real without its identity is warned about (build, check and deploy say it)."""
    missing = [name for name in REQUIRED_IDENTITY if not getattr(config, name) or getattr(config, name) == Contact()]
    if config.published and missing:
        problems.add(say("identity.missing", url=config.base_url,
                         missing=[say("field.labelled", key=name, label=FIELDS[name].title) for name in missing]),
                     Origin(CONFIG_FILE, schema.line_of(data, "base_url")), say("identity.missing.hint"), "warning")


def _check_theme(config: Config, data: dict, problems: Problems) -> None:
    if config.theme != "default" and not (config.root / "themes" / config.theme).is_dir():
        problems.add(say("theme.missing", theme=config.theme), Origin(CONFIG_FILE, schema.line_of(data, "theme")),
                     say("theme.missing.hint"))
