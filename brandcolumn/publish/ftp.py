"""ftp:// and ftps:// targets, for the shared hosting many government sites get: it offers only FTP.

Every file goes up as `.name.part` beside its real name and is then renamed onto it, so a visitor
gets the old file or the new one, never half of one; a server that refuses to rename over a file
has the old one deleted first (a moment without the file rather than a broken one). ftps://
verifies the server's certificate, against ca_file when site.yml names one: ftplib's own context
does not verify, and a password sent to an impostor is lost. The password comes only from the
environment variable the target names and never appears in a message.
"""

from __future__ import annotations

import ftplib
import io
import os
import posixpath
import ssl
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from ..core.errors import SiteError
from ..core.messages import said, say
from ..core.targets import DeployTarget
from .publisher import Store, target_error

TIMEOUT = 15  # seconds without an answer before the server counts as gone
BLOCK = 64 * 1024
# What the deploy was doing when the server or the network failed it, for the message.
_DOING = {"read": "ftp.doing.read", "upload": "ftp.doing.upload", "remove": "ftp.doing.remove",
          "remove_empty": "ftp.doing.remove_empty", "connect": "ftp.doing.connect", "start_tls": "ftp.doing.start_tls",
          "log_in": "ftp.doing.log_in", "protect": "ftp.doing.protect", "create": "ftp.doing.create"}


class FtpPublisher(Store):
    """A folder on an FTP server, written file by file through temporary names."""

    def __init__(self, target: DeployTarget, root: Path):
        super().__init__(target, root)
        self.base = target.path or "/"
        self.folders: set[str] = set()  # folders known to exist on the server
        self.password = _password(target)
        self.ftp: ftplib.FTP = _ReusingFTP_TLS(context=_tls_context(target), timeout=TIMEOUT, encoding="utf-8") \
            if target.tls else ftplib.FTP(timeout=TIMEOUT, encoding="utf-8")
        try:
            self._connect()
        except SiteError:
            self.ftp.close()
            raise

    def read(self, name: str) -> bytes | None:
        chunks: list[bytes] = []
        with self._talking("read", name):
            try:
                self.ftp.retrbinary(f"RETR {self._remote(name)}", chunks.append, BLOCK)
            except ftplib.error_perm as exc:
                if _code(exc) == "550":  # no such file
                    return None
                raise
        return b"".join(chunks)

    def write(self, name: str, data: bytes) -> None:
        with self._talking("upload", name):
            self._upload(self._remote(name), io.BytesIO(data))

    def put(self, paths: list[str], source: Path) -> None:
        for path in paths:
            with (source / path).open("rb") as file, self._talking("upload", path):
                self._upload(self._remote(path), file)

    def remove(self, paths: list[str]) -> None:
        for path in paths:
            with self._talking("remove", path):
                self._delete(self._remote(path))
        with self._talking("remove_empty"):
            for folder in sorted({posixpath.dirname(self._remote(path)) for path in paths}, reverse=True):
                self._remove_if_empty(folder)

    def close(self) -> None:
        try:
            self.ftp.quit()
        except ftplib.all_errors:  # the connection is already gone
            self.ftp.close()

    def _connect(self) -> None:
        target, ftp = self.target, self.ftp
        with self._talking("connect"):
            ftp.connect(target.host, target.port or 21)
        if isinstance(ftp, ftplib.FTP_TLS):
            with self._talking("start_tls"):
                ftp.auth()
        with self._talking("log_in"):
            ftp.login(target.user or "anonymous", self.password or "")  # anonymous: ftplib sends anonymous@
        if isinstance(ftp, ftplib.FTP_TLS):
            with self._talking("protect"):
                ftp.prot_p()
        ftp.set_pasv(target.passive)

    def _upload(self, remote: str, file: BinaryIO) -> None:
        folder, name = posixpath.split(remote)
        self._make_folder(folder)
        part = posixpath.join(folder, f".{name}.part")
        self.ftp.storbinary(f"STOR {part}", file, BLOCK)
        try:
            self.ftp.rename(part, remote)
        except ftplib.error_perm:  # some servers (IIS) will not rename over an existing file
            self._delete(remote)
            self.ftp.rename(part, remote)

    def _make_folder(self, folder: str) -> None:
        """Create `folder` and its missing parents; CWD tells whether one exists without a listing."""
        if folder in self.folders or folder in ("/", ""):
            return
        try:
            self.ftp.cwd(folder)
        except ftplib.error_perm:
            self._make_folder(posixpath.dirname(folder))
            with self._talking("create", folder):
                self.ftp.mkd(folder)
        self.folders.add(folder)

    def _delete(self, remote: str) -> None:
        try:
            self.ftp.delete(remote)
        except ftplib.error_perm as exc:
            if _code(exc) != "550":  # 550: already gone
                raise

    def _remove_if_empty(self, folder: str) -> None:
        """Remove a folder the removals emptied (a case's page folder), so it answers 404; keep the rest."""
        inside = self.base.rstrip("/") + "/"
        while folder.startswith(inside) and len(folder) > len(inside):
            try:
                self.ftp.rmd(folder)
            except ftplib.error_perm:  # not empty: it and its parents stay
                return
            self.folders.discard(folder)
            folder = posixpath.dirname(folder)

    def _remote(self, path: str) -> str:
        return posixpath.join(self.base, path)

    @contextmanager
    def _talking(self, action: str, subject: str = "") -> Iterator[None]:
        """Turn whatever the server or the network says into one SiteError."""
        try:
            yield
        except SiteError:
            raise
        except ftplib.all_errors as exc:
            raise self._problem(exc, action, subject) from None  # the cause could repeat what was sent

    def _problem(self, exc: BaseException, action: str, subject: str) -> SiteError:
        target, reply, code = self.target, self._reply(exc), _code(exc)
        user = target.user or "anonymous"
        doing = say(_DOING[action], subject=subject)
        if isinstance(exc, ssl.SSLError):
            return _tls_problem(target, exc)
        if action == "connect" and isinstance(exc, OSError):
            return self.error(say("ftp.unreachable", host=target.host, port=target.port or 21, reply=reply),
                              say("ftp.unreachable.hint"))
        if action != "connect" and (isinstance(exc, (EOFError, OSError)) or code == "421"):
            return self.error(say("ftp.lost", doing=doing, reply=reply), say("ftp.lost.hint"))
        if code == "530":
            return self.error(say("ftp.login", reply=reply), say("ftp.login.hint", user=user, env=target.password_env))
        if code in ("452", "552"):
            return self.error(say("ftp.full", doing=doing, reply=reply), say("ftp.full.hint"))
        if action == "start_tls":
            return self.error(say("ftp.no_tls", reply=reply), say("ftp.no_tls.hint"))
        writing = code == "550" and action in ("upload", "create")
        hint = say("ftp.refused.hint", user=user, folder=self.base) if writing else None
        return self.error(say("ftp.refused", doing=doing, reply=reply), hint)

    def _reply(self, exc: BaseException) -> str:
        """The server's answer or the system's reason, never with the password in it."""
        text = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).strip()
        text = text or said("ftp.no_answer")  # EOFError
        return text.replace(self.password, "***") if self.password else text


