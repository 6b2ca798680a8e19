"""`build.py init-publish`: an editor's commit is what goes live (issue 18). The generated CI files parse and
their steps run; a local bare repository with the generated post-receive hook publishes a push to a folder
target and refuses nothing it should not; pre-commit stops a commit with an error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitekit import PROJECT, run_command, tree_digest

pytestmark = pytest.mark.slow  # git repositories and whole builds: not in the fast subset (README)

GIT = {"GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.gov.cn", "GIT_COMMITTER_NAME": "编辑",
       "GIT_COMMITTER_EMAIL": "editor@example.gov.cn", "GIT_CONFIG_NOSYSTEM": "1"}
GOOD_CASE = "---\ntitle: 推送后上线的一篇\ndate: 2009-06-01\nunit: 昆山市地方税务局\nbrands: [xin-qiao]\n---\n正文。\n"
BAD_CASE = "---\ntitle: 日期写错的一篇\ndate: 2009-02-30\nunit: 昆山市地方税务局\nbrands: [xin-qiao]\n---\n正文。\n"


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    environment = {**os.environ, **GIT, "HOME": str(folder.parent)}
    return subprocess.run(["git", *args], cwd=folder, env=environment, capture_output=True, text=True, check=check)


@pytest.fixture
def column(tmp_path) -> Path:
    """The column as editors have it: the whole project (tool, theme, content) in a git repository on main,
    publishing to a folder target, with this test run's Python in .venv."""
    project = tmp_path / "column"
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=PROJECT,
                            capture_output=True, text=True, check=True).stdout.split("\n")
    for name in filter(None, listed):
        source = PROJECT / name
        if source.is_file() and not name.startswith(("tests/", "benchmarks/")):
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name)
    (tmp_path / "www").mkdir()  # the web server's folder
    site = project / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + f"deploy:\n  live:\n    to: {tmp_path / 'www'}/pinpai\n",
                    encoding="utf-8")
    (project / ".venv").symlink_to(Path(sys.executable).parent.parent)  # git ignores it, as an editor's
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "专栏")
    return project


