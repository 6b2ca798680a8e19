"""Publishing with rsync over SSH (`to: ssh://user@host/folder`).

The login is the editor's own SSH set-up (keys, ssh-agent, ~/.ssh/config); BatchMode stops ssh
from ever asking for a password, so a deploy cannot hang on a prompt. rsync sends each batch of
the plan with --files-from and --delay-updates: files go to temporary names and are renamed into
place together at the end of the batch, so a visitor never gets half a file.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import SiteError
from ..core.messages import say
from ..core.targets import DeployTarget
from .publisher import Store

SSH_OPTIONS = ("-o", "BatchMode=yes", "-o", "ConnectTimeout=15")
# What ssh and rsync print, and what it means for the editor.
_SSH_FAILURES = (
    (("Permission denied (publickey", "Permission denied, please try again", "Too many authentication failures"),
     "rsync.login", "rsync.login.hint"),
    (("Host key verification failed",), "rsync.host_key", "rsync.host_key.hint"),
    (("Could not resolve hostname",), "rsync.no_host", "rsync.no_host.hint"),
    (("Connection refused", "timed out", "No route to host", "Network is unreachable", "Connection closed",
      "Connection reset"), "rsync.unreachable", "rsync.unreachable.hint"),
)


class RsyncPublisher(Store):
    def __init__(self, target: DeployTarget, root: Path):
        super().__init__(target, root)
        if shutil.which("rsync") is None:
            raise self.error(say("rsync.missing"), say("rsync.missing.hint"))
        ssh = [*shlex.split(target.ssh), *SSH_OPTIONS, *(["-p", str(target.port)] if target.port else [])]
        self.shell = shlex.join(ssh)
        login = f"{target.user}@" if target.user else ""
        self.remote = f"{login}{target.host}:{target.path.rstrip('/')}/"

    def read(self, name: str) -> bytes | None:
        with tempfile.TemporaryDirectory(prefix="brandcolumn-deploy-") as folder:
            done = self._rsync([self.remote + name, folder + "/"], missing_ok=True)
            found = Path(folder) / name
            return found.read_bytes() if done and found.is_file() else None

    def write(self, name: str, data: bytes) -> None:
        with tempfile.TemporaryDirectory(prefix="brandcolumn-deploy-") as folder:
            (Path(folder) / name).write_bytes(data)
            self._rsync(["--mkpath", "--perms", "--chmod=F644", f"{folder}/{name}", self.remote])

    def put(self, paths: list[str], source: Path) -> None:
        self._send(paths, source, ["--mkpath", "--ignore-times", "--delay-updates", "--perms", "--chmod=D755,F644"])

    def remove(self, paths: list[str]) -> None:
        """Remove the files by sending their folders without them, with --delete limited to them.

        Not --delete-missing-args: the rsync security fixes of 2025 (3.4.x, Debian 3.2.7-1+deb12u6)
        refuse its mode-0 entries ("invalid file mode 00", RsyncProject/rsync#910).
        """
        folders = {parent for path in paths for parent in _parents(path)}
        rules = [f"+ /{_pattern(folder)}/" for folder in sorted(folders)] + [f"+ /{_pattern(p)}" for p in paths]
        with tempfile.TemporaryDirectory(prefix="brandcolumn-deploy-") as empty, \
                tempfile.NamedTemporaryFile("w", prefix="brandcolumn-filter-", encoding="utf-8") as listing:
            for folder in folders:  # present, so that only the listed files in them go
                (Path(empty) / folder).mkdir(parents=True, exist_ok=True)
            listing.write("\n".join([*rules, "- *"]) + "\n")
            listing.flush()
            self._rsync(["--recursive", "--delete", f"--filter=merge {listing.name}", f"{empty}/", self.remote])

    def _send(self, paths: list[str], source: Path, options: list[str]) -> None:
        with tempfile.NamedTemporaryFile(prefix="brandcolumn-files-") as listing:
            listing.write(b"\0".join(path.encode("utf-8") for path in paths))
            listing.flush()
            self._rsync([*options, "--from0", f"--files-from={listing.name}", f"{source}/", self.remote])

    def _rsync(self, arguments: list[str], missing_ok: bool = False) -> bool:
        """Run rsync; False when missing_ok and the remote file is not there."""
        try:
            finished = subprocess.run(["rsync", "--protect-args", "-e", self.shell, *arguments],
                                      capture_output=True, text=True, errors="replace", timeout=3600)
        except subprocess.TimeoutExpired:
            raise self.error(say("rsync.timeout")) from None
        if finished.returncode == 0:
            return True
        message = finished.stderr
        if missing_ok and finished.returncode == 23 and "No such file or directory" in message:
            return False
        raise self._failure(finished.returncode, message)

    def _failure(self, code: int, message: str) -> SiteError:
        for needles, what, hint in _SSH_FAILURES:
            if line := _line_with(message, needles):
                return self.error(say(what, detail=line), say(hint))
        if line := _line_with(message, ("No space left on device",)):
            return self.error(say("rsync.full", detail=line), say("rsync.full.hint"))
        if line := _line_with(message, ("Permission denied",)):
            return self.error(say("rsync.denied", detail=line), say("rsync.denied.hint"))
        lines = [line.strip() for line in message.splitlines() if line.strip()]
        return self.error(say("rsync.failed", code=code, detail=lines[0] if lines else "-"))


def _parents(path: str) -> list[str]:
    """cases/bye/index.html -> ['cases/bye', 'cases']"""
    parents = []
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        parents.append(path)
    return parents


def _pattern(path: str) -> str:
    """A path as an rsync filter pattern that matches only itself."""
    return re.sub(r"([*?\[\\])", r"\\\1", path)


def _line_with(text: str, needles: tuple[str, ...]) -> str | None:
    """The first line of `text` holding one of `needles`."""
    return next((line.strip() for line in text.splitlines() if any(needle in line for needle in needles)), None)
