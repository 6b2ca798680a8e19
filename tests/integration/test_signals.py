"""Issue 13: a build killed (kill -9) or stopped (SIGTERM) leaves no worker behind and output/ as it was."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image

from sitekit import MINIMAL, PROJECT, tree_digest, write_files

pytestmark = pytest.mark.slow  # builds are started and killed as processes: not in the fast subset (README)


def noisy_photo(seed: int) -> bytes:
    """A photo that takes a while to encode (noise does not compress)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1600, 1200), random.Random(seed).randbytes(1600 * 1200 * 3)).save(buffer, "JPEG")
    return buffer.getvalue()


def workers_of(pid: int) -> list[int]:
    """The processes `pid` forked to work for it (same command line), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid and b"build.py" in command:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_slow_build(root: Path) -> tuple[subprocess.Popen, list[int]]:
    """A build busy encoding photos on both cores; returns it with its workers once they are running."""
    photos = {f"assets/photos/p{n}.jpg": noisy_photo(n) for n in range(16)}
    body = "".join(f"![照片{n}](photos/p{n}.jpg)\n\n" for n in range(16))
    write_files(root, {**photos, "content/cases/hello.md": textwrap.dedent(MINIMAL["content/cases/hello.md"]) + body})
    build = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "--site", str(root)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (workers := workers_of(build.pid)):
        assert time.monotonic() < deadline and build.poll() is None, build.communicate()
        time.sleep(0.05)
    return build, workers


def test_kill_9_of_a_build_takes_its_workers_with_it(make_site):
    root = make_site()
    build, workers = start_slow_build(root)
    os.kill(build.pid, signal.SIGKILL)
    build.wait(10)
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in workers if alive(pid)] == []


def test_sigterm_stops_a_build_like_ctrl_c(make_site, capsys):
    root = make_site()
    assert subprocess.run([sys.executable, str(PROJECT / "build.py"), "--site", str(root)]).returncode == 0
    before = tree_digest(root / "output")
    build, workers = start_slow_build(root)
    build.send_signal(signal.SIGTERM)
    out, err = build.communicate(timeout=30)
    assert build.returncode == 143
    assert err.endswith("已中断；output/ 保持原样，没有改动\n") and "Traceback" not in err, err
    assert tree_digest(root / "output") == before
    assert not list(root.glob(".output-building-*"))
    time.sleep(0.5)
    assert [pid for pid in workers if alive(pid)] == []
