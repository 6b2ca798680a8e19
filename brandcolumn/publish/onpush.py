"""`build.py init-publish TARGET`: what a git host needs to check, build and publish the column on every push
to the main branch, so that an editor's commit is what goes live (issue 18).

    .gitlab-ci.yml                  GitLab CI
    .github/workflows/publish.yml   GitHub Actions, and Gitea Actions (which reads the same folder)
    hooks/post-receive              for a bare repository on the web server itself, the common case in a
                                    government intranet: copied into that repository's hooks/
    .pre-commit-config.yaml         the pre-commit framework: `check --strict` before each commit

Each keeps .cache/ between runs, so a push rebuilds only what it changed, and runs `check` before `deploy`:
a push with an error publishes nothing, the live column stays as it was, and the log says why; deploy's
summary (new, changed, removed) goes to the log too. No password is written into these files: the target's
variables are set on the host (README, "提交后自动发布").
"""

from __future__ import annotations

import os
import re
import shlex
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import load_config
from ..core.errors import SiteError
from ..core.messages import Text, say
from ..core.targets import DeployTarget
from .deploy import choose_target

BRANCH = "main"
_S3_KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
_SSH_KEYS = ["SSH_PRIVATE_KEY", "SSH_KNOWN_HOSTS"]
_BRANCH_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")  # written unquoted into YAML and shell: kept plain


@dataclass
class Written:
    files: list[Path]  # written now
    kept: list[Path]  # there already: left as they were
    notes: list[Text] = field(default_factory=list)  # what the editor should know before using them


def init_publish(root: Path, target_name: str, branch: str = BRANCH) -> Written:
    """Write the publishing files for the deploy target `target_name` of site.yml, never over one that exists."""
    target = choose_target(load_config(root).deploy, target_name)
    if not _BRANCH_NAME.fullmatch(branch) or ".." in branch:
        raise SiteError(say("init_publish.branch", got=branch))
    secrets = secret_names(target)
    files = {".gitlab-ci.yml": gitlab_ci(target, branch, secrets),
             ".github/workflows/publish.yml": actions_workflow(target, branch, secrets),
             "hooks/post-receive": post_receive(target.name, branch),
             ".pre-commit-config.yaml": pre_commit(windows=os.name == "nt")}
    notes = [say("init_publish.folder", target=target.name, to=target.to)] if target.kind == "folder" else []
    written, kept = [], []
    for name, text in files.items():
        path = root / name
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        if name == "hooks/post-receive":
            path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        written.append(path)
    return Written(written, kept, notes)


def secret_names(target: DeployTarget) -> list[str]:
    """The host's secrets a deploy to `target` needs: FTP's password, S3's keys, or for rsync over ssh a private
    key the server accepts and the server's line of known_hosts (so ssh does not stop to ask)."""
    return {"ftp": [target.password_env], "s3": _S3_KEYS, "rsync": _SSH_KEYS}.get(target.kind, [])


def _named(secrets: list[str]) -> str:
    """The secrets a CI file's header asks the host for."""
    return "、".join(secrets) if secrets else "（这个目标不需要）"


def _ci_warning(target: DeployTarget) -> str:
    """What the header of a CI file says about a target CI cannot reach as it is."""
    if target.kind == "folder":
        return (f"# 注意：目标 {target.name} 是文件夹（{target.to}）。CI 在 GitLab/GitHub 自己的机器上\n"
                "# 运行，会发布到那台机器的这个文件夹，而不是网站服务器。网站服务器上请用 hooks/post-receive，\n"
                "# 或把目标改成 rsync/FTP。\n")
    if target.kind == "rsync":
        return ("# rsync 经 ssh 登录服务器：SSH_PRIVATE_KEY 是服务器 authorized_keys 认可的私钥（整段粘贴），\n"
                f"# SSH_KNOWN_HOSTS 是 ssh-keyscan {'-p ' + str(target.port) + ' ' if target.port else ''}{target.host}"
                " 输出的那一行（核对过指纹再用），\n"
                "# ssh 才不会停下来询问。\n")
    return ""


