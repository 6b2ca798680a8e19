"""`deploy` to a folder on this computer: releases switched by a link, rollback, and every refusal."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import textwrap

import pytest

from brandcolumn.publish import folder
from brandcolumn.publish.plan import MANIFEST_NAME
from sitekit import MINIMAL, files_of, public_files, run_command, write_files

pytestmark = pytest.mark.slow  # each test builds and deploys the sample: not in the fast subset (README)
FAILED = "发布没有完成：{n} 个错误\n"

SITE = textwrap.dedent(MINIMAL["site.yml"])
CASE = "content/cases/hello.md"


@pytest.fixture
def www(tmp_path):
    """The web server's folder; the column is published as www/pinpai."""
    (tmp_path / "www").mkdir()
    return tmp_path / "www"


@pytest.fixture
def site(make_site, www):
    return make_site({"site.yml": SITE + f"deploy:\n  web:\n    to: {www}/pinpai\n"})


def deploy(root, capsys, *args):
    return run_command(root, capsys, "deploy", *args)


def releases(www):
    return sorted(path.name for path in (www / ".pinpai-releases").iterdir())


def edit_case(root, text="新加的一段。"):
    path = root / CASE
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def published(www) -> dict[str, bytes]:
    files = files_of(www / "pinpai")
    files.pop(MANIFEST_NAME)
    return files


def test_the_first_deploy_publishes_the_built_site_as_a_release(site, www, capsys):
    code, out, err = deploy(site, capsys)
    assert (code, err) == (0, "")
    built = public_files(site)
    assert published(www) == built
    assert (www / "pinpai").is_symlink() and os.readlink(www / "pinpai") == f".pinpai-releases/{releases(www)[0]}"
    manifest = json.loads((www / "pinpai" / MANIFEST_NAME).read_bytes())["files"]
    assert manifest == {path: hashlib.sha256(data).hexdigest() for path, data in built.items()}
    assert out.startswith(f"发布到 web（{www}/pinpai）：新增 {len(built)} 个文件，改动 0 个，删除 0 个，没变 0 个；要上传 ")
    assert "；目标上还没有发布记录，所以全部上传\n已发布 " in out


def test_an_unchanged_site_is_deployed_without_uploading_anything(site, www, capsys):
    deploy(site, capsys)
    before = releases(www)
    code, out, err = deploy(site, capsys)
    assert (code, err) == (0, "")
    assert out == (f"发布到 web（{www}/pinpai）：新增 0 个文件，改动 0 个，删除 0 个，没变 {len(published(www))} 个；"
                   "要上传 0 kB\n")
    assert releases(www) == before


def test_an_edit_copies_only_changed_files_and_links_the_rest(site, www, capsys):
    deploy(site, capsys)
    old = www / ".pinpai-releases" / releases(www)[0]
    old_page = (old / "cases/hello/index.html").read_bytes()
    edit_case(site)
    code, out, err = deploy(site, capsys)
    assert code == 0, err
    new = www / ".pinpai-releases" / releases(www)[1]
    assert os.path.realpath(www / "pinpai") == str(new)
    assert "新加的一段" in (new / "cases/hello/index.html").read_text(encoding="utf-8")
    assert (old / "cases/hello/index.html").read_bytes() == old_page  # the old release is untouched
    changed = {path for path in published(www)
               if not (old / path).exists() or (new / path).stat().st_ino != (old / path).stat().st_ino}
    assert "cases/hello/index.html" in changed and "static/style.css" not in changed
    new_files = sum(1 for path in changed if not (old / path).exists())
    assert f"：新增 {new_files} 个文件，改动 {len(changed) - new_files} 个，" in out
    assert public_files(site).items() <= published(www).items()


def test_dry_run_lists_the_changes_and_publishes_nothing(site, www, capsys):
    deploy(site, capsys)
    before = releases(www)
    edit_case(site)
    code, out, err = deploy(site, capsys, "--dry-run")
    assert code == 0, err
    summary, last = out.splitlines()
    assert summary.startswith(f"试运行，不会改动目标 web（{www}/pinpai）：将新增 ")
    assert last == "试运行：什么都没有改动；加 --verbose 逐个列出文件"
    code, out, err = deploy(site, capsys, "--dry-run", "--verbose")
    assert "\n  改动  cases/hello/index.html\n" in out and out.endswith("\n试运行：什么都没有改动\n")
    assert releases(www) == before
    code, out, err = deploy(site, capsys, "--verbose")  # a deploy lists what it publishes too
    assert code == 0 and "\n  改动  cases/hello/index.html\n" in out and "\n已发布 " in out


