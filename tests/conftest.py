"""Shared fixtures: small sites written into tmp dirs, and a copy of the sample site.

Tests never write into the working tree: every build happens in tmp_path
(its image cache included). Helpers live in sitekit.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brandcolumn.cli import main
from sitekit import MINIMAL, copy_sample_site, write_files


@pytest.fixture
def make_site(tmp_path):
    """Return a function writing the minimal valid site plus `files` (overrides) into a tmp dir."""
    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        root = tmp_path / "site"
        write_files(root, {**MINIMAL, **(files or {})})
        return root
    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """A copy of the repository's sample site, built once for the whole test session."""
    root = copy_sample_site(tmp_path_factory.mktemp("sample"))
    assert main(["--site", str(root), "build"]) == 0
    return root


@pytest.fixture(scope="session")
def sample_output(sample_site) -> Path:
    return sample_site / "output"


@pytest.fixture(scope="session")
def sharded_sample_output(tmp_path_factory) -> Path:
    """The sample site with its search index cut as a large column's is: postings files of a few
    hundred bytes, and every key with more than 60 bytes of postings in a file of its own."""
    from brandcolumn.search import layout
    from brandcolumn.search.index import index_here
    root = copy_sample_site(tmp_path_factory.mktemp("sharded"))
    assert main(["--site", str(root), "build"]) == 0
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(layout, "SHARD_SIZE", 400)
        patched.setattr(layout, "OWN_FILE", 60)
        index_here(root / "output")
    return root / "output"


@pytest.fixture(autouse=True)
def quick_deploy_claims(monkeypatch):
    """A deploy reads its claim on a target again after a second (publish/claim.py); tests need not wait that long."""
    from brandcolumn.publish import claim
    monkeypatch.setattr(claim, "SETTLE_SECONDS", 0.05)


@pytest.fixture(autouse=True)
def chinese_by_default():
    """Each test starts in the editors' language, whatever an earlier test chose (--lang en)."""
    from brandcolumn.core.messages import use_language
    use_language("zh")
    yield
    use_language("zh")


@pytest.fixture(autouse=True)
def no_progress_lines(monkeypatch):
    """A build run in a test tells no progress: on a slow machine its plain line every LOG_EVERY seconds would come
    before the messages the test reads (tests/unit/test_progress.py sets it where it is the subject)."""
    from brandcolumn.core import progress
    monkeypatch.setattr(progress, "LOG_EVERY", float("inf"))


@pytest.fixture
def english(monkeypatch):
    """Messages in English, as `--lang en` or BRANDCOLUMN_LANG=en gives them (developers' detail, e.g. why an
    SVG is unsafe), also for commands run in the test."""
    from brandcolumn.core.messages import use_language
    monkeypatch.setenv("BRANDCOLUMN_LANG", "en")
    use_language("en")