def _ssh_setup(target: DeployTarget) -> list[str]:
    """Shell lines that give the CI runner the ssh key and known_hosts from the host's secrets."""
    if target.kind != "rsync":
        return []
    key = _key_file(target.ssh)
    return ['mkdir -p ~/.ssh && chmod 700 ~/.ssh',
            f'printf \'%s\\n\' "$SSH_PRIVATE_KEY" > {key} && chmod 600 {key}',
            'printf \'%s\\n\' "$SSH_KNOWN_HOSTS" > ~/.ssh/known_hosts']


def _key_file(ssh: str) -> str:
    """Where the key goes: the file the target's `ssh:` names with -i (ssh then tries no other), else the
    default ~/.ssh/id_ed25519; written for the shell, ~ left to it."""
    words = shlex.split(ssh)
    named = next((words[at + 1] for at, word in enumerate(words[:-1]) if word == "-i"), "~/.ssh/id_ed25519")
    return "~/" + shlex.quote(named[2:]) if named.startswith("~/") else shlex.quote(named)


def gitlab_ci(target: DeployTarget, branch: str, secrets: list[str]) -> str:
    where = _named(secrets)
    tools = ["apt-get update -qq && apt-get install -y -qq rsync openssh-client"] if target.kind == "rsync" else []
    setup = "".join(f"\n    - {line}" for line in tools + _ssh_setup(target))
    return f"""\
# 由 python build.py init-publish {target.name} 生成：每次推送到 {branch} 分支，检查、生成并发布专栏。
# 有错误时不发布，网站保持原样，原因写在这次运行的日志里。
# 发布用的密码或密钥在 GitLab 的“设置 - CI/CD - 变量”里添加：{where}
{_ci_warning(target)}publish:
  image: python:3.11
  rules:
    - if: $CI_COMMIT_BRANCH == "{branch}"
  resource_group: publish  # 一次只发布一个
  cache:
    key: brandcolumn
    paths: [.cache/, .venv/]  # 保留上次的生成结果，只重新生成改动的页面
  script:
    - python3 -m venv .venv
    - .venv/bin/pip install -q -r requirements.txt
    - .venv/bin/python build.py check{setup}
    - .venv/bin/python build.py deploy {target.name} --delete  # 删掉的文章也从网站上撤下
"""


def actions_workflow(target: DeployTarget, branch: str, secrets: list[str]) -> str:
    env = "".join(f"\n          {name}: ${{{{ secrets.{name} }}}}" for name in secrets)
    where = _named(secrets)
    run = " && ".join(_ssh_setup(target) + [f".venv/bin/python build.py deploy {target.name} --delete"])
    return f"""\
# 由 python build.py init-publish {target.name} 生成：每次推送到 {branch} 分支，检查、生成并发布专栏。
# GitHub 和 Gitea 都读这个文件夹。有错误时不发布，网站保持原样，原因写在这次运行的日志里。
# 发布用的密码或密钥添加为仓库的 Secrets（GitHub：Settings → Secrets and variables → Actions；
# Gitea：设置 → Actions → 密钥）：{where}
{_ci_warning(target)}name: 发布专栏
on:
  push:
    branches: [{branch}]
concurrency: publish
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/cache@v4
        with:
          path: |
            .cache
            .venv
          key: brandcolumn-${{{{ github.sha }}}}
          restore-keys: brandcolumn-
      - name: 安装
        run: python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt
      - name: 检查
        run: .venv/bin/python build.py check
      - name: 发布
        run: {run}{f"{chr(10)}        env:{env}" if env else ""}
"""


