"""The preview's build, kept between edits: a full build first, then after each edit the same
steps (build/pipeline.py) given what was kept, so only the pages that edit touches are written.

Unchanged files are not parsed again (FileMemo), unchanged images are not planned or encoded
again, and a page is rendered again only when a value it read of the site (pages/trace.py) or one
of its templates changed. Each page file is replaced atomically and the browser is told to reload
only after all writes, so it never sees a half-done build. site.yml changes rebuild everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..build.pipeline import BuildOptions, Built, Kept, build
from ..core.config import CONFIG_FILE
from ..core.errors import Problem
from ..search import index_search

PREVIEW_STATIC_VERSION = "preview"


@dataclass
class Outcome:
    pages: int  # pages written
    seconds: float
    full: bool
    styles_only: bool  # only stylesheets changed: the browser can swap them without a reload
    warnings: list[Problem] = field(default_factory=list)  # what the editor should know, e.g. text left to fill in


class LiveSite:
    """The preview's build, kept between edits."""

    def __init__(self, root: Path, out_dir: Path, base_url: str, drafts: bool):
        self.root, self.out_dir, self.drafts = root, out_dir, drafts
        self.options = BuildOptions(out_dir, drafts, base_url, workers=1,  # no fork beside server threads
                                    static_version=PREVIEW_STATIC_VERSION, preview=True)
        self.kept = Kept()

    @property
    def built(self) -> Built | None:
        return self.kept.built

    def rebuild(self, changed: set[Path] | None) -> Outcome:
        """Bring the preview up to date after `changed` files (None: unknown, build everything).

        Raises BuildFailed or SiteError on bad input; the preview then stays as it was.
        """
        if self.built is None or changed is None or self.root / CONFIG_FILE in changed:
            return self.full()
        result = build(self.root, self.options, kept=Kept(self.kept.memo, self.built, changed))
        self.kept.built = result.built
        return Outcome(result.rendered or 0, result.seconds, False, result.styles_only, result.warnings)

    def full(self) -> Outcome:
        self.kept = Kept()
        result = build(self.root, self.options, kept=self.kept)
        self.kept.built = result.built
        return Outcome(result.pages, result.seconds, True, False, result.warnings)

    def refresh_search(self) -> None:
        """Index the preview for search again; rebuilds leave this to the server's background thread."""
        assert self.built is not None
        index_search(self.out_dir, self.built.config.cache_dir, pages=[route.output for route in self.built.routes],
                     previous=self.out_dir)
