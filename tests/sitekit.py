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

import numpy as np
from PIL import Image

from brandcolumn.cli import main
from brandcolumn.core.messages import language
from brandcolumn.pages.kinds import PageKind

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
    """Run a `build.py` command in-process; return (exit code, stdout, stderr).

    Whatever it says in Chinese (the default) must hold no sentence in English (issue 16).
    """
    code = main(["--site", str(root), command, *args])
    captured = capsys.readouterr()
    if language() == "zh":
        english = english_sentences(captured.out, command) + english_sentences(captured.err, command)
        assert not english, f"said in English to a Chinese editor: {english}"
    return code, captured.out, captured.err


# What may stand in a Chinese message in Latin letters: where (path:line:col), the line as written
# (3 | ...) and its caret, quoted values, addresses, paths, options and commands.
_WHERE = re.compile(r"^[^\s（(]+?:(\d+:){0,2} ")
_SHOWN_LINE = re.compile(r"^\s+\d*\s*\| ")
_LABELS = re.compile(r"^(【[^】]*】)?(第 \d+ 行：)?(提示：)?")  # Chinese, but said of any message: the words follow
_DIFF_LINE = re.compile(r"^(--- |\+\+\+ |@@|[-+]| (?! )| {3,}\S)")  # context lines of indented YAML too
_NOT_WORDS = re.compile(r"'[^']*'|“[^”]*”|\"[^\"]*\"|（[^）]*）|`[^`]*`|https?://\S+|[!-~]*[/\\.=][!-~]*|--?[\w-]+"
                        r"|python build\.py.*$|<[^>]*>|\b\w+:(?=\s|$)")  # ...and a field as written: 'deploy:'


def english_sentences(text: str, command: str = "") -> list[str]:
    """The lines of `text` that say something in English words and no Chinese."""
    if text.lstrip().startswith("{"):
        return []  # check --format json: data for scripts
    found = []
    for line in text.splitlines():
        if _SHOWN_LINE.match(line) or (command in ("clean", "check", "import") and _DIFF_LINE.match(line)):
            continue  # the editor's own text (a diff of the repairs of clean and check --fix, of a list imported)
        said = _NOT_WORDS.sub(" ", _LABELS.sub("", _WHERE.sub("", line.strip())))
        if re.search(r"[A-Za-z]{3,}", said) and not re.search(r"[\u4e00-\u9fff]", said):
            found.append(line)
    return found


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


def unpack(data: bytes) -> bytes:
    """An index file's bytes as engine.js reads them: gzipped, Pagefind's signature first inside."""
    data = gzip.decompress(data)
    assert data.startswith(b"pagefind_dcd")
    return data[len("pagefind_dcd"):]


class SearchIndex:
    """A built site's search index read in Python as engine.js reads it in the browser: its
    documents, and the exact lookup of a word through the postings files."""

    def __init__(self, site_dir: Path):
        self.folder = site_dir / "pagefind"
        entry = json.loads((self.folder / "pagefind-entry.json").read_text())
        self.meta = json.loads(unpack((self.folder / entry["meta"]).read_bytes()))
        self.pages = entry["pages"]

    def documents(self) -> dict[str, dict]:
        """Every result by its address from the site's root (/cases/x/), or as it links (a news item;
        with #工作动态 after it when a page has the same)."""
        meta, found = self.meta, {}
        for n, url in enumerate(meta["url"]):
            fragment = json.loads(unpack((self.folder / f"fragment/{meta['fragment'][n]}.pf_fragment").read_bytes()))
            key = url if url.startswith(("/", "http:", "https:")) else "/" + url
            if key in found:  # a news item linking to its case, in the preview (base_url without a path)
                key += "#" + meta["kinds"][meta["kind"][n]]
            found[key] = {
                "title": meta["title"][n], "kind": meta["kinds"][meta["kind"][n]], "date": meta["date"][n],
                "years": meta["years"][n], "units": [meta["units"][u] for u in meta["unit"][n]],
                "stars": meta["stars"][n], "blocks": fragment["b"], "headings": fragment["h"],
                "text": "\n".join(fragment["b"])}
        return found

    def postings(self, gram: str) -> bytes:
        from brandcolumn.search.layout import shard_of
        from brandcolumn.search.postings import key_of
        if gram in self.meta["own"]:
            return unpack((self.folder / f"index/{self.meta['own'][gram][0]}.pf_index").read_bytes())
        shards = self.meta["shards"]
        number = int(shard_of(np.array([key_of(gram)], dtype=np.uint64), len(shards))[0])
        data = unpack((self.folder / f"index/{shards[number]}.pf_index").read_bytes())
        numbers, at = _varints(data, 0, 1)
        heads, at = _varints(data, at, 3 * numbers[0])
        wanted = (ord(gram[0]), ord(gram[1]) if len(gram) > 1 else 0)
        for first, second, length in zip(heads[::3], heads[1::3], heads[2::3], strict=True):
            if (first, second) == wanted:
                return data[at:at + length]
            at += length
        return b""

    def find(self, word: str) -> set[int]:
        """The numbers of the documents holding the (folded) word, through the postings as engine.js does."""
        from brandcolumn.search.postings import decode
        if len(word) == 1:
            return set(decode(self.postings(word), every_position=False))
        offsets = list(range(0, len(word) - 1, 2))
        if offsets[-1] + 2 < len(word):
            offsets.append(len(word) - 2)
        lists = [decode(self.postings(word[at:at + 2])) for at in offsets]
        found = set()
        for doc, (_, starts) in lists[0].items():
            others = [set(found_in[doc][1]) if doc in found_in else set() for found_in in lists[1:]]
            if any(all(start + offsets[i + 1] in positions for i, positions in enumerate(others)) for start in starts):
                found.add(doc)
        return found


def _varints(data: bytes, at: int, count: int) -> tuple[list[int], int]:
    numbers = []
    while len(numbers) < count:
        value = shift = 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        numbers.append(value)
    return numbers, at


def search_documents(site_dir: Path) -> dict[str, dict]:
    return SearchIndex(site_dir).documents()


def hold_lock(root: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the project's lock (lock.py), as a long build would; returns once it holds it."""
    holder = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
from pathlib import Path
sys.path.insert(0, {str(PROJECT)!r})
from brandcolumn.core.lock import project_lock
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


# A kind of page added as ARCHITECTURE.md says: one PageKind and one template, nothing declared
# about what it depends on. Its page reads every brand's stars through its own context function.
RANKING = PageKind("ranking", "星级榜", "ranking.html", lambda key: "ranking/", menu=75, context=lambda site, config,
                   key, routes: {"ranking": sorted((b for b in site.brands.values() if b.stars),
                                                   key=lambda b: (-b.stars, b.slug))})
RANKING_TEMPLATE = """{% extends "base.html" %}
{% block content %}<h1>星级榜</h1>
<ol>{% for brand in ranking %}<li><a href="{{ url_for(brand) }}">{{ brand.name }}</a> {{ brand.stars|stars }}</li>{% endfor %}</ol>
{% endblock %}
"""
