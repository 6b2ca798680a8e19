"""The `deploy:` part of site.yml: named targets, each a place the column is published to.

    deploy:
      production:
        to: ftps://pinpai@ftp.example.gov.cn/jgjs/pinpai
      staging:
        to: /srv/www/pinpai

The scheme of `to` chooses the publisher (a folder, ssh:// for rsync, s3://, ftp:// or ftps://).
site.yml is committed and shared, so it never holds a secret: passwords and keys come from
environment variables or the editor's own SSH set-up, and a password written here is refused
without being repeated in the message.
"""

from __future__ import annotations

import copy
import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import schema
from .errors import Origin
from .messages import say
from .schema import Field, Invalid, Loc

SECRET_KEYS = ("password", "passwd", "pass", "secret", "secret_key", "access_key", "access_key_id",
               "aws_access_key_id", "aws_secret_access_key", "key", "token", "private_key")
KINDS = {"file": "folder", "ssh": "rsync", "s3": "s3", "ftp": "ftp", "ftps": "ftp"}
# Which optional keys each kind of target reads; any other is reported rather than ignored.
KEYS_OF = {"folder": {"keep", "releases"}, "rsync": {"ssh"}, "s3": {"endpoint", "region"},
           "ftp": {"ca_file", "password_env", "passive"}}


@dataclass(frozen=True)
class DeployTarget:
    """One place to publish to, as site.yml describes it (never with a secret)."""

    name: str
    kind: str  # folder | rsync | s3 | ftp
    to: str
    origin: Origin
    host: str = ""  # the server, or the bucket for s3
    port: int | None = None
    user: str = ""
    path: str = ""  # the folder on the server, the key prefix in the bucket, or the local folder
    tls: bool = False
    keep: int = 5
    releases: str | None = None
    ssh: str = "ssh"
    endpoint: str | None = None
    region: str | None = None
    ca_file: str | None = None
    password_env: str = "FTP_PASSWORD"
    passive: bool = True


def _env_name(value: Any, loc: Loc) -> str:
    # Names are capitals by convention; anything else may well be the password itself, written
    # where its variable's name belongs: it is never repeated (issue 13).
    name = schema.text(value, loc)
    if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", name):
        raise Invalid("target.env.invalid", say("target.env.hint"), conceal=True)
    return name


def _web_address(value: Any, loc: Loc) -> str:
    written = schema.text(value, loc)
    if "@" in written or _has_password(written):  # a key written before the server name: never repeated
        raise Invalid("target.endpoint.invalid", say("target.endpoint.key.hint"), conceal=True)
    try:
        parts = urlsplit(written)
    except ValueError:
        raise Invalid("target.endpoint.invalid") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("target.endpoint.invalid")
    return written


def _command(value: Any, loc: Loc) -> str:
    written = schema.text(value, loc)
    try:
        shlex.split(written)
    except ValueError:
        raise Invalid("target.ssh.invalid", say("target.ssh.quotes.hint")) from None
    return written


def _absolute_path(value: Any, loc: Loc) -> str:
    written = schema.text(value, loc)
    if not written.startswith("/"):
        raise Invalid("target.path.absolute")
    return written


TARGET_FIELDS = {
    "to": Field(schema.text, required=True, label="发布到", doc="where to publish: a folder like /srv/www/pinpai, "
                "or an address starting with ssh://, s3://, ftp:// or ftps://"),
    "keep": Field(schema.integer(2, 100), default=5, label="保留版本数",
                  doc="folder: how many releases to keep for --rollback"),
    "releases": Field(_absolute_path, label="版本存放文件夹",
                      doc="folder: where releases are kept (default: a hidden folder beside it)"),
    "ssh": Field(_command, default="ssh", label="远程命令", doc="ssh://: the remote shell command, e.g. ssh -p 2222"),
    "endpoint": Field(_web_address, label="存储服务地址",
                      doc="s3://: the storage service's address (Aliyun OSS, Tencent COS, MinIO)"),
    "region": Field(schema.text, label="存储区域", doc="s3://: the storage region, e.g. cn-shanghai"),
    "ca_file": Field(_absolute_path, label="证书文件", doc="ftps://: a CA file to check the server's certificate"),
    "password_env": Field(_env_name, default="FTP_PASSWORD", label="密码环境变量",
                          doc="ftp://: env variable with the password"),
    "passive": Field(schema.boolean, default=True, label="被动模式",
                     doc="ftp://: passive mode (the default; false for active)"),
}


def deploy_targets(value: Any, loc: Loc) -> dict[str, DeployTarget]:
    """Parse `deploy:`: a group of named targets."""
    if not isinstance(value, dict) or not value:
        raise Invalid("targets.invalid")
    targets = {}
    for name, fields in value.items():
        here = loc.child(str(name), schema.line_of(value, name))
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", name):
            loc.problems.add(say("target.name.invalid", field=here.field), here.origin)
            continue
        target = _target(name, fields, here)
        if target is not None:
            targets[name] = target
    return targets


