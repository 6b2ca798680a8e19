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

FAILED = "生成失败：1 个错误；output/ 保持原样，没有改动\n"
FULL = "  提示：在那个磁盘上腾出一些空间（可以删掉项目里的 .cache/ 文件夹），再试一次\n"


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
    assert err == "output/cases/hello/index.html：磁盘已满\n" + FULL + FAILED
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
    assert err == ".cache/images：磁盘已满\n" + FULL + FAILED
    assert "损坏" not in err
    assert tree_digest(root / "output") == before


@pytest.mark.parametrize("number, reason, hint", [
    (errno.EACCES, "没有权限", "请确认你的用户可以往那里写：看看文件夹的所有者和权限"),
    (errno.EROFS, "磁盘是只读的", "换一个能写的磁盘，或另选一个文件夹（build -o 文件夹）"),
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
    assert err == f"{root}：{reason}\n  提示：{hint}\n" + FAILED
    assert tree_digest(root / "output") == before