class _ReusingFTP_TLS(ftplib.FTP_TLS):
    """FTP_TLS resuming the control connection's TLS session on data connections, as vsftpd
    (require_ssl_reuse, its default) and FileZilla Server demand; ftplib does not."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


def _password(target: DeployTarget) -> str | None:
    if target.user in ("", "anonymous"):
        return None
    password = os.environ.get(target.password_env)
    if password is None:
        raise target_error(target, say("ftp.no_password", user=target.user, env=target.password_env),
                           say("ftp.no_password.hint", env=target.password_env))
    return password


def _tls_context(target: DeployTarget) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=target.ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise target_error(target, say("ftp.ca_file", file=target.ca_file,
                                       reason=str(getattr(exc, "strerror", None) or exc)),
                           say("ftp.ca_file.hint")) from None


def _tls_problem(target: DeployTarget, exc: ssl.SSLError) -> SiteError:
    if isinstance(exc, ssl.SSLCertVerificationError):
        hint = say("ftp.untrusted.ca.hint", file=target.ca_file) if target.ca_file else say("ftp.untrusted.hint")
        return target_error(target, say("ftp.untrusted", detail=exc.verify_message), hint)
    return target_error(target, say("ftp.tls", detail=str(exc.reason or exc)), say("ftp.tls.hint"))


def _code(exc: BaseException) -> str:
    return str(exc)[:3] if isinstance(exc, ftplib.Error) else ""