def post_receive(target: str, branch: str) -> str:
    return f"""\
#!/bin/sh
# 由 python build.py init-publish {target} 生成。放进网站服务器上裸仓库的 hooks/ 文件夹（保持可执行）：
# 每次推送到 {branch} 分支，就在旁边的工作文件夹里检查、生成并发布专栏。有错误时不发布，网站保持原样，
# 推送的人在自己的终端里看到原因。
#   PINPAI_WORK    工作文件夹，默认是裸仓库旁边的 <仓库名>-publish（保留 .cache，只重新生成改动的页面）
#   PINPAI_PYTHON  用哪个 Python；不设时在工作文件夹里建 .venv 并安装 requirements.txt
#   发布用的密码（如 FTP_PASSWORD）写在运行 git 的账号的环境里，不写进这个文件
REPO=$(cd "${{GIT_DIR:-.}}" && pwd)
WORK=${{PINPAI_WORK:-$REPO-publish}}

publish() {{
  echo "专栏：正在检查并发布 $(printf %.7s "$1") ..."
  mkdir -p "$WORK/site" || return 1
  # 把推送的文件放进工作文件夹：read-tree 记得上次放了哪些，已删除的文件也会删掉；.cache 和 .venv 保留。
  GIT_DIR="$REPO" GIT_WORK_TREE="$WORK/site" GIT_INDEX_FILE="$WORK/index" git read-tree --reset -u "$1" || return 1
  cd "$WORK/site" || return 1
  PYTHON=${{PINPAI_PYTHON:-}}
  if [ -z "$PYTHON" ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv || return 1
    .venv/bin/pip install -q -r requirements.txt || return 1
    PYTHON=.venv/bin/python
  fi
  "$PYTHON" build.py check || return 3
  "$PYTHON" build.py deploy {target} --delete || return 4
}}

while read -r old new ref; do
  [ "$ref" = "refs/heads/{branch}" ] || continue
  case "$new" in *[!0]*) ;; *) continue ;; esac  # the branch was deleted
  # 同时有两次推送时一个一个来（flock 是 util-linux 里的命令，Debian 和麒麟等系统都有）
  (
    if command -v flock >/dev/null 2>&1; then flock 9; fi
    unset GIT_DIR GIT_QUARANTINE_PATH
    publish "$new"
  ) 9>>"$WORK.lock" 2>&1
  case $? in
    0) echo "专栏：已发布。" ;;
    3) echo "专栏：检查发现问题，没有发布，网站保持原样。改正上面列出的问题后再推送一次。" ;;
    4) echo "专栏：发布没有完成，网站的情况见上面 deploy 的说明；问题解决后再推送一次（或在服务器上运行 deploy）。" ;;
    *) echo "专栏：准备工作没有完成（见上面的说明），没有发布，网站保持原样。请把这段话发给维护人员。" ;;
  esac
done
"""


def pre_commit(windows: bool) -> str:
    """The pre-commit configuration. Its entry names the project's .venv as the computer running init-publish
    spells it: .venv/bin/python, or .venv/Scripts/python.exe on Windows (forward slashes: pre-commit splits the
    entry as a shell would, and Windows takes them)."""
    folder = ".venv/Scripts/" if windows else ".venv/bin/"
    other = ".venv/bin/python（Linux、麒麟、macOS）" if windows else ".venv/Scripts/python.exe（Windows）"
    return f"""\
# 由 python build.py init-publish 生成：提交前先检查专栏（pre-commit 框架）。
# 一次性安装：{folder}pip install pre-commit==4.7.0 && {folder}pre-commit install
# 之后每次 git commit 都先运行 python build.py check --strict；有错误或提醒时不提交，并列出原因。
# entry 写的是生成它的这种电脑上的路径；在另一种电脑上使用时改成 {other}
repos:
  - repo: local
    hooks:
      - id: brandcolumn-check
        name: 检查专栏内容（build.py check --strict）
        entry: {folder}python{".exe" if windows else ""} build.py check --strict
        language: system
        pass_filenames: false
        files: ^(content/|assets/|themes/|site\\.yml$)
"""
