"""`build.py check`: find what an editor got wrong before it goes public, without touching output/.

Three passes, each returning Problems (error, warning or info):
- the content itself (check_content): units spelled two ways, brands never named, cases without
  brand or unit, logos too small for their tiles, dates in the future, placeholder text left;
- the text of each content file (check_text_files): damaged legacy text (pinyin readings, traditional and lost
  characters) and what pasting from Word left in Markdown;
- the site built into a temporary folder (links.py): links, anchors, images, feed, sitemap, ...
"""

from __future__ import annotations

import datetime as dt
import difflib
import tempfile
from collections import Counter
from pathlib import Path

from ..build.pipeline import BuildOptions, BuildResult, build, load_site
from ..core.config import Config, load_config
from ..core.errors import BuildFailed, Origin, Problem, Problems, SiteError, sorted_problems
from ..core.messages import say
from ..core.model import Brand, Case, Site
from ..core.sources import read_text, relative, windows_trouble
from ..load.legacy import find_damage
from ..load.paste import find_paste
from ..pages.routes import iter_routes
from .links import check_output


def run_check(root: Path, external: bool = False, drafts: bool = False) -> list[Problem]:
    """Check settings, content and the built site (with drafts when asked); return every problem, by file."""
    problems = Problems()
    try:
        config = load_config(root, problems)
    except BuildFailed as failed:
        return failed.problems
    except SiteError as exc:
        return [exc.problem]
    site, _ = load_site(config, problems, drafts=drafts)
    routes = iter_routes(site, config, problems)
    problems.extend(check_content(site, config))
    problems.extend(check_text_files(config))
    problems.extend(check_file_names(config))
    if not problems.errors:
        with tempfile.TemporaryDirectory(prefix="brandcolumn-check-") as folder:
            out = Path(folder) / "site"
            try:
                build(root, BuildOptions(out, drafts=drafts))
            except BuildFailed as failed:
                problems.extend(failed.problems)
            except SiteError as exc:
                problems.extend([exc.problem])
            else:
                problems.extend(check_output(out, site, routes, config, external))
    return sorted_problems(problems.items)


def check_built(result: BuildResult) -> list[Problem]:
    """The checks of run_check on a site just built (deploy checks what it is about to publish)."""
    built = result.built
    assert built is not None  # a build that finished
    problems = check_content(built.site, built.config) + check_text_files(built.config) + \
        check_file_names(built.config)
    return sorted_problems(problems + check_output(result.out_dir, built.site, built.routes, built.config))


def line_of(config: Config, path: str, needle: str) -> int | None:
    """The first line of a content file that contains `needle`."""
    try:
        text = read_text(config.root / path, config.root)
    except SiteError:
        return None
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def check_content(site: Site, config: Config, today: dt.date | None = None) -> list[Problem]:
    """Content that builds but is probably not what the editor meant."""
    today = today or dt.date.today()
    found: list[Problem] = []
    found += _units_spelled_twice(site, config)
    for brand in site.brands.values():
        if not brand.timeline:
            found.append(Problem(say("check.brand.unnamed", brand=brand.slug), Origin(brand.origin.path, 1),
                                 say("check.brand.unnamed.hint"), "warning"))
        found += _small_logo(brand, config)
    for case in site.cases.values():
        missing = [code for code, there in (("check.case.no_brand", case.brands), ("check.case.no_unit", case.units))
                   if not there]
        if missing:
            found.append(Problem(say("check.case.no_brand_unit") if len(missing) == 2 else say(missing[0]),
                                 Origin(case.origin.path, 2), say("check.case.orphan.hint"), "warning"))
    found += _future_dates(site, config, today)
    return found


def _units_spelled_twice(site: Site, config: Config) -> list[Problem]:
    """A unit written two ways (昆山市地税局 / 昆山市地方税务局) splits its pages in two."""
    uses: Counter[str] = Counter()
    where: dict[str, str] = {}
    items: list[Brand | Case] = [*site.brands.values(), *site.cases.values()]
    for item in items:
        for unit in item.units:
            uses[unit] += 1
            where.setdefault(unit, item.origin.path)
    found = []
    names = sorted(uses, key=lambda name: (-uses[name], name))
    for index, rare in enumerate(names):
        for common in names[:index]:
            if _same_unit(rare, common):
                path = where[rare]
                found.append(Problem(say("check.unit.twice", rare=rare, common=common, uses=uses[common]),
                                     Origin(path, line_of(config, path, rare)),
                                     say("check.unit.twice.hint", common=common), "warning"))
                break
    return found


