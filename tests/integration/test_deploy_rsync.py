"""`deploy` to ssh:// targets: the real rsync binary, talking its real protocol to a folder here.

`ssh:` in site.yml names the remote shell; the tests give a stand-in for ssh that drops the
host and runs the remote rsync on this computer, as sshd would on the server. It logs each
connection and the files on the "server" after it, so the order of uploads can be seen.
"""

from __future__ import annotations

import json
import os
import re
import stat
import textwrap

import pytest

from brandcolumn.publish.plan import MANIFEST_NAME
from sitekit import MINIMAL, files_of, public_files, run_command

pytestmark = pytest.mark.slow  # each test deploys over rsync and ssh: not in the fast subset (README)

SITE = textwrap.dedent(MINIMAL["site.yml"])
FAILED = "发布没有完成：1 个错误\n"
CASE = "content/cases/hello.md"
FAKE_SSH = """\
#!/bin/sh
# Stands in for ssh: skips its options and the host, then runs the remote command here.
while [ $# -gt 0 ]; do
  case "$1" in -o|-p|-l|-i) shift 2 ;; -*) shift ;; *) break ;; esac
done
shift
count=$(( $(cat "$FAKE_SSH_LOG.count" 2>/dev/null || echo 0) + 1 ))
echo $count > "$FAKE_SSH_LOG.count"
if [ "$count" = "${FAKE_SSH_FAIL_AT:-0}" ]; then
  echo "$FAKE_SSH_SAY" >&2
  exit "${FAKE_SSH_EXIT:-255}"
fi
sh -c "$*"
status=$?
echo "== connection $count" >> "$FAKE_SSH_LOG"
(cd "$FAKE_SSH_ROOT" 2>/dev/null && find . -type f | sort) >> "$FAKE_SSH_LOG"
exit $status
"""


@pytest.fixture
def server(tmp_path, monkeypatch):
    """The folder on the "server" and the stand-in ssh, with its log."""
    script = tmp_path / "fake-ssh"
    script.write_text(FAKE_SSH)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    folder = tmp_path / "server/www/pinpai"
    monkeypatch.setenv("FAKE_SSH_LOG", str(tmp_path / "ssh.log"))
    monkeypatch.setenv("FAKE_SSH_ROOT", str(folder))
    return {"script": script, "folder": folder, "log": tmp_path / "ssh.log"}


@pytest.fixture
def site(make_site, server):
    return make_site({"site.yml": SITE + f"deploy:\n  host:\n    to: ssh://deploy@www.example.gov.cn{server['folder']}"
                                         f"\n    ssh: {server['script']}\n"})


def deploy(root, capsys, *args):
    return run_command(root, capsys, "deploy", *args)


def connections(server) -> list[list[str]]:
    """The files on the server after each connection, in order."""
    if not server["log"].exists():
        return []
    chunks = server["log"].read_text().split("== connection ")[1:]
    return [[line[2:] for line in chunk.splitlines()[1:]] for chunk in chunks]


def reset_log(server) -> None:
    for suffix in ("", ".count"):
        (server["log"].parent / (server["log"].name + suffix)).unlink(missing_ok=True)


def published(server) -> dict[str, bytes]:
    files = files_of(server["folder"])
    files.pop(MANIFEST_NAME)
    return files


def edit_case(root) -> None:
    path = root / CASE
    path.write_text(path.read_text(encoding="utf-8") + "\n新加的一段。\n", encoding="utf-8")


def test_the_first_deploy_sends_every_file_assets_before_pages(site, server, capsys):
    code, out, err = deploy(site, capsys)
    assert (code, err) == (0, "")
    built = public_files(site)
    assert published(server) == built
    assert set(json.loads((server["folder"] / MANIFEST_NAME).read_bytes())["files"]) == set(built)
    assets = {path for path in built if not path.endswith((".html", ".xml"))}
    first_with_pages = next(files for files in connections(server) if any(f.endswith(".html") for f in files))
    assert assets <= set(first_with_pages)
    assert "index.html" not in next(files for files in connections(server) if "cases/hello/index.html" in files)


def test_an_unchanged_site_sends_nothing(site, server, capsys):
    deploy(site, capsys)
    reset_log(server)
    code, out, err = deploy(site, capsys)
    assert (code, err) == (0, "")
    assert "：新增 0 个文件，改动 0 个，删除 0 个，" in out and "；要上传 0 kB" in out
    assert len(connections(server)) == 1  # the manifest was read, nothing else


def test_an_edit_sends_only_the_changed_files(site, server, capsys):
    deploy(site, capsys)
    inodes = {path: (server["folder"] / path).stat().st_ino for path in published(server)}
    edit_case(site)
    code, out, err = deploy(site, capsys)
    assert code == 0, err
    replaced = {path for path in published(server) if inodes.get(path) != (server["folder"] / path).stat().st_ino}
    assert "cases/hello/index.html" in replaced and "static/style.css" not in replaced
    assert sum(map(int, re.search(r"：新增 (\d+) 个文件，改动 (\d+) 个", out).groups())) == len(replaced)
    assert public_files(site).items() <= published(server).items()
    assert not [path for path in files_of(server["folder"]) if "/." in path or path.startswith(".~")]


