"""Helpers for tests that build sites: small images, file writing, building, digests."""

from __future__ import annotations

import hashlib
import io
import textwrap
from pathlib import Path

from PIL import Image

from brandcolumn.cli import main

PROJECT = Path(__file__).resolve().parent.parent


def png_bytes(size=(64, 64), color=(200, 30, 30, 255), mode="RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(800, 600), color=(40, 90, 160), exif=None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", exif=exif or Image.Exif())
    return buffer.getvalue()


MINIMAL = {
    "site.yml": """\
        title: 测试专栏
        base_url: https://example.gov.cn/
        """,
    "content/brands/xin-qiao.yml": """\
        name: 心桥
        unit: 昆山市地方税务局
        category: leading
        slogan: 用心架起征纳之桥
        logo: logos/xin-qiao.png
        """,
    "content/namings/2008.yml": """\
        year: 2008
        date: 2008-12-26
        awarded_by: 昆山市机关效能建设工作领导小组
        entries:
          - brand: xin-qiao
            stars: 3
            status: named
        """,
    "content/cases/hello.md": """\
        ---
        title: 第一篇经验
        date: 2008-05-01
        unit: 昆山市地方税务局
        brands: [xin-qiao]
        ---
        ## 主要做法

        正文内容。
        """,
    "assets/logos/xin-qiao.png": png_bytes(),
}


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    """Write dedented text or raw bytes; None deletes the file."""
    for name, data in files.items():
        path = root / name
        if data is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data), encoding="utf-8")


def run_build(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    """Run `build.py build` in-process; return (exit code, stdout, stderr)."""
    code = main(["--site", str(root), "build", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tree_digest(folder: Path) -> str:
    """One hash over every file name and byte under a folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