def _target(name: str, fields: Any, loc: Loc) -> DeployTarget | None:
    if not isinstance(fields, dict):
        loc.problems.add(say("target.fields.expected", field=loc.field), loc.origin)
        return None
    secrets = [key for key in fields if str(key).lower() in SECRET_KEYS]
    for key in secrets:
        loc.problems.add(say("target.secret", field=loc.child(str(key), None).field),
                         Origin(loc.path, schema.line_of(fields, key)), say("target.secret.hint"))
    if isinstance(fields.get("to"), str) and _has_password(fields["to"]):
        loc.problems.add(say("target.secret.address", field=loc.child("to", None, TARGET_FIELDS["to"].title).field),
                         Origin(loc.path, schema.line_of(fields, "to")), say("target.secret.hint"))
        return None
    without_secrets = copy.copy(fields)  # keeps the line of each key
    for key in secrets:
        del without_secrets[key]
    values = schema.validate(without_secrets, TARGET_FIELDS, loc)
    if values is None or values["to"] is None:
        return None
    try:
        where = _where(values["to"])
    except Invalid as exc:
        to = loc.child("to", schema.line_of(fields, "to"), TARGET_FIELDS["to"].title)
        loc.problems.add(exc.message(to.field, f"'{_shown(values['to'])}'"), to.origin, exc.hint)
        return None
    for key in fields:
        if key in TARGET_FIELDS and key != "to" and key not in KEYS_OF[where["kind"]]:
            loc.problems.add(say("target.key.unused", field=loc.child(str(key), None).field, kind=where["kind"],
                                 to=values["to"]),
                             Origin(loc.path, schema.line_of(fields, key)),
                             say("target.key.readers", kinds=_readers(key)))
    options = {key: values[key] for key in KEYS_OF[where["kind"]] if values[key] is not None}
    return DeployTarget(name=name, to=values["to"], origin=loc.origin, **where, **options)


def _readers(key: str) -> list[str]:
    return [kind for kind, keys in KEYS_OF.items() if key in keys]


def _has_password(written: str) -> bool:
    """A password after the user name (ftp://user:pw@host) or in the query (?password=...), also in an
    address that cannot be taken apart."""
    if re.search(r"://[^/?#\s]*:[^/?#\s]*@", written):
        return True
    try:
        parts = urlsplit(written.strip())
        return parts.password is not None or any(
            re.search(r"pass|pwd|secret|token|key|signature|credential", name, re.I)
            for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    except ValueError:
        return False


def _shown(written: str) -> str:
    """An address as messages may show it: without a query or what comes before an '@', either of which
    could carry a secret."""
    shown = written.split("?", 1)[0] + ("?..." if "?" in written else "")
    return re.sub(r"^([A-Za-z0-9+.-]+://)[^/]*@", r"\1...@", shown)


def _where(written: str) -> dict[str, Any]:
    """The kind of target and its parts, from `to`."""
    if written.startswith("/"):
        return {"kind": "folder", "path": _clean_folder(written)}
    try:
        parts = urlsplit(written)
        port = parts.port
    except ValueError:
        raise Invalid("target.to.invalid", say("target.to.port.hint")) from None
    kind = KINDS.get(parts.scheme) if parts.scheme else None
    if kind is None or parts.query or parts.fragment:
        raise Invalid("target.to.invalid", None if parts.scheme else say("target.to.folder.hint"))
    path = unquote(parts.path)
    if kind == "folder":
        if parts.netloc or not path.startswith("/"):
            raise Invalid("target.to.file")
        return {"kind": kind, "path": _clean_folder(path)}
    if not parts.hostname:
        raise Invalid("target.to.invalid", say("target.to.bucket.hint" if kind == "s3" else "target.to.server.hint",
                                               scheme=parts.scheme))
    if ".." in PurePosixPath(path).parts:
        raise Invalid("target.to.invalid", say("target.to.dots.hint"))
    if kind == "rsync" and path in ("", "/"):
        raise Invalid("target.to.ssh_folder", say("target.to.ssh_folder.hint"))
    return {"kind": kind, "host": parts.hostname, "port": port, "user": unquote(parts.username or ""),
            "path": path.strip("/") if kind == "s3" else (path or "/"), "tls": parts.scheme == "ftps"}


def _clean_folder(path: str) -> str:
    if ".." in PurePosixPath(path).parts:
        raise Invalid("target.path.dots")
    cleaned = str(PurePosixPath(path))
    if cleaned == "/":
        raise Invalid("target.path.root")
    return cleaned