def _same_unit(a: str, b: str) -> bool:
    """Abbreviation (a's characters in order within b, same last character) or a near-identical spelling."""
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and short[-1] == long_[-1] and short[:2] == long_[:2] and len(short) < len(long_):
        characters = iter(long_)
        if all(character in characters for character in short):
            return True
    return len(a) == len(b) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def _small_logo(brand, config: Config) -> list[Problem]:
    largest = max(config.images.logo_widths)
    if brand.logo is None or not brand.logo.source_size[0]:
        return []  # SVG logos have no pixels to lack
    width, height = brand.logo.source_size
    if max(width, height) * 2 > largest:
        return []
    where = Origin(brand.origin.path, line_of(config, brand.origin.path, "logo:"))
    return [Problem(say("check.logo.small", logo=brand.logo.source, width=width, height=height, largest=largest),
                    where, say("check.logo.small.hint", largest=largest), "warning")]


def _future_dates(site: Site, config: Config, today: dt.date) -> list[Problem]:
    dated: list[tuple[dt.date, str, int | None]] = [(case.date, case.origin.path, None) for case in site.cases.values()]
    dated += [(naming.date, naming.origin.path, None) for naming in site.namings.values()]
    dated += [(item.date, item.origin.path, item.origin.line) for item in site.news]
    return [Problem(say("check.date.future", date=date.isoformat()),
                    Origin(path, line or line_of(config, path, "date:")), say("check.date.future.hint"), "warning")
            for date, path, line in dated if date > today]


def check_file_names(config: Config) -> list[Problem]:
    """Files and folders of the project that Windows cannot hold, and backups `clean` left, used or not."""
    found = []
    editors = [path for name in ("content", "assets", "themes") for path in sorted((config.root / name).rglob("*"))]
    for path in editors:
        if trouble := windows_trouble(path.name):
            found.append(Problem(say("name.windows", trouble=trouble), Origin(relative(path, config.root)),
                                 say("name.windows.hint")))
    # git ignores the .bak files `clean` keeps (.gitignore): only here are they seen. Beside the editors'
    # folders, a file cleaned at the project's top (a pasted export) leaves its backup there.
    backups = [path for path in [*editors, *sorted(config.root.iterdir())] if path.suffix == ".bak" and path.is_file()]
    return found + [Problem(say("check.backup", original=path.stem), Origin(relative(path, config.root)),
                            say("check.backup.hint"), "warning") for path in backups]


def check_text_files(config: Config) -> list[Problem]:
    """What each content file's text still holds, read once: old text's damage (pinyin readings, traditional and
    lost characters, on zh-CN sites) and, in Markdown, what pasting from Word, WPS or a web page left."""
    found = []
    legacy = config.language.startswith("zh-CN")
    for path in sorted(p for p in config.content_dir.rglob("*") if p.suffix in (".md", ".yml", ".yaml")):
        shown = relative(path, config.root)
        try:
            text = read_text(path, config.root)
        except SiteError:
            continue  # reported by the loaders already
        if legacy:
            found += _legacy_problems(text, shown)
        if path.suffix == ".md":
            found += _paste_problems(text, shown)
    return found


def _paste_problems(text: str, shown: str) -> list[Problem]:
    found, pastes = [], find_paste(text)
    for before, paste in zip([None, *pastes], pastes, strict=False):
        if paste.kind == "list" and before and before.kind == "list" and before.line == paste.line - 1:
            continue  # a run of numbered lines is told once, at its first
        hint = say("paste.fix.hint", path=shown) if paste.fixable else say("paste.numbering.hint")
        found.append(Problem(paste.message, Origin(shown, paste.line), hint, "warning"))
    return found


def _legacy_problems(text: str, shown: str) -> list[Problem]:
    found, damage = [], find_damage(text)
    hint = say("check.legacy.hint", path=shown)
    for kind in ("pinyin", "traditional"):
        of_kind = [d for d in damage if d.kind == kind]
        if of_kind:
            first = of_kind[0]
            said_first = first.describe()
            message = said_first if len(of_kind) == 1 else say("check.legacy.more", first=said_first,
                                                               count=len(of_kind))
            found.append(Problem(message, Origin(shown, first.line, first.column), hint, "warning"))
    return found + [Problem(d.describe(), Origin(shown, d.line, d.column), say("clean.by_hand.hint"), "warning")
                    for d in damage if d.kind == "lost"]
