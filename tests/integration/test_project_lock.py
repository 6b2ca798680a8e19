"""Issue 13: builds in one project take turns; what killed builds left in .cache/ is cleared."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from brandcolumn.core.lock import project_lock
from sitekit import PROJECT, copy_sample_site, hold_lock, run_build, tree_digest

pytestmark = pytest.mark.slow  # builds wait for each other: not in the fast subset (README)

BUILD = [sys.executable, str(PROJECT / "build.py")]


def test_two_builds_at_once_take_turns_and_both_succeed(tmp_path):
    root = copy_sample_site(tmp_path / "site")
    runs = [subprocess.Popen([*BUILD, "--site", str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(run.wait(120), *run.communicate()) for run in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    waited = [err for _, _, err in results if "等它结束后继续" in err]
    assert len(waited) == 1 and "Traceback" not in "".join(err for _, _, err in results)
    assert waited[0].startswith("这个项目里另一个命令正在运行，等它结束后继续：build.py build（进程 ")
    assert any(out.startswith("不用重新生成") for _, out, _ in results)  # the second found the first's work
    reference = copy_sample_site(tmp_path / "reference")
    assert subprocess.run([*BUILD, "--site", str(reference)], capture_output=True).returncode == 0
    assert tree_digest(root / "output") == tree_digest(reference / "output")
    assert [p.name for p in (root / ".cache/search").iterdir() if p.name.startswith(".") and p.name != ".pages.json"] == []


def test_a_build_waits_while_another_process_holds_the_project(make_site, capsys):
    root = make_site()
    holder = hold_lock(root, 1.5)
    started = time.monotonic()
    code, out, err = run_build(root, capsys)
    assert code == 0 and time.monotonic() - started >= 1.0
    assert err.startswith("这个项目里另一个命令正在运行，等它结束后继续：build.py build（进程 ")
    assert err.split("\n")[0].endswith(" 开始）；按 Ctrl+C 可以停止等待")
    holder.wait(10)


def test_what_killed_builds_left_in_the_cache_is_cleared(make_site, capsys):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    cache = root / ".cache"
    folders = [cache / "search/.0123456789abcdef0123456789abcdef-99999", cache / "search-pages-k3j2h1"]
    files = [cache / "parsed/.abcdef.99999", cache / "images/.x-0123456789-320.avif.99999.tmp",
             cache / "search/.pages.marshal.99999.tmp", cache / "search/batches/.0a1b2c.npz.99999.tmp",
             cache / "images/info/.abc.json.99999"]
    for folder in folders:
        folder.mkdir(parents=True)
    for file in files:
        file.write_bytes(b"half")
    left = folders + files
    kept = [cache / "search/pages.marshal", cache / "lock"]
    with project_lock(root, "test"):
        pass
    assert [path for path in left if path.exists()] == []
    assert all(path.exists() for path in kept)


def test_the_lock_is_shared_by_the_threads_of_one_process(make_site):
    root = make_site()
    with project_lock(root, "serve"), project_lock(root, "serve"):  # the preview's rebuild and search threads
        assert os.path.isfile(root / ".cache/lock")
