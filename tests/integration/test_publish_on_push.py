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

from brandcolumn.publish.onpush import pre_commit
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


def test_ci_for_an_ssh_target_gives_the_runner_its_key_and_known_hosts(make_site, capsys):
    root = make_site({"site.yml": "title: 测试专栏\nbase_url: https://example.gov.cn/\n"
                                  "deploy:\n  web:\n    to: ssh://deploy@web.example.gov.cn/srv/www/pinpai\n"})
    code, _, err = run_command(root, capsys, "init-publish", "web")
    assert (code, err) == (0, "")
    gitlab_text = (root / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert "SSH_KNOWN_HOSTS 是 ssh-keyscan web.example.gov.cn 输出的那一行" in gitlab_text
    script = yaml.safe_load(gitlab_text)["publish"]["script"]
    assert script[-5:] == ["apt-get update -qq && apt-get install -y -qq rsync openssh-client",
                           "mkdir -p ~/.ssh && chmod 700 ~/.ssh",
                           """printf '%s\\n' "$SSH_PRIVATE_KEY" > ~/.ssh/id_ed25519 && chmod 600 ~/.ssh/id_ed25519""",
                           """printf '%s\\n' "$SSH_KNOWN_HOSTS" > ~/.ssh/known_hosts""",
                           ".venv/bin/python build.py deploy web --delete"]
    workflow = yaml.safe_load((root / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    publish = workflow["jobs"]["publish"]["steps"][-1]
    assert publish["env"] == {"SSH_PRIVATE_KEY": "${{ secrets.SSH_PRIVATE_KEY }}",
                              "SSH_KNOWN_HOSTS": "${{ secrets.SSH_KNOWN_HOSTS }}"}
    assert publish["run"].startswith("mkdir -p ~/.ssh && chmod 700 ~/.ssh && printf")
    assert publish["run"].endswith("&& .venv/bin/python build.py deploy web --delete")
    assert subprocess.run(["bash", "-n", "-c", publish["run"]]).returncode == 0


def test_the_setup_lines_write_the_key_and_known_hosts_the_secrets_hold(make_site, capsys, tmp_path):
    root = make_site({"site.yml": "title: 测试专栏\nbase_url: https://example.gov.cn/\ndeploy:\n  web:\n    to: ssh://deploy@web.example.gov.cn/srv/www\n"})
    assert run_command(root, capsys, "init-publish", "web")[0] == 0
    script = yaml.safe_load((root / ".gitlab-ci.yml").read_text(encoding="utf-8"))["publish"]["script"]
    setup = [line for line in script if "ssh" in line and "apt-get" not in line]
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----"
    environment = {**os.environ, "HOME": str(tmp_path), "SSH_PRIVATE_KEY": key,
                   "SSH_KNOWN_HOSTS": "web.example.gov.cn ssh-ed25519 AAAAC3Nz"}
    for line in setup:
        subprocess.run(["sh", "-e", "-c", line], env=environment, check=True)
    assert (tmp_path / ".ssh/id_ed25519").read_text() == key + "\n"
    assert (tmp_path / ".ssh/id_ed25519").stat().st_mode & 0o777 == 0o600  # ssh refuses a key others can read
    assert (tmp_path / ".ssh/known_hosts").read_text() == "web.example.gov.cn ssh-ed25519 AAAAC3Nz\n"


def test_the_key_goes_where_the_targets_ssh_command_looks_for_it(make_site, capsys):
    root = make_site({"site.yml": "title: 测试专栏\nbase_url: https://example.gov.cn/\ndeploy:\n  web:\n"
                                  "    to: ssh://deploy@web.example.gov.cn:2222/srv/www\n    ssh: ssh -i ~/.ssh/pinpai -p 2222\n"})
    assert run_command(root, capsys, "init-publish", "web")[0] == 0
    text = (root / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert "ssh-keyscan -p 2222 web.example.gov.cn 输出的那一行" in text
    assert """printf '%s\\n' "$SSH_PRIVATE_KEY" > ~/.ssh/pinpai && chmod 600 ~/.ssh/pinpai""" in yaml.safe_load(text)[
        "publish"]["script"]


def test_a_folder_target_is_warned_that_ci_would_publish_onto_its_own_disk(column, capsys):
    code, _, err = run_command(column, capsys, "init-publish", "live")
    assert code == 0
    assert err == (f"【警告】目标 live 是文件夹（{column.parent / 'www'}/pinpai）：GitLab 和 GitHub/Gitea 的 CI 在它们"
                   "自己的机器上运行，会发布到那台机器的这个文件夹，而不是网站服务器。网站服务器上请用 hooks/post-receive；"
                   "要用 CI，请把目标改成 rsync（ssh://）或 FTP\n")
    assert "# 注意：目标 live 是文件夹" in (column / ".gitlab-ci.yml").read_text(encoding="utf-8")


def test_pre_commit_names_the_venv_as_windows_spells_it_there():
    text = pre_commit(windows=True)  # what init-publish writes when it runs on Windows (os.name == "nt")
    assert yaml.safe_load(text)["repos"][0]["hooks"][0]["entry"] == ".venv/Scripts/python.exe build.py check --strict"
    assert "# 一次性安装：.venv/Scripts/pip install pre-commit==4.7.0 && .venv/Scripts/pre-commit install" in text
    assert "改成 .venv/bin/python（Linux、麒麟、macOS）" in text


def test_a_branch_name_that_yaml_or_the_shell_would_misread_is_refused(make_site, capsys):
    root = make_site({"site.yml": "title: 测试专栏\nbase_url: https://example.gov.cn/\ndeploy:\n  production:\n    to: ftp://ftp.example.gov.cn/pinpai\n"})
    code, _, err = run_command(root, capsys, "init-publish", "production", "--branch", "main; rm -rf ~")
    assert code == 1 and "分支名称只能用字母、数字和 . _ / -，实际写的是 'main; rm -rf ~'" in err
    assert not (root / ".gitlab-ci.yml").exists()