def test_files_gone_from_the_site_are_removed_only_with_delete(site, server, capsys):
    (site / "content/cases/bye.md").write_text("---\ntitle: 再会\ndate: 2008-06-01\n---\n正文。\n", encoding="utf-8")
    deploy(site, capsys)
    (site / "content/cases/bye.md").unlink()
    assert deploy(site, capsys)[0] == 0
    assert (server["folder"] / "cases/bye/index.html").is_file()
    code, out, err = deploy(site, capsys, "--delete", "--dry-run", "--verbose")
    assert "  删除  cases/bye/index.html\n" in out and (server["folder"] / "cases/bye/index.html").is_file()
    code, out, err = deploy(site, capsys, "--delete")
    assert code == 0, err
    assert not (server["folder"] / "cases/bye/index.html").exists()
    assert published(server) == public_files(site)
    assert set(json.loads((server["folder"] / MANIFEST_NAME).read_bytes())["files"]) == set(public_files(site))


def test_an_interrupted_deploy_is_finished_by_the_next(site, server, capsys, monkeypatch):
    # 1 reads the manifest, 2-4 claim the target (read, write, read again), 5 reads the manifest again,
    # 6 sends a batch, 7 records it, 8-9 renew the claim (read, write), 10 drops
    monkeypatch.setenv("FAKE_SSH_FAIL_AT", "10")
    monkeypatch.setenv("FAKE_SSH_SAY", "Connection closed by 192.0.2.10 port 22")
    code, out, err = deploy(site, capsys)
    assert code == 1
    sent = json.loads((server["folder"] / MANIFEST_NAME).read_bytes())["files"]
    total = len(public_files(site))
    assert err == (f"site.yml:4: 第 4 行：发布到 host（ssh://deploy@www.example.gov.cn{server['folder']}）：连不上服务器"
                   "（Connection closed by 192.0.2.10 port 22）\n"
                   "  提示：核对地址、端口和网络\n"
                   f"  中断前已发布 {total} 个文件里的 {len(sent)} 个；目标上的网站仍然可用（还没替换的保持旧版本）；"
                   "再运行一次 deploy 即可完成\n" + FAILED)
    assert 0 < len(sent) < total and set(sent) <= set(published(server))
    monkeypatch.delenv("FAKE_SSH_FAIL_AT")
    code, out, err = deploy(site, capsys)
    assert code == 0, err
    assert sum(map(int, re.search(r"：新增 (\d+) 个文件，改动 (\d+) 个", out).groups())) == total - len(sent)
    assert published(server) == public_files(site)


@pytest.mark.parametrize("said, code, message, hint", [
    ("deploy@www.example.gov.cn: Permission denied (publickey).", 255,
     "SSH 服务器拒绝登录（deploy@www.example.gov.cn: Permission denied (publickey).）",
     "加载你的密钥（ssh-add），或写进 ~/.ssh/config；发布从不询问密码"),
    ("Host key verification failed.", 255, "这台电脑还不认识服务器的主机密钥（Host key verification failed.）",
     "先手工用 ssh 连接一次，核对并接受它"),
    ('rsync: [receiver] write failed on "/srv/www/pinpai/a.html": No space left on device (28)', 11,
     "服务器的磁盘满了（rsync: [receiver] write failed on \"/srv/www/pinpai/a.html\": No space left on device (28)）",
     "在服务器上腾出一些空间，再发布"),
])
def test_what_the_server_says_becomes_one_clear_message(site, server, capsys, monkeypatch, said, code, message, hint):
    monkeypatch.setenv("FAKE_SSH_FAIL_AT", "1")
    monkeypatch.setenv("FAKE_SSH_SAY", said)
    monkeypatch.setenv("FAKE_SSH_EXIT", str(code))
    exit_code, out, err = deploy(site, capsys)
    assert exit_code == 1
    assert err == (f"site.yml:4: 第 4 行：发布到 host（ssh://deploy@www.example.gov.cn{server['folder']}）：{message}\n"
                   f"  提示：{hint}\n" + FAILED)


def test_an_unreachable_server_is_told_by_the_real_ssh(make_site, capsys, tmp_path):
    root = make_site({"site.yml": SITE + "deploy:\n  host:\n    to: ssh://deploy@127.0.0.1:1/srv/www/pinpai\n"})
    code, out, err = deploy(root, capsys)
    assert code == 1
    assert err.startswith("site.yml:4: 第 4 行：发布到 host（ssh://deploy@127.0.0.1:1/srv/www/pinpai）：连不上服务器"
                          "（ssh: connect to host 127.0.0.1 port 1: Connection refused")
    assert not (root / "output").exists()  # told before building


def test_without_rsync_installed_the_editor_is_told_how_to_get_it(site, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, out, err = deploy(site, capsys)
    assert code == 1
    assert "这台电脑没有安装 rsync\n  提示：请维护人员用这个命令安装：sudo apt-get install rsync\n" in err


def test_without_rsync_a_developer_reads_it_in_english(site, capsys, monkeypatch, tmp_path, english):
    """This file's sample in English (--lang en); the rest is checked in Chinese."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, out, err = deploy(site, capsys)
    assert code == 1
    assert "rsync is not installed on this computer\n  hint: sudo apt-get install rsync\n" in err


def test_the_remote_shell_never_asks_for_a_password(site, server, capsys, monkeypatch, tmp_path):
    arguments = tmp_path / "arguments"
    wrapper = tmp_path / "ssh-wrapper"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {arguments}\nexec {server["script"]} "$@"\n')
    wrapper.chmod(0o755)
    (site / "site.yml").write_text((site / "site.yml").read_text().replace(str(server["script"]), f"{wrapper} -p 2222"))
    assert deploy(site, capsys)[0] == 0
    first = arguments.read_text().splitlines()[0]
    assert first.startswith("-p 2222 -o BatchMode=yes -o ConnectTimeout=15 -l deploy www.example.gov.cn rsync --server")
    assert os.access(wrapper, os.X_OK)
