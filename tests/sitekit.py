"""Helpers for tests that build sites: small images, file writing, building, digests."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
import zlib
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
    "assets/logos/xin-qiao.png": png_bytes((480, 480)),
}


def copy_sample_site(root: Path) -> Path:
    """Copy the repository's sample site (content, assets, themes, site.yml) to `root`."""
    for name in ("content", "assets", "themes"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "site.yml", root / "site.yml")
    return root


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
    return run_command(root, capsys, "build", *args)


def run_command(root: Path, capsys, command: str, *args: str) -> tuple[int, str, str]:
    """Run a `build.py` command in-process; return (exit code, stdout, stderr)."""
    code = main(["--site", str(root), command, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by its POSIX relative path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def public_files(root: Path) -> dict[str, bytes]:
    """The files of a site's output/ that deploy publishes (all but build's own marker)."""
    files = files_of(root / "output")
    files.pop(".brandcolumn-output")
    return files


def tree_digest(folder: Path) -> str:
    """One hash over every file name and byte under a folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def rgb_profile(red_xyz, green_xyz, blue_xyz, description: str = "test RGB") -> bytes:
    """A minimal ICC v2 matrix/TRC display profile with the given primaries (D50 XYZ) and gamma 2.2."""
    def xyz(values) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(_s15(v) for v in values)

    text = description.encode("ascii") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 4 + b"\0" * 4 + b"\0" * 3 + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">I", 1) + struct.pack(">H", 0x0233) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", xyz((0.9642, 1.0, 0.8249))), (b"rXYZ", xyz(red_xyz)),
            (b"gXYZ", xyz(green_xyz)), (b"bXYZ", xyz(blue_xyz)), (b"rTRC", curve), (b"gTRC", curve),
            (b"bTRC", curve), (b"cprt", b"text\0\0\0\0public domain\0\0\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ " + b"\0" * 12
              + b"acsp" + b"\0" * 24 + b"\0" * 4 + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + body


# sRGB primaries adapted to D50, as in the sRGB profile.
SRGB_RED, SRGB_GREEN, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)


def png16_rgb(width: int, height: int, pixel: tuple[int, int, int]) -> bytes:
    """A 16-bit-per-channel RGB PNG of one colour (Pillow cannot write these)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" + struct.pack(">HHH", *pixel) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size but holds no pixels: what a decompression bomb looks like to a header reader."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
            + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))


# Search shards of this many pages cut the sample's 19 indexed pages into 6, as 2400 would be on a large column.
SMALL_SHARDS = 4


def unspaced(text: str) -> str:
    """Indexed text as read: without the spaces the index put around each Chinese character."""
    return re.sub(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])", "", text)


def search_fragments(site_dir: Path) -> dict[str, dict]:
    """Every page in a built site's search index (all its shards) by its address from the site's root
    (/cases/x/), as Pagefind stored it."""
    found = {}
    for shard in search_shards(site_dir):
        found.update(shard_fragments(shard))
    return found


def shard_fragments(shard: Path) -> dict[str, dict]:
    """The pages one folder of the search index holds, by address (gzip, after a signature)."""
    found = {}
    for path in (shard / "fragment").iterdir():
        data = json.loads(gzip.decompress(path.read_bytes())[len("pagefind_dcd"):])
        found["/" + data["meta"]["url"]] = data
    return found


def search_shards(site_dir: Path) -> list[Path]:
    """The folders of a built site's search index: pagefind/ and those its shards.json lists."""
    index = site_dir / "pagefind"
    return [index] + [index / shard for shard in json.loads((index / "shards.json").read_text())]


def hold_lock(root: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the project's lock (lock.py), as a long build would; returns once it holds it."""
    holder = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
from pathlib import Path
sys.path.insert(0, {str(PROJECT)!r})
from brandcolumn.lock import project_lock
with project_lock(Path({str(root)!r}), "build"):
    print("holding", flush=True)
    time.sleep({seconds})
"""], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "holding\n"
    return holder


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