def test_files_gone_from_the_site_stay_until_deploy_delete(site, www, capsys):
    write_files(site, {"content/cases/bye.md": "---\ntitle: 再会\ndate: 2008-06-01\n---\n正文。\n"})
    deploy(site, capsys)
    write_files(site, {"content/cases/bye.md": None})
    code, out, _ = deploy(site, capsys)
    assert code == 0 and (www / "pinpai/cases/bye/index.html").is_file()
    stale = int(out.split("；另有 ")[1].split(" 个已不在网站里的文件留在目标上（deploy --delete 会删除它们）\n")[0])
    code, out, _ = deploy(site, capsys, "--delete")
    assert code == 0 and f"，删除 {stale} 个，没变 " in out and f"，删除 {stale} 个，用时 " in out
    assert not (www / "pinpai/cases/bye").exists()
    assert published(www) == public_files(site)


def test_rollback_goes_back_one_release_at_a_time(site, www, capsys):
    deploy(site, capsys)
    first = published(www)
    edit_case(site)
    deploy(site, capsys)
    old, new = releases(www)
    code, out, err = deploy(site, capsys, "--rollback")
    assert (code, err) == (0, "")
    assert out == f"已退回 web：{www}/pinpai 现在显示版本 {old}（原来是 {new}）\n"
    assert published(www) == first
    code, out, err = deploy(site, capsys, "--rollback")
    assert code == 1
    assert err == (f"site.yml:4: 第 4 行：发布到 web（{www}/pinpai）：{old} 已经是保存的最早版本，没有更早的了\n"
                   "  提示：site.yml 设置了保存 5 个版本（keep:）\n" + FAILED.format(n=1))


def test_only_the_last_releases_are_kept(make_site, www, capsys):
    root = make_site({"site.yml": SITE + f"deploy:\n  web:\n    to: {www}/pinpai\n    keep: 2\n"})
    for number in range(3):
        edit_case(root, f"第{number}次。")
        assert deploy(root, capsys)[0] == 0
    assert len(releases(www)) == 2
    assert os.path.realpath(www / "pinpai") == str(www / ".pinpai-releases" / releases(www)[-1])


def test_an_interrupted_deploy_leaves_the_public_site_as_it_was(site, www, capsys, monkeypatch):
    deploy(site, capsys)
    before, served = published(www), releases(www)
    edit_case(site)
    copies = []

    def copy_then_stop(source, destination):
        copies.append(destination)
        if len(copies) == 2:
            raise KeyboardInterrupt
        return shutil.copyfile(source, destination)

    copy_file = folder.copy_file
    monkeypatch.setattr(folder, "copy_file", copy_then_stop)
    code, out, err = deploy(site, capsys)
    assert code == 1
    assert err.startswith("发布中断了：")
    assert "\n  提示：公开的网站保持原样（没完成的版本已删除）；再运行一次 deploy\n" in err
    assert published(www) == before and releases(www) == served
    monkeypatch.setattr(folder, "copy_file", copy_file)
    assert deploy(site, capsys)[0] == 0
    assert public_files(site).items() <= published(www).items()


def test_a_release_left_by_a_killed_deploy_is_removed_by_the_next(site, www, capsys):
    deploy(site, capsys)
    leftover = www / ".pinpai-releases/20990101T000000Z.partial"
    (leftover / "cases").mkdir(parents=True)  # what a power cut in the middle of a deploy leaves
    edit_case(site)
    code, _, err = deploy(site, capsys)
    assert code == 0
    assert err == "删除 20990101T000000Z.partial：这是一次被中断的发布留下的半成品\n"
    assert not leftover.exists() and len(releases(www)) == 2


def test_a_full_disk_stops_the_deploy_and_keeps_the_site(site, www, capsys, monkeypatch):
    deploy(site, capsys)
    before, served = published(www), releases(www)
    edit_case(site)

    def disk_full(source, destination):
        raise OSError(errno.ENOSPC, "No space left on device", str(destination))

    monkeypatch.setattr(folder, "copy_file", disk_full)
    code, out, err = deploy(site, capsys)
    assert code == 1
    assert err == (f"site.yml:4: 第 4 行：发布到 web（{www}/pinpai）：{www}/.pinpai-releases：磁盘已满\n"
                   "  提示：腾出一些空间（旧版本可以少留几个：改小 site.yml 里的 keep:），再发布；网站保持原样\n"
                   "  公开的网站保持原样（没完成的版本已删除）；再运行一次 deploy\n" + FAILED.format(n=1))
    assert published(www) == before and releases(www) == served


