"""Issue 13: what the disk or the system refuses is one clear message, and output/ is left as it was.

The faults are injected where the build meets the operating system (the tests run as root, whom
permissions do not stop, and cannot fill a disk): each raises the OSError the system would.
"""

from __future__ import annotations

import errno
import os
import pathlib

import pytest

from brandcolumn.images import encode
from sitekit import MINIMAL, jpeg_bytes, run_build, tree_digest, write_files

FAILED = "build failed: 1 error(s); output/ was left as it was\n"
FULL = "  hint: free some space on that disk (the project's .cache/ folder may be deleted), then try again\n"


@pytest.fixture
def built(make_site, capsys):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    return root, tree_digest(root / "output")


def refuse(number: int, path: str) -> OSError:
    return OSError(number, os.strerror(number), path)


def test_disk_full_while_writing_a_page(built, capsys, monkeypatch):
    root, before = built
    write_files(root, {"content/cases/hello.md": MINIMAL["content/cases/hello.md"] + "新的一段。\n"})
    write = pathlib.Path.write_bytes

    def full(self, data):
        if self.as_posix().endswith("cases/hello/index.html"):
            raise refuse(errno.ENOSPC, str(self))
        return write(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", full)
    code, out, err = run_build(root, capsys)
    assert (code, out) == (1, "")
    assert err == "output/cases/hello/index.html: 磁盘已满 (no space left on device)\n" + FULL + FAILED
    assert tree_digest(root / "output") == before
    assert not list(root.glob(".output-building-*"))


def test_disk_full_while_encoding_is_not_blamed_on_the_image(built, capsys, monkeypatch):
    root, before = built
    write_files(root, {"assets/photos/hall.jpg": jpeg_bytes(),
                       "content/cases/hello.md": MINIMAL["content/cases/hello.md"] + "![大厅](photos/hall.jpg)\n"})

    def full(im, variant, job, target):  # in the encoding workers too: they are forked after this
        raise refuse(errno.ENOSPC, str(target))

    monkeypatch.setattr(encode, "_save", full)
    code, out, err = run_build(root, capsys)
    assert (code, out) == (1, "")
    assert err == ".cache/images: 磁盘已满 (no space left on device)\n" + FULL + FAILED
    assert "damaged" not in err
    assert tree_digest(root / "output") == before


@pytest.mark.parametrize("number, reason, hint", [
    (errno.EACCES, "没有权限 (permission denied)", "check that your user may write there: the folder's owner and permissions"),
    (errno.EROFS, "磁盘是只读的 (read-only file system)", "work on a disk you can write to, or choose another folder (build -o DIR)"),
])
def test_a_folder_that_may_not_be_written(built, capsys, monkeypatch, number, reason, hint):
    root, before = built
    write_files(root, {"content/cases/hello.md": MINIMAL["content/cases/hello.md"] + "新的一段。\n"})
    mkdir = os.mkdir

    def refused(path, *args, **kwargs):
        if ".output-building-" in os.fspath(path):
            raise refuse(number, os.fspath(path))
        return mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refused)
    code, out, err = run_build(root, capsys)
    assert (code, out) == (1, "")
    assert err == f"{root}: {reason}\n  hint: {hint}\n" + FAILED
    assert tree_digest(root / "output") == before
