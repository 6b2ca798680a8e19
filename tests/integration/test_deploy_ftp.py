"""`deploy` to ftp:// and ftps:// targets, against real pyftpdlib servers on 127.0.0.1.

Each server runs on a thread with its own handler class, which records what it was sent and
can misbehave on purpose: cut the connection off in the middle of a file, answer that the disk
is full, or refuse to rename onto an existing file. The FTPS server's certificate is signed by a
certificate authority made here, so certificate checking really happens.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import logging
import re
import socket
import textwrap
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import DTPHandler, FTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

from brandcolumn.cli import main
from brandcolumn.publish.claim import CLAIM_NAME
from brandcolumn.publish.plan import MANIFEST_NAME, decode_manifest, hash_folder, is_page, upload_order
from sitekit import MINIMAL, files_of, public_files, run_command

pytestmark = pytest.mark.slow  # each test starts an FTP server: not in the fast subset (README)

PASSWORD = "Xq7-secret-pw"
FOLDER = "www/pinpai"  # the target's folder under the FTP user's home
FAILED = "发布没有完成：1 个错误\n"
logging.getLogger("pyftpdlib").addHandler(logging.NullHandler())  # else pyftpdlib logs to stderr


class Recording:
    """Notes every command and every file received; cuts an upload off or refuses it when told."""

    commands: list[str]
    stored: list[str]  # files received completely, in order, relative to the home folder
    cut_after: int | None = None  # cut the connection off halfway through the upload after this many files
    full_for: str | None = None  # answer "disk full" to uploads of this file
    rename_over = True  # False: refuse to rename onto an existing file, as IIS does
    cutting = False
    auth_failed_timeout = 0.01  # pyftpdlib waits 3 s after a wrong password

    def pre_process_command(self, line, cmd, arg):
        self.commands.append(cmd)
        super().pre_process_command(line, cmd, arg)

    def ftp_STOR(self, file, mode="w"):
        if self.full_for and file.endswith(self.full_for):
            self.respond("452 Insufficient storage space.")
            return None
        if self.cut_after is not None and len(self.stored) >= self.cut_after:
            type(self).cut_after = None  # once
            self.cutting = True
        return super().ftp_STOR(file, mode)

    def ftp_RNTO(self, path):
        if not self.rename_over and self.fs.lexists(path):
            self._rnfr = None
            self.respond("550 Cannot create a file when that file already exists.")
            return None
        return super().ftp_RNTO(path)

    def on_file_received(self, file):
        if not file.endswith(CLAIM_NAME + ".part"):  # the deploy's claim on the target, not a file of the site
            self.stored.append(Path(file).relative_to(self.authorizer.get_home_dir("pinpai")).as_posix())


class CuttingOff:
    """A data connection (plain FTP) that, when its command connection says so, keeps half of what
    it gets and then drops both connections: a network failure in the middle of a file."""

    def handle_read(self):
        if not self.cmd_channel.cutting:
            return super().handle_read()
        chunk = self.recv(self.ac_in_buffer_size)
        self.file_obj.write(chunk[:max(1, len(chunk) // 2)])
        self.file_obj.flush()  # before the client hears of the cut and looks
        self.cmd_channel.close()

    handle_read_event = handle_read  # pyftpdlib calls this alias


class Server:
    """A pyftpdlib server on a free port of 127.0.0.1, served from a thread until stop()."""

    def __init__(self, home: Path, certfile: Path | None = None, anonymous: str | None = None):
        home.mkdir(parents=True, exist_ok=True)
        authorizer = DummyAuthorizer()
        authorizer.add_user("pinpai", PASSWORD, str(home), perm="elradfmwMT")
        if anonymous:
            authorizer.add_anonymous(str(home), perm=anonymous)
        base = TLS_FTPHandler if certfile else FTPHandler
        tls = {"certfile": str(certfile), "ssl_context": None, "tls_control_required": True,
               "tls_data_required": True} if certfile else {"dtp_handler": type("DTP", (CuttingOff, DTPHandler), {})}
        self.handler = type("Handler", (Recording, base), {"authorizer": authorizer, "commands": [], "stored": [],
                                                            **tls})
        self.home, self.folder = home, home / FOLDER
        self.server = FTPServer(("127.0.0.1", 0), self.handler, ioloop=IOLoop())
        self.port = self.server.address[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            self.server.serve_forever(timeout=0.01, blocking=False, handle_exit=False)
        self.server.close_all()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)

    def stores(self) -> list[str]:
        """The files received so far, without the manifest, by their real names."""
        return [re.sub(r"(^|/)\.([^/]+)\.part$", r"\1\2", path).removeprefix(FOLDER + "/")
                for path in self.handler.stored if not path.endswith(MANIFEST_NAME + ".part")]

    def manifest(self) -> dict[str, str] | None:
        path = self.folder / MANIFEST_NAME
        return decode_manifest(path.read_bytes()) if path.exists() else None


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> dict[str, Path]:
    """A certificate authority and a server certificate it signed for 127.0.0.1, as PEM files."""
    folder = tmp_path_factory.mktemp("tls")
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "brandcolumn test CA")])
    now = datetime.datetime.now(datetime.timezone.utc)

    def certificate(subject, public_key, extensions):
        builder = x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(public_key) \
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1)) \
            .not_valid_after(now + datetime.timedelta(days=1))
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical)
        return builder.sign(ca_key, hashes.SHA256())

    ca = certificate(ca_name, ca_key.public_key(), [(x509.BasicConstraints(ca=True, path_length=None), True),
                                                    (x509.KeyUsage(False, False, False, False, False, True, True,
                                                                   False, False), True),
                                                    (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                                                     False)])
    server = certificate(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]), key.public_key(),
        [(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False),
         (x509.BasicConstraints(ca=False, path_length=None), True),
         (x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False),
         (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False)])
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(
        server.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()))
    return {"ca": folder / "ca.pem", "server": folder / "server.pem"}


@pytest.fixture
def servers(tmp_path):
    """Start servers (plain, or FTPS with a certificate file); all are stopped after the test."""
    started = []

    def start(certfile: Path | None = None, anonymous: str | None = None) -> Server:
        started.append(Server(tmp_path / f"ftp-home-{len(started)}", certfile, anonymous))
        return started[-1]
    yield start
    for server in started:
        server.stop()


@pytest.fixture
def site(make_site, monkeypatch):
    """Write the minimal site with a deploy target `host` for an address; FTP_PASSWORD set."""
    monkeypatch.setenv("FTP_PASSWORD", PASSWORD)

    def make(to: str, extra: str = "", files: dict | None = None) -> Path:
        return make_site({"site.yml": textwrap.dedent(MINIMAL["site.yml"]) + f"deploy:\n  host:\n    to: {to}\n{extra}",
                          **(files or {})})
    return make


def ftp_address(server: Server, scheme: str = "ftp") -> str:
    return f"{scheme}://pinpai@127.0.0.1:{server.port}/{FOLDER}"


def deploy(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    code, out, err = run_command(root, capsys, "deploy", "host", *args)
    assert "Traceback" not in err and PASSWORD not in out + err
    return code, out, err


def assert_published(server: Server, output: Path, kept: dict[str, str] | None = None) -> None:
    """The server's folder holds output/ byte for byte and the files `kept` from before (no --delete),
    plus a manifest of exactly those files."""
    on_server = files_of(server.folder)
    assert on_server.pop(MANIFEST_NAME)
    assert {path: data for path, data in on_server.items() if path not in (kept or {})} == public_files(output.parent)
    assert {path: hashlib.sha256(on_server[path]).hexdigest() for path in kept or {}} == (kept or {})
    assert server.manifest() == {**(kept or {}), **hash_folder(output)}


def edit_case(root: Path, text: str) -> None:
    path = root / "content/cases/hello.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


@pytest.mark.parametrize("scheme", ["ftp", "ftps"])
def test_a_first_deploy_publishes_every_file_and_the_manifest(servers, site, certificates, capsys, scheme):
    server = servers(certificates["server"] if scheme == "ftps" else None)
    extra = f"    ca_file: {certificates['ca']}\n" if scheme == "ftps" else ""
    root = site(ftp_address(server, scheme), extra)
    code, out, err = deploy(root, capsys)
    assert code == 0, err
    count = len(hash_folder(root / "output"))
    assert f"发布到 host（{ftp_address(server, scheme)}）：新增 {count} 个文件，改动 0 个，删除 0 个，没变 0 个" in out
    assert "；目标上还没有发布记录，所以全部上传" in out
    assert re.search(rf"^已发布 {count} 个文件（[\d.]+ [kM]B），用时 [\d.]+ 秒，目标 host$", out, re.M)
    assert_published(server, root / "output")
    assert sorted(server.stores()) == sorted(hash_folder(root / "output"))
    if scheme == "ftps":  # the server refuses a login or a transfer in the clear
        assert {"AUTH", "PBSZ", "PROT"} <= set(server.handler.commands)


def test_a_second_deploy_of_an_unchanged_site_uploads_nothing(servers, site, capsys):
    server = servers()
    root = site(ftp_address(server))
    assert deploy(root, capsys)[0] == 0
    manifest = (server.folder / MANIFEST_NAME).stat()
    server.handler.commands.clear()
    code, out, err = deploy(root, capsys)
    assert code == 0, err
    assert f"）：新增 0 个文件，改动 0 个，删除 0 个，没变 {len(hash_folder(root / 'output'))} 个；要上传 0 kB\n" in out
    assert "已发布" not in out
    assert "STOR" not in server.handler.commands and "RETR" in server.handler.commands
    assert (server.folder / MANIFEST_NAME).stat().st_mtime_ns == manifest.st_mtime_ns


def test_an_edit_uploads_only_the_changed_files_assets_before_pages(servers, site, capsys):
    server = servers()
    root = site(ftp_address(server))
    assert deploy(root, capsys)[0] == 0
    before = hash_folder(root / "output")
    server.handler.stored.clear()
    server.handler.rename_over = False  # the old file is deleted first then
    edit_case(root, "新加的一段话，只改这一篇。")
    code, out, err = deploy(root, capsys)
    assert code == 0, err
    after = hash_folder(root / "output")
    changed = [path for path in after if before.get(path) != after[path]]
    assert "cases/hello/index.html" in changed and len(changed) < len(after) / 2
    assert server.stores() == upload_order(changed)  # each changed file once, in the plan's order
    pages = [is_page(path) for path in server.stores()]
    assert any(pages) and False not in pages[pages.index(True):]  # no asset after the first page
    assert sum(map(int, re.search(r"：新增 (\d+) 个文件，改动 (\d+) 个", out).groups())) == len(changed) and f"没变 {len(after) - len(changed)} 个" in out
    assert not [path for path in files_of(server.home) if path.endswith(".part")]
    stale = {path: digest for path, digest in before.items() if path not in after}
    assert stale and all(path.startswith("pagefind/") for path in stale)  # old search index parts stay
    assert_published(server, root / "output", kept=stale)


def test_dry_run_changes_nothing_and_only_delete_removes_a_deleted_case(servers, site, capsys):
    server = servers()
    second = "---\ntitle: 第二篇经验\ndate: 2008-06-01\nunit: 昆山市地方税务局\nbrands: [xin-qiao]\n---\n正文。\n"
    root = site(ftp_address(server), files={"content/cases/second.md": second})
    assert deploy(root, capsys)[0] == 0
    assert (server.folder / "cases/second/index.html").is_file()
    (root / "content/cases/second.md").unlink()
    edit_case(root, "又改了一句。")
    published = files_of(server.home)
    server.handler.commands.clear()

    code, out, err = deploy(root, capsys, "--dry-run", "--delete", "--verbose")
    assert code == 0, err
    assert "试运行，不会改动目标 host（" in out and "）：将新增 " in out
    assert "  删除  cases/second/index.html" in out and out.rstrip().endswith("试运行：什么都没有改动")
    assert files_of(server.home) == published
    assert not {"STOR", "DELE", "RNFR", "MKD", "RMD"} & set(server.handler.commands)

    code, out, err = deploy(root, capsys)
    assert code == 0, err
    assert re.search(r"；另有 \d+ 个已不在网站里的文件留在目标上（deploy --delete 会删除它们）", out)
    assert (server.folder / "cases/second/index.html").read_bytes() == published[f"{FOLDER}/cases/second/index.html"]
    assert "cases/second/index.html" in server.manifest()

    code, out, err = deploy(root, capsys, "--delete")
    assert code == 0, err
    assert re.search(r"：新增 0 个文件，改动 0 个，删除 \d+ 个，没变 \d+ 个；要上传 0 kB$", out, re.M)
    assert not (server.folder / "cases/second").exists()  # the emptied folder too: the address answers 404
    assert_published(server, root / "output")


def test_an_upload_cut_off_halfway_resumes_where_it_stopped(servers, site, capsys):
    server = servers()
    root = site(ftp_address(server))
    assert main(["--site", str(root), "build"]) == 0
    local = hash_folder(root / "output")
    assets = [path for path in local if not is_page(path)]
    server.handler.cut_after = len(assets) + 2 + 3  # assets, a manifest after each of their 2 batches, 3 pages

    code, _, err = deploy(root, capsys)
    assert code == 1
    assert len(re.findall(r"）：和服务器的连接断了（[^）]*），没能上传 ", err)) == 1
    assert (f"中断前已发布 {len(local)} 个文件里的 {len(assets)} 个；目标上的网站仍然可用") in err \
        and "再运行一次 deploy 即可完成" in err
    assert err.endswith(FAILED)
    manifest = server.manifest()
    assert sorted(manifest) == sorted(assets)  # every batch stored completely, and nothing else
    on_server = files_of(server.folder)
    assert all(on_server[path] == (root / "output" / path).read_bytes() for path in manifest)
    assert len(server.stores()) == len(assets) + 3  # 3 pages stored and renamed, not in the manifest yet
    cut_off = upload_order(local)[len(assets) + 3]
    assert cut_off not in on_server  # the half file has only its temporary name
    folder, name = cut_off.rpartition("/")[::2]
    half = on_server.pop(f"{folder}/.{name}.part".lstrip("/"))
    assert 0 < len(half) < len((root / "output" / cut_off).read_bytes())

    server.handler.stored.clear()
    code, out, err = deploy(root, capsys)
    assert code == 0, err
    rest = len(local) - len(assets)
    assert sum(map(int, re.search(r"：新增 (\d+) 个文件，改动 (\d+) 个", out).groups())) == rest and f"没变 {len(assets)} 个" in out
    assert server.stores() == upload_order(path for path in local if path not in assets)
    assert_published(server, root / "output")


def test_a_full_disk_stops_the_deploy_and_the_manifest_claims_only_what_is_there(servers, site, capsys):
    server = servers()
    root = site(ftp_address(server))
    server.handler.full_for = "cases/hello/.index.html.part"
    code, _, err = deploy(root, capsys)
    assert code == 1
    assert (f"发布到 host（{ftp_address(server)}）：服务器没有空间了（452 Insufficient storage space.），"
            "没能上传 cases/hello/index.html") in err
    assert "提示：在服务器上腾出空间，或请托管商增加空间" in err
    manifest = server.manifest()
    assert "cases/hello/index.html" not in manifest and manifest
    on_server = files_of(server.folder)
    assert all(on_server[path] == (root / "output" / path).read_bytes() for path in manifest)
    assert "cases/hello/index.html" not in on_server
    assert not [path for path in on_server if path.endswith(".part")]

    server.handler.full_for = None  # room was made
    assert deploy(root, capsys)[0] == 0
    assert_published(server, root / "output")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("case", ["wrong password", "unreachable", "no password", "untrusted certificate"])
def test_a_failed_connection_is_one_clear_message(servers, site, certificates, capsys, monkeypatch, case):
    server = servers(certificates["server"] if case == "untrusted certificate" else None)
    port = closed_port() if case == "unreachable" else server.port
    to = f"{'ftps' if case == 'untrusted certificate' else 'ftp'}://pinpai@127.0.0.1:{port}/{FOLDER}"
    root = site(to)
    if case == "wrong password":
        monkeypatch.setenv("FTP_PASSWORD", "not-" + PASSWORD)
    if case == "no password":
        monkeypatch.delenv("FTP_PASSWORD")
    expected = {
        "wrong password": ("服务器拒绝登录（530 Authentication failed.）",
                           "核对 site.yml 里的用户名（“pinpai”）和环境变量 FTP_PASSWORD 里的密码"),
        "unreachable": (f"连不上 FTP 服务器 127.0.0.1:{port}（Connection refused）",
                        "核对 site.yml 里的服务器名和端口，并确认这台电脑能连到它（网络、VPN、防火墙）"),
        "no password": ("用户“pinpai”没有密码：环境变量 FTP_PASSWORD 没有设置",
                        "运行 deploy 之前设置它，如 export FTP_PASSWORD='...'（密码一律不写在 site.yml 里）"),
        "untrusted certificate": ("服务器的证书不可信（unable to get local issuer certificate）",
                                  "如果服务器用的是自己做的证书，请在 site.yml 的这个目标下写上给它签名的机构证书文件："
                                  "ca_file: /path/to/ca.pem"),
    }[case]
    code, out, err = deploy(root, capsys)
    assert code == 1
    assert f"site.yml:4: 第 4 行：发布到 host（{to}）：{expected[0]}\n  提示：{expected[1]}" in err
    assert err.endswith(FAILED) and "not-" + PASSWORD not in out + err
    assert "PASS" not in server.handler.commands or case == "wrong password"
    assert not server.home.joinpath(FOLDER).exists()


def test_a_user_without_write_permission_is_told_so(servers, site, capsys, monkeypatch, english):
    """This file's sample in English (--lang en); the rest is checked in Chinese."""
    server = servers(anonymous="elr")  # may list and read only
    monkeypatch.delenv("FTP_PASSWORD")  # anonymous needs none
    root = site(f"ftp://127.0.0.1:{server.port}/{FOLDER}")
    code, _, err = deploy(root, capsys)
    assert code == 1
    assert (f"site.yml:4: deploy to host (ftp://127.0.0.1:{server.port}/{FOLDER}): the server refused to create "
            "the folder /www (550 Not enough privileges.)\n  hint: check that the user 'anonymous' may write to "
            "/www/pinpai on the server\n") in err
    assert "USER" in server.handler.commands and not server.home.joinpath("www").exists()