def test_check_errors_refuse_the_deploy_unless_forced(site, www, capsys):
    write_files(site, {CASE: textwrap.dedent(MINIMAL[CASE]) + "\n[坏链接](/cases/nope/)\n"})
    code, out, err = deploy(site, capsys)
    assert (code, out) == (1, "")
    assert err == ("content/cases/hello.md:11: 第 11 行：网页 /cases/hello/ 上指向 /cases/nope/ 的链接打不开（没有这个网页）\n"
                   "  提示：是不是想写“/cases/”？\n"
                   "没有发布：检查发现生成的网站有 1 个错误\n"
                   "  提示：改正这些错误（python build.py check 会再列出它们），或用 deploy --force 坚持发布\n"
                   + FAILED.format(n=2))
    assert not (www / "pinpai").exists()
    code, out, err = deploy(site, capsys, "--force")
    assert code == 0 and err.endswith("deploy --force：尽管有 1 个错误，仍然发布\n")
    assert public_files(site).items() <= published(www).items()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_failed_build_publishes_nothing_even_forced(site, www, capsys, force):
    deploy(site, capsys)
    before = published(www)
    write_files(site, {"content/brands/xin-qiao.yml": "name: [心桥\n"})
    code, out, err = deploy(site, capsys, *force)
    assert code == 1 and "content/brands/xin-qiao.yml:2:1: 第 2 行：" in err and err.endswith(FAILED.format(n=1))
    assert published(www) == before


def test_a_web_root_full_of_files_is_not_replaced(site, www, capsys):
    write_files(www, {"pinpai/index.html": "old site"})
    code, out, err = deploy(site, capsys)
    assert code == 1
    assert err == (f"site.yml:4: 第 4 行：发布到 web（{www}/pinpai）：{www}/pinpai 是一个放着文件的文件夹，不是指向某个发布版本的链接\n"
                   "  提示：把里面的文件移走（或另选一个 to:）；deploy 会把 pinpai 做成指向最新版本的链接\n" + FAILED.format(n=1))
    assert (www / "pinpai/index.html").read_text() == "old site"
    assert not (site / "output").exists()  # told before building


@pytest.mark.parametrize("to, message", [
    ("{root}/public", "{root}/public 在项目里面（或者包含项目）"),
    ("{www}/missing/pinpai", "文件夹 {www}/missing 不存在"),
])
def test_a_folder_that_cannot_be_a_web_root_is_refused(make_site, www, capsys, to, message):
    root = make_site()
    to = to.format(root=root, www=www)
    write_files(root, {"site.yml": SITE + f"deploy:\n  web:\n    to: {to}\n"})
    code, _, err = deploy(root, capsys)
    assert code == 1
    assert err.startswith(f"site.yml:4: 第 4 行：发布到 web（{to}）：{message.format(root=root, www=www)}\n")


def test_two_deploys_at_once_leave_the_whole_site_published(site, www, capsys):
    """Issue 13: two deploys at once both said 0, and the live site ended with 204 of 228 files."""
    import subprocess
    import sys

    from sitekit import PROJECT
    assert deploy(site, capsys)[0] == 0
    edit_case(site, "两次同时发布。")
    runs = [subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "--site", str(site), "deploy"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(run.wait(120), *run.communicate()) for run in runs]
    assert all("Traceback" not in err for _, _, err in results)
    assert 0 in [code for code, _, _ in results]
    for code, _, err in results:  # the other one, if they met: took turns, or was refused clearly
        assert code == 0 or "另一个发布正在进行：" in err, err
    assert public_files(site).items() <= published(www).items()  # (old search index parts are kept too)


def test_a_deploy_to_a_folder_another_deploy_holds_is_refused_clearly(site, www, capsys):
    import subprocess
    import sys

    from sitekit import PROJECT
    assert deploy(site, capsys)[0] == 0
    edit_case(site)
    holder = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
sys.path.insert(0, {str(PROJECT)!r})
from pathlib import Path
from brandcolumn.core.lock import FileLock

lock = FileLock(Path({str(www / ".pinpai-releases.lock")!r}))
assert lock.acquire("deploy", wait=False)
print("holding", flush=True)
time.sleep(30)
"""], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "holding\n"
    try:
        before = published(www)
        code, out, err = deploy(site, capsys)
        assert code == 1
        assert err == (f"site.yml:4: 第 4 行：发布到 web（{www}/pinpai）：另一个发布正在进行：build.py deploy（进程 {holder.pid}，"
                       + err.split("，")[1].split(" 开始）")[0] + " 开始）\n  提示：等它结束后再发布\n" + FAILED.format(n=1))
        assert published(www) == before
    finally:
        holder.kill()
    assert deploy(site, capsys)[0] == 0  # the holder is gone: its lock with it


def test_an_unfinished_release_is_removed_only_when_its_deploy_is_gone(site, www, capsys):
    import subprocess
    import sys
    assert deploy(site, capsys)[0] == 0
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        mine = www / f".pinpai-releases/20990101T000000Z.{living.pid}.partial"
        gone = www / ".pinpai-releases/20990101T000001Z.999999999.partial"
        for folder_ in (mine, gone):
            folder_.mkdir()
        edit_case(site)
        code, out, err = deploy(site, capsys)
        assert code == 0 and mine.is_dir() and not gone.exists()
        assert err == "删除 20990101T000001Z.999999999.partial：这是一次被中断的发布留下的半成品\n"
    finally:
        living.kill()
