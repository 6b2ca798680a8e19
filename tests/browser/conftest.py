"""Browser fixtures: Debian's chromium driven by Playwright, and the sample output on a local server."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from gates import serve_folder

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    executable = shutil.which("chromium")
    assert executable, "Chromium is missing: apt-get install chromium fonts-noto-cjk (see README)"
    return {"executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def served_sample(sample_output, tmp_path_factory):
    """The sample output served at http://127.0.0.1:<port>/jgjs/pinpai/, as on the city's host."""
    with serve_under_sub_path(sample_output, tmp_path_factory.mktemp("webroot")) as address:
        yield address


@pytest.fixture(scope="session")
def served_sharded_sample(sharded_sample_output, tmp_path_factory):
    """The sample output with its search index in shards, served like served_sample."""
    with serve_under_sub_path(sharded_sample_output, tmp_path_factory.mktemp("webroot")) as address:
        yield address


@contextmanager
def serve_under_sub_path(output: Path, webroot: Path) -> Iterator[str]:
    (webroot / "jgjs").mkdir()
    (webroot / "jgjs/pinpai").symlink_to(output)
    with serve_folder(webroot) as address:
        yield address + "jgjs/pinpai/"