def test_init_publish_writes_ci_files_that_parse_and_never_overwrites(make_site, capsys):
    root = make_site({"site.yml": "title: 测试专栏\nbase_url: https://example.gov.cn/\n"
                                  "deploy:\n  production:\n    to: ftp://ftp.example.gov.cn/pinpai\n"})
    code, out, _ = run_command(root, capsys, "init-publish", "production")
    assert code == 0
    assert out.splitlines()[:4] == ["已写好 .gitlab-ci.yml", "已写好 .github/workflows/publish.yml",
                                    "已写好 hooks/post-receive", "已写好 .pre-commit-config.yaml"]
    gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["publish"]["script"][-2:] == [".venv/bin/python build.py check",
                                                ".venv/bin/python build.py deploy production --delete"]
    assert gitlab["publish"]["rules"] == [{"if": '$CI_COMMIT_BRANCH == "main"'}]
    assert ".cache/" in gitlab["publish"]["cache"]["paths"]
    workflow = yaml.safe_load((root / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    steps = workflow["jobs"]["publish"]["steps"]
    assert steps[1]["with"]["path"].split() == [".cache", ".venv"]
    assert steps[-1] == {"name": "发布", "run": ".venv/bin/python build.py deploy production --delete",
                         "env": {"FTP_PASSWORD": "${{ secrets.FTP_PASSWORD }}"}}  # the password: the host's secret
    hook = root / "hooks/post-receive"
    assert os.access(hook, os.X_OK) and subprocess.run(["sh", "-n", str(hook)]).returncode == 0
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["hooks"][0]["entry"] == ".venv/bin/python build.py check --strict"
    (root / ".gitlab-ci.yml").write_text("# 自己改过的\n", encoding="utf-8")
    code, out, _ = run_command(root, capsys, "init-publish", "production")
    assert out.splitlines()[0] == ".gitlab-ci.yml 已经有了，没有改动"
    assert (root / ".gitlab-ci.yml").read_text(encoding="utf-8") == "# 自己改过的\n"
    code, _, err = run_command(root, capsys, "init-publish", "prodution")
    assert code == 1 and "是不是想写“production”？" in err


def test_the_workflow_steps_run_as_a_script_publish_the_column(column, capsys, tmp_path):
    assert run_command(column, capsys, "init-publish", "live")[0] == 0
    workflow = yaml.safe_load((column / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = [step for step in workflow["jobs"]["publish"]["steps"] if "run" in step]
    assert [step["name"] for step in steps] == ["安装", "检查", "发布"]
    for step in steps[1:]:  # the install step makes .venv, which this test has already
        run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=column, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    assert (tmp_path / "www/pinpai/index.html").is_file()


def test_a_push_publishes_and_a_push_with_an_error_leaves_the_live_column_as_it_was(column, capsys, tmp_path,
                                                                                     monkeypatch):
    assert run_command(column, capsys, "init-publish", "live")[0] == 0
    central = tmp_path / "central.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(central)], check=True)
    shutil.copy2(column / "hooks/post-receive", central / "hooks/post-receive")
    monkeypatch.setenv("PINPAI_PYTHON", sys.executable)  # rather than a .venv made by the hook (README says how)
    git(column, "add", "-A")
    git(column, "commit", "-q", "-m", "自动发布")
    first = git(column, "push", "-q", str(central), "main")
    assert "专栏：已发布。" in first.stderr, first.stderr  # the hook speaks to the pusher, through git
    www = tmp_path / "www/pinpai"
    assert (www / "cases/yi-zhan-tong-xiao-neng/index.html").is_file()

    editor = tmp_path / "editor"
    git(tmp_path, "clone", "-q", str(central), str(editor))
    (editor / "content/cases/tui-song.md").write_text(GOOD_CASE, encoding="utf-8")
    git(editor, "add", "-A")
    git(editor, "commit", "-q", "-m", "新文章")
    pushed = git(editor, "push", "-q")
    assert "专栏：已发布。" in pushed.stderr
    assert "推送后上线的一篇" in (www / "cases/tui-song/index.html").read_text(encoding="utf-8")
    (editor / "content/cases/tui-song.md").unlink()  # taken down again
    git(editor, "commit", "-q", "-a", "-m", "撤下一篇")
    assert "专栏：已发布。" in git(editor, "push", "-q").stderr
    assert not (www / "cases/tui-song").exists()
    (editor / "content/cases/tui-song.md").write_text(GOOD_CASE, encoding="utf-8")
    git(editor, "add", "-A")
    git(editor, "commit", "-q", "-m", "再发一次")
    assert "专栏：已发布。" in git(editor, "push", "-q").stderr
    live = tree_digest(www)

    (editor / "content/cases/cuo-wu.md").write_text(BAD_CASE, encoding="utf-8")
    git(editor, "add", "-A")
    git(editor, "commit", "-q", "--no-verify", "-m", "有错的文章")
    broken = git(editor, "push", "-q", "--force")
    assert "remote: content/cases/cuo-wu.md:3: 第 3 行：日期（date）写成了 '2009-02-30'" in broken.stderr
    assert "专栏：检查发现问题，没有发布，网站保持原样。改正上面列出的问题后再推送一次。" in broken.stderr
    assert tree_digest(www) == live


def test_pre_commit_refuses_a_commit_with_an_error_and_lets_a_good_one_through(column, capsys):
    assert run_command(column, capsys, "init-publish", "live")[0] == 0
    git(column, "add", "-A")
    git(column, "commit", "-q", "-m", "自动发布")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    environment = {**os.environ, **GIT, "HOME": str(column.parent), "PRE_COMMIT_HOME": str(column.parent / "pc")}
    subprocess.run([str(pre_commit), "install"], cwd=column, env=environment, check=True, capture_output=True)
    (column / "content/cases/cuo-wu.md").write_text(BAD_CASE, encoding="utf-8")
    git(column, "add", "-A")
    refused = subprocess.run(["git", "commit", "-m", "有错的文章"], cwd=column, env=environment, capture_output=True,
                             text=True)
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert "检查专栏内容（build.py check --strict）" in said and "Failed" in said
    assert "content/cases/cuo-wu.md:3: 第 3 行：日期（date）写成了 '2009-02-30'" in said
    assert git(column, "log", "--oneline").stdout.count("\n") == 2  # nothing committed
    (column / "content/cases/cuo-wu.md").write_text(GOOD_CASE, encoding="utf-8")
    git(column, "add", "-A")
    accepted = subprocess.run(["git", "commit", "-m", "改好的文章"], cwd=column, env=environment, capture_output=True,
                              text=True)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
