"""What the preview's in-place updates need besides the build's steps (pipeline._Run.update).

Pages are written in place, each file atomically, while the preview's server reads them; files of
pages and images that are gone are removed. Typing in a case's text, the commonest edit, patches
the model instead of loading and resolving the site again.
"""

from __future__ import annotations

import os
from dataclasses import fields, replace
from pathlib import Path

from ..core.config import Config
from ..core.errors import Problems
from ..core.files import write_file
from ..core.model import Case, Site
from ..core.sources import FileMemo
from ..load.content import load_case
from ..pages.reads import Path as ReadPath
from ..pages.routes import Route

# A case's own page is the only one the default theme shows these on; the trace finds any other.
_TEXT = ("body_html", "reading_minutes")
_OTHER_CASE_FIELDS = tuple(f.name for f in fields(Case) if f.name not in _TEXT)


class LiveOutput:
    """The preview's folder, written in place: every file atomically, as a browser may be reading it."""

    def __init__(self, folder: Path):
        self.folder = folder

    def write(self, relative_path: str, data: str | bytes) -> None:
        write_file(self.folder, relative_path, data)

    def remove_gone(self, before: list[Route], after: list[Route]) -> None:
        """Remove the files of pages no longer made, and the folders that leaves empty."""
        for output in {r.output for r in before} - {r.output for r in after}:
            path = self.folder / output
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == self.folder or any(folder.iterdir()):
                    break
                folder.rmdir()


def remove_unused_images(folder: Path, site: Site) -> None:
    used = {Path(v.url_path).name for picture in site.pictures for v in picture.variants}
    images = folder / "images"
    for path in images.iterdir() if images.is_dir() else []:
        if path.name not in used:
            os.unlink(path)


def patch_texts(site: Site, config: Config, changed: set[Path], memo: FileMemo) -> tuple[Site, set[ReadPath]] | None:
    """The site with the new text of the changed cases, and the paths that can have changed.

    Only when every changed file is a published case whose other fields are as before and that
    loads without any problem; otherwise None, and the site is loaded and resolved again.
    """
    folder = config.content_dir / "cases"
    if not changed or any(path.parent != folder or path.suffix != ".md" for path in changed):
        return None
    patched = []
    for path in changed:
        before, found = memo.remembered(path), Problems()
        after = load_case(path, config, found, memo) if isinstance(before, Case) else None
        if not isinstance(before, Case) or after is None or found.items or before.slug not in site.cases or any(
                getattr(before, name) != getattr(after, name) for name in _OTHER_CASE_FIELDS):
            return None
        # The resolved case with its new text: brands, related cases and neighbours stay as derived.
        patched.append(replace(site.cases[before.slug], **{name: getattr(after, name) for name in _TEXT}))
    for case in patched:
        site.cases[case.slug] = case
    return site, {("cases", case.slug, name) for case in patched for name in _TEXT}


def theme_changes(theme_dirs: list[Path], changed: set[Path]) -> tuple[set[str], set[str]]:
    """Names of the changed templates and static files of the theme folders."""
    templates: set[str] = set()
    statics: set[str] = set()
    for theme in theme_dirs:
        for path in changed:
            for folder, names in ((theme / "templates", templates), (theme / "static", statics)):
                if folder in path.parents:
                    names.add(path.relative_to(folder).as_posix())
    return templates, statics
