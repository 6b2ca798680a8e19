"""What a deploy changes: the manifest of content hashes kept on the target, and the plan.

The target keeps `.brandcolumn-manifest.json`: every file this tool published there, with the
SHA-256 of its content. Comparing it with the hashes of output/ says what to upload, without
trusting timestamps (a fresh clone or a rebuild touches every file). Files the tool did not
publish are never touched, so a column under a sub-path of a bigger site cannot delete its
neighbours.

Uploads run in an order that keeps the public site whole at every moment: files whose names
carry a content hash first (images, search index parts), then the other assets (stylesheets,
scripts, the search entry that points at the index parts), then pages and feeds, which refer to
all of those, with the home page last. Removals come after everything else.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.output import MARKER as OUTPUT_MARKER

MANIFEST_NAME = ".brandcolumn-manifest.json"
MANIFEST_VERSION = 1
_HASHED_NAME = re.compile(r"(^|[-_.])(?=[0-9a-f]*[0-9])[0-9a-f]{7,}([-_.]|$)")
_PAGE_SUFFIXES = (".html", ".xml")


@dataclass
class Plan:
    """The files to upload (in upload order) and to remove, from two manifests."""

    local: dict[str, str]
    remote: dict[str, str]
    upload: list[str]
    stale: list[str]  # on the target but no longer in the site
    delete: bool  # whether stale files are removed (deploy --delete)
    unchanged: int = field(default=0)

    @property
    def remove(self) -> list[str]:
        return self.stale if self.delete else []

    @property
    def empty(self) -> bool:
        return not self.upload and not self.remove


def make_plan(local: dict[str, str], remote: dict[str, str], delete: bool) -> Plan:
    upload = upload_order(path for path, digest in local.items() if remote.get(path) != digest)
    stale = sorted(path for path in remote if path not in local)
    return Plan(local, dict(remote), upload, stale, delete, unchanged=len(local) - len(upload))


def upload_order(paths) -> list[str]:
    """Content-hashed files, other assets, pages and feeds, the home page last."""
    return sorted(paths, key=lambda path: (upload_rank(path), path))


def upload_rank(path: str) -> int:
    """1 content-hashed files, 2 other assets, 3 pages and feeds, 4 the home page."""
    if path == "index.html":
        return 4
    if is_page(path):
        return 3
    return 1 if is_content_hashed(path) else 2


def is_page(path: str) -> bool:
    return path.endswith(_PAGE_SUFFIXES)


def is_content_hashed(path: str) -> bool:
    """Whether the file's name changes when its content does (so it can be cached for ever)."""
    stem = path.rsplit("/", 1)[-1]
    return bool(_HASHED_NAME.search(stem.rsplit(".", 1)[0] if "." in stem else stem)) and not is_page(path)


def content_type(path: str) -> str:
    """The Content-Type a web server should send, with charset=utf-8 for text."""
    guessed = {".avif": "image/avif", ".webp": "image/webp", ".js": "text/javascript",
               ".pf_fragment": "application/octet-stream", ".pf_index": "application/octet-stream",
               ".pf_meta": "application/octet-stream", ".pagefind": "application/octet-stream",
               ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
               ".txt": "text/plain", ".html": "text/html", ".css": "text/css"}.get(Path(path).suffix.lower())
    kind = guessed or mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.endswith("feed.xml"):
        kind = "application/atom+xml"
    textual = kind.startswith("text/") or kind in ("application/json", "application/xml", "application/atom+xml",
                                                   "image/svg+xml")
    return f"{kind}; charset=utf-8" if textual else kind


def cache_control(path: str) -> str:
    """Long for files whose names carry their content hash, short for everything else."""
    if is_content_hashed(path):
        return "public, max-age=31536000, immutable"
    if is_page(path) or path.endswith((".json", ".txt")):
        return "public, max-age=0, must-revalidate"
    return "public, max-age=3600"


def content_disposition(path: str) -> str | None:
    """SVGs download instead of opening as a page: object stores cannot send the Content-Security-Policy
    (svg.SERVE_POLICY) that stops an SVG opened directly from running script on the site's origin;
    <img> and <link rel=icon> show them as before (issue 13)."""
    return "attachment" if path.lower().endswith(".svg") else None


def hash_folder(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder`, by its POSIX path relative to it."""
    hashes = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(folder).as_posix()
            if relative not in (MANIFEST_NAME, OUTPUT_MARKER):  # the marker is for build, not the public
                hashes[relative] = file_hash(path)
    return hashes


def file_hash(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def encode_manifest(files: dict[str, str]) -> bytes:
    return json.dumps({"version": MANIFEST_VERSION, "tool": "brandcolumn", "files": dict(sorted(files.items()))},
                      indent=0, ensure_ascii=False).encode("utf-8")


def decode_manifest(data: bytes | None) -> dict[str, str] | None:
    """The files a manifest lists; None when there is none or it cannot be read (then all is uploaded)."""
    if data is None:
        return None
    try:
        parsed = json.loads(data.decode("utf-8"))
        files = parsed["files"]
        if parsed.get("version") != MANIFEST_VERSION or not isinstance(files, dict):
            return None
        return {str(path): str(digest) for path, digest in files.items() if _safe(str(path))}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _safe(path: str) -> bool:
    """A manifest entry is a plain relative path: a tampered manifest cannot steer a removal outside."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and all(part not in ("", ".", "..") for part in parts) \
        and "\\" not in path and "\0" not in path
