"""The deploy: part of site.yml: every mistake told at its line, and no secret ever repeated."""

from __future__ import annotations

import textwrap

import pytest

from sitekit import MINIMAL, run_command

SITE = textwrap.dedent(MINIMAL["site.yml"])
SECRET = "hunter2-not-for-anyone"
HINT = "  提示：能看到项目的人都能看到 site.yml；请在运行 deploy 之前设置 README.md（“发布到网站服务器”）里说的环境变量\n"
FAILED = "发布没有完成：1 个错误\n"


def deploy_with(make_site, capsys, deploy: str, *args: str) -> tuple[int, str]:
    root = make_site({"site.yml": SITE + textwrap.dedent(deploy)})
    code, out, err = run_command(root, capsys, "deploy", *args)
    assert "Traceback" not in err
    return code, out + err


def test_a_password_in_site_yml_is_refused_and_never_repeated(make_site, capsys):
    code, said = deploy_with(make_site, capsys, f"""\
        deploy:
          host:
            to: ftp://pinpai@ftp.example.gov.cn/www
            password: {SECRET}
        """)
    assert code == 1 and SECRET not in said
    assert said == "site.yml:6: 第 6 行：“deploy.host.password”：密码和密钥一律不能写在 site.yml 里\n" + HINT + FAILED


def test_a_password_in_the_address_is_refused_and_never_repeated(make_site, capsys):
    code, said = deploy_with(make_site, capsys, f"""\
        deploy:
          host:
            to: ftps://pinpai:{SECRET}@ftp.example.gov.cn/www
        """)
    assert code == 1 and SECRET not in said
    assert said == "site.yml:5: 第 5 行：发布到（deploy.host.to）的地址里写了密码；密码一律不能写在 site.yml 里\n" + HINT + FAILED


@pytest.mark.parametrize("query", [f"?password={SECRET}", f"?user=pinpai&pwd={SECRET}", f"?AccessKeySecret={SECRET}"])
def test_a_password_in_the_query_of_the_address_is_refused_and_never_repeated(make_site, capsys, query):
    code, said = deploy_with(make_site, capsys, f"""\
        deploy:
          host:
            to: ftps://pinpai@ftp.example.gov.cn/www{query}
        """)
    assert code == 1 and SECRET not in said
    assert said == "site.yml:5: 第 5 行：发布到（deploy.host.to）的地址里写了密码；密码一律不能写在 site.yml 里\n" + HINT + FAILED


@pytest.mark.parametrize("to", [f"ftp://clerk:{SECRET}@[ftp.example.gov.cn/site", f"ftps://clerk:{SECRET}@ftp.example.gov.cn:99x/"])
def test_a_password_in_an_address_that_cannot_be_taken_apart_is_never_repeated(make_site, capsys, to):
    code, said = deploy_with(make_site, capsys, f"deploy:\n  host:\n    to: '{to}'\n")
    assert code == 1 and SECRET not in said
    assert said == "site.yml:5: 第 5 行：发布到（deploy.host.to）的地址里写了密码；密码一律不能写在 site.yml 里\n" + HINT + FAILED


def test_a_key_in_the_storage_address_is_never_repeated(make_site, capsys):
    code, said = deploy_with(make_site, capsys, f"deploy:\n  oss:\n    to: s3://bucket/x\n"
                                                f"    endpoint: https://AKID:{SECRET}@oss.example.com\n")
    assert code == 1 and SECRET not in said and "AKID" not in said
    assert said == ("site.yml:6: 第 6 行：存储服务地址（deploy.oss.endpoint）应是 https://oss-cn-shanghai.aliyuncs.com "
                    "这样的地址（里面不带密钥），实际写的是（出于保密，不在此显示）\n"
                    "  提示：密钥放在环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 里，不能写在 site.yml 里\n" + FAILED)


@pytest.mark.parametrize("written", ["S3cretPW", "hunter2", "FTP-PASSWORD", "p@ss word!"])
def test_a_password_written_where_its_variables_name_belongs_is_never_repeated(make_site, capsys, written):
    code, said = deploy_with(make_site, capsys, f"""\
        deploy:
          host:
            to: ftp://pinpai@ftp.example.gov.cn/www
            password_env: '{written}'
        """)
    assert code == 1 and written not in said
    assert said == ("site.yml:6: 第 6 行：密码环境变量（deploy.host.password_env）应是一个大写字母的环境变量名，如 FTP_PASSWORD，"
                    "实际写的是（出于保密，不在此显示）\n"
                    "  提示：如果这里写的是密码本身，请从 site.yml 删掉它并改掉密码（它已经随项目传开了）；"
                    "把密码放进环境变量：export FTP_PASSWORD='...'\n" + FAILED)


def test_s3_keys_in_site_yml_are_refused(make_site, capsys):
    code, said = deploy_with(make_site, capsys, f"""\
        deploy:
          oss:
            to: s3://pinpai-bucket/jgjs
            aws_secret_access_key: {SECRET}
        """)
    assert code == 1 and SECRET not in said
    assert said.startswith("site.yml:6: 第 6 行：“deploy.oss.aws_secret_access_key”：密码和密钥一律不能写在 site.yml 里\n")


@pytest.mark.parametrize("deploy, message", [
    ("deploy:\n  web:\n    to: http://www.example.gov.cn/pinpai\n",
     "site.yml:5: 第 5 行：发布到（deploy.web.to）应是 /srv/www/pinpai 这样的文件夹，或以 ssh://、s3://、ftp://、ftps:// 开头的地址，实际写的是 'http://www.example.gov.cn/pinpai'\n"),
    ("deploy:\n  web:\n    to: srv/www/pinpai\n",
     "site.yml:5: 第 5 行：发布到（deploy.web.to）应是 /srv/www/pinpai 这样的文件夹，或以 ssh://、s3://、ftp://、ftps:// 开头的地址，实际写的是 'srv/www/pinpai'\n  提示：文件夹要写完整路径，以 / 开头\n"),
    ("deploy:\n  web:\n    to: ssh://www.example.gov.cn\n",
     "site.yml:5: 第 5 行：发布到（deploy.web.to）应写成 ssh://服务器/文件夹，带上要发布到的文件夹，"
     "实际写的是 'ssh://www.example.gov.cn'\n  提示：要写上文件夹\n"),
    ("deploy:\n  web:\n    to: ftp://ftp.example.gov.cn:99999/www\n",
     "site.yml:5: 第 5 行：发布到（deploy.web.to）应是 /srv/www/pinpai 这样的文件夹，或以 ssh://、s3://、ftp://、ftps:// 开头的地址，实际写的是 'ftp://ftp.example.gov.cn:99999/www'\n  提示：检查地址里的端口号和方括号\n"),
    ("deploy:\n  web:\n    to: /srv/www/../pinpai\n",
     "site.yml:5: 第 5 行：发布到（deploy.web.to）应是不带“..”的完整路径，实际写的是 '/srv/www/../pinpai'\n"),
    ("deploy:\n  oss:\n    to: s3://bucket/jgjs\n    keep: 3\n",
     "site.yml:6: 第 6 行：“deploy.oss.keep”：s3 类的目标（s3://bucket/jgjs）用不到这个字段\n"
     "  提示：用到它的是这几类目标：folder\n"),
    ("deploy:\n  web:\n    to: /srv/www/pinpai\n    kepp: 3\n",
     "site.yml:6: 第 6 行：不认识的字段“deploy.web.kepp”\n  提示：是不是想写“keep”？\n"),
    ("deploy:\n  host:\n    to: ssh://www.example.gov.cn/srv\n    ssh: ssh -i 'my key\n",
     "site.yml:6: 第 6 行：远程命令（deploy.host.ssh）应是 ssh -p 2222 -i ~/.ssh/pinpai 这样的命令，实际写的是 'ssh -i 'my key'\n"
     "  提示：引号没有配对\n"),
    ("deploy:\n  web:\n    to: /srv/www/pinpai\n    keep: 1\n",
     "site.yml:6: 第 6 行：保留版本数（deploy.web.keep）应是 2 到 100 之间的整数，实际写的是 '1'\n"),
    ("deploy:\n  web:\n    to: ftp://ftp.example.gov.cn/www?mode=1\n",
     "site.yml:5: 第 5 行：发布到（deploy.web.to）应是 /srv/www/pinpai 这样的文件夹，或以 ssh://、s3://、ftp://、ftps:// 开头的地址，实际写的是 'ftp://ftp.example.gov.cn/www?...'\n"),
    ("deploy:\n  web:\n", "site.yml:4: 第 4 行：“deploy.web”下面应是“名称: 内容”的字段，如 to: /srv/www/pinpai\n"),
    ("deploy: /srv/www/pinpai\n", "site.yml:3: 第 3 行：发布目标（deploy）应是几个有名字的发布目标，如 production: 下一行写 to: ...，"
     "实际写的是 '/srv/www/pinpai'\n"),
])
def test_a_wrong_target_is_told_at_its_line(make_site, capsys, deploy, message):
    code, said = deploy_with(make_site, capsys, deploy)
    assert code == 1
    assert said == message + FAILED


def test_without_targets_the_editor_is_shown_how_to_add_one(make_site, capsys):
    code, said = deploy_with(make_site, capsys, "")
    assert code == 1
    assert said.startswith("site.yml 里没有写发布目标\n  提示：例如加上\n  deploy:\n")


def test_with_several_targets_one_must_be_named(make_site, capsys):
    targets = "deploy:\n  staging:\n    to: /srv/a/pinpai\n  production:\n    to: /srv/b/pinpai\n"
    code, said = deploy_with(make_site, capsys, targets)
    assert (code, said) == (1, "site.yml 里有 2 个发布目标；请说明发布到哪一个\n"
                               "  提示：python build.py deploy staging | production\n" + FAILED)
    code, said = deploy_with(make_site, capsys, targets, "prodution")
    assert (code, said) == (1, "site.yml 里没有叫“prodution”的发布目标\n  提示：是不是想写“production”？\n" + FAILED)
