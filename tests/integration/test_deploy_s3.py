"""deploy to s3://: the real CLI against moto's S3 server on 127.0.0.1, object by object.

The publisher's boto3 client is watched at the wire (before-send) to see every PutObject in order,
and moto's own store tells when each object was written, to the microsecond (S3's LastModified
only has seconds), so "uploads nothing" is observed, not assumed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError
from moto.server import ThreadedMotoServer

from brandcolumn.publish import s3
from brandcolumn.publish.claim import CLAIM_NAME
from brandcolumn.publish.plan import is_page
from sitekit import MINIMAL, jpeg_bytes, public_files, run_command, write_files

pytestmark = pytest.mark.slow  # each test starts an S3 server: not in the fast subset (README)

ACCESS_KEY, SECRET_KEY = "AKIAZZDEPLOYTEST0001", "deploy-test-secret-9f2c7a1e"
MANIFEST = ".brandcolumn-manifest.json"
PREFIX = "jgjs/pinpai"
BUCKET_NAMES = itertools.count(1)
FAILED = "发布没有完成：1 个错误\n"
SECOND_CASE = """\
    ---
    title: 第二篇经验
    date: 2009-03-01
    unit: 昆山市地方税务局
    brands: [xin-qiao]
    ---
    另一篇正文。
    """


@pytest.fixture(scope="module")
def endpoint():
    """moto's S3 server in this process, on a free port of 127.0.0.1."""
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.ERROR)  # one log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    werkzeug.setLevel(level)


@pytest.fixture(autouse=True)
def credentials(monkeypatch, tmp_path):
    """Test keys in the environment, and nothing of the developer's own AWS set-up."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_REGION",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "aws-empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)


@pytest.fixture
def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


@pytest.fixture
def bucket(client):
    """A new, empty bucket for each test."""
    name = f"site-{next(BUCKET_NAMES)}"
    client.create_bucket(Bucket=name)
    return name


@pytest.fixture
def site(make_site, endpoint, bucket):
    """The tiny site (with a JPEG cover photo) and a target `oss` in its site.yml."""
    def make(files: dict | None = None, to: str = f"s3://{bucket}/{PREFIX}", where: str = endpoint) -> Path:
        hello = MINIMAL["content/cases/hello.md"].replace("brands: [xin-qiao]",
                                                          "brands: [xin-qiao]\n        cover: photos/hall.jpg")
        return make_site({"site.yml": f"""\
            title: 测试专栏
            base_url: https://example.gov.cn/
            deploy:
              oss:
                to: {to}
                endpoint: {where}
                region: us-east-1
            """, "content/cases/hello.md": hello, "assets/photos/hall.jpg": jpeg_bytes((640, 480)), **(files or {})})
    return make


class Wire:
    """What the publisher's client sends: PutObject keys in order, DeleteObjects headers; drops the link on demand."""

    def __init__(self):
        self.puts: list[str] = []
        self.deletes: list[dict] = []
        self.drop_when = None  # a test on the file's path: from the first match on, the connection is down
        self.down = False
        self.dropped_attempts = 0
        self.answer = None  # (status, body): the service answers this to every PutObject instead

    def attach(self, client) -> None:
        client.meta.events.register("before-send.s3.PutObject", self.on_put)
        client.meta.events.register("before-send.s3.DeleteObjects", self.on_delete)

    def on_put(self, request, **_):
        path = unquote(urlsplit(request.url).path).split("/", 2)[2].removeprefix(PREFIX + "/")
        if path == CLAIM_NAME:
            return None  # the deploy's claim on the target (claim.py): not a file of the site
        if self.drop_when and (self.down or self.drop_when(path)):
            self.down = True
            self.dropped_attempts += 1
            raise EndpointConnectionError(endpoint_url=request.url)
        if self.answer and path != MANIFEST:
            return AWSResponse(request.url, self.answer[0], {}, Body(self.answer[1]))
        self.puts.append(path)
        return None

    def on_delete(self, request, **_):
        if CLAIM_NAME.encode() not in (request.body if isinstance(request.body, bytes) else b""):
            self.deletes.append(dict(request.headers))

    @property
    def files(self) -> list[str]:
        return [path for path in self.puts if path != MANIFEST]


class Body:
    """A raw HTTP body as botocore reads it."""

    def __init__(self, data: bytes):
        self.data = data

    def stream(self, **_):
        yield self.data


@pytest.fixture
def wire(monkeypatch):
    """Watch every S3 publisher the deploy opens."""
    watched, original = Wire(), s3.S3Publisher.__init__

    def init(self, target, root):
        original(self, target, root)
        watched.attach(self.client)
    monkeypatch.setattr(s3.S3Publisher, "__init__", init)
    return watched


def deploy(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    return run_command(root, capsys, "deploy", "oss", *args)


def listed(client, bucket: str, prefix: str = PREFIX) -> set[str]:
    """The path below the prefix of every object in the bucket."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"].removeprefix(f"{prefix}/") for page in pages for item in page.get("Contents", [])}


def stored(client, bucket: str, prefix: str = PREFIX) -> dict[str, bytes]:
    """Every object below the prefix, with its bytes."""
    return {path: client.get_object(Bucket=bucket, Key=f"{prefix}/{path}" if prefix else path)["Body"].read()
            for path in listed(client, bucket, prefix)}


def written_at(bucket: str) -> dict[str, datetime]:
    """When moto stored each object, to the microsecond, by key."""
    from moto.s3.models import s3_backends
    partition, account = s3_backends.bucket_accounts[bucket]
    keys = s3_backends[account][partition].buckets[bucket].keys
    return {key: keys[key].last_modified for key in keys}


def manifest(client, bucket: str) -> dict[str, str]:
    return json.loads(client.get_object(Bucket=bucket, Key=f"{PREFIX}/{MANIFEST}")["Body"].read())["files"]


def free_port() -> int:
    """A port nothing listens on (the system just handed it out and it was closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET_KEY not in text and ACCESS_KEY not in text
        assert "Traceback" not in text and "AWS4-HMAC-SHA256" not in text


@pytest.mark.parametrize("prefix", [PREFIX, ""])
def test_the_first_deploy_uploads_every_file_and_a_manifest_of_their_hashes(site, client, bucket, capsys, prefix):
    root = site(to=f"s3://{bucket}/{prefix}")
    code, out, err = deploy(root, capsys)
    local = public_files(root)
    assert code == 0, err
    assert f"：新增 {len(local)} 个文件，改动 0 个，删除 0 个，没变 0 个；" in out and "；目标上还没有发布记录" in out
    objects = stored(client, bucket, prefix)
    assert set(objects) == set(local) | {MANIFEST}
    assert all(objects[path] == data for path, data in local.items())
    assert json.loads(objects[MANIFEST])["files"] == {path: sha256(data) for path, data in local.items()}


def test_objects_carry_content_type_and_cache_control(site, client, bucket, capsys):
    root = site()
    assert deploy(root, capsys)[0] == 0
    paths = public_files(root)

    def head(path: str) -> tuple[str, str]:
        answer = client.head_object(Bucket=bucket, Key=f"{PREFIX}/{path}")
        return answer["ContentType"], answer["CacheControl"]

    short, forever = "public, max-age=0, must-revalidate", "public, max-age=31536000, immutable"
    assert head("index.html") == ("text/html; charset=utf-8", short)
    assert head("cases/hello/index.html") == ("text/html; charset=utf-8", short)
    assert head("static/style.css")[0] == "text/css; charset=utf-8"
    assert head("feed.xml") == ("application/atom+xml; charset=utf-8", short)
    for suffix, kind in (("avif", "image/avif"), ("webp", "image/webp"), ("jpg", "image/jpeg")):
        images = [path for path in paths if re.fullmatch(rf"images/[a-z0-9-]+-[0-9a-f]{{10}}-\d+\.{suffix}", path)]
        assert images, suffix
        assert {head(path) for path in images} == {(kind, forever)}
    # An SVG opened directly downloads: object stores cannot send a Content-Security-Policy.
    svg = client.head_object(Bucket=bucket, Key=f"{PREFIX}/static/favicon.svg")
    assert (svg["ContentType"], svg["ContentDisposition"]) == ("image/svg+xml; charset=utf-8", "attachment")
    assert "ContentDisposition" not in client.head_object(Bucket=bucket, Key=f"{PREFIX}/index.html")


def test_a_second_deploy_of_the_unchanged_site_uploads_nothing(site, client, bucket, wire, capsys):
    root = site()
    assert deploy(root, capsys)[0] == 0
    before, etags = written_at(bucket), {key: client.head_object(Bucket=bucket, Key=key)["ETag"]
                                         for key in written_at(bucket)}
    wire.puts.clear()
    code, out, err = deploy(root, capsys)
    assert code == 0, err
    assert f"：新增 0 个文件，改动 0 个，删除 0 个，没变 {len(public_files(root))} 个；要上传 0 kB" in out
    assert wire.puts == []
    assert written_at(bucket) == before
    assert {key: client.head_object(Bucket=bucket, Key=key)["ETag"] for key in before} == etags


def test_an_edited_case_uploads_its_page_and_the_pages_listing_it_assets_first(site, client, bucket, wire, capsys):
    root = site()
    assert deploy(root, capsys)[0] == 0
    old_output, before = public_files(root), written_at(bucket)
    wire.puts.clear()
    case = root / "content/cases/hello.md"
    case.write_text(case.read_text(encoding="utf-8").replace("第一篇经验", "第一篇经验（修订）"), encoding="utf-8")
    code, out, err = deploy(root, capsys)
    assert code == 0, err
    new_output = public_files(root)
    changed = {path for path, data in new_output.items() if old_output.get(path) != data}
    assert "cases/hello/index.html" in changed and "cases/index.html" in changed
    assert len(changed) < len(new_output) / 2
    assert sorted(wire.files) == sorted(changed)
    assert sum(map(int, re.search(r"：新增 (\d+) 个文件，改动 (\d+) 个", out).groups())) == len(changed)
    pages = [i for i, path in enumerate(wire.files) if is_page(path)]
    others = [i for i, path in enumerate(wire.files) if not is_page(path)]
    assert pages and others and max(others) < min(pages)
    assert "index.html" in changed and wire.files[-1] == "index.html"
    after = written_at(bucket)
    untouched = [key for key in before if key.removeprefix(PREFIX + "/") not in changed | {MANIFEST}]
    assert untouched and all(after[key] == before[key] for key in untouched)
    page = client.get_object(Bucket=bucket, Key=f"{PREFIX}/cases/hello/index.html")["Body"].read()
    assert page == new_output["cases/hello/index.html"]


def test_dry_run_lists_what_would_change_and_uploads_nothing(site, bucket, wire, capsys):
    root = site()
    assert deploy(root, capsys)[0] == 0
    before = written_at(bucket)
    wire.puts.clear()
    write_files(root, {"content/cases/second.md": SECOND_CASE})
    code, out, err = deploy(root, capsys, "--dry-run", "--verbose")
    assert code == 0, err
    assert f"试运行，不会改动目标 oss（s3://{bucket}/{PREFIX}）：" in out
    assert "  新增  cases/second/index.html\n" in out
    assert "  改动  cases/index.html\n" in out
    assert out.rstrip().endswith("试运行：什么都没有改动")
    assert wire.puts == [] and written_at(bucket) == before


def test_a_deleted_case_page_is_removed_only_with_delete(site, client, bucket, wire, capsys):
    root = site({"content/cases/second.md": SECOND_CASE})
    assert deploy(root, capsys)[0] == 0
    write_files(root, {"content/cases/second.md": None})
    code, out, err = deploy(root, capsys)
    assert code == 0, err
    assert " 个已不在网站里的文件留在目标上（deploy --delete 会删除它们）" in out
    assert "cases/second/index.html" in listed(client, bucket) and wire.deletes == []
    code, out, err = deploy(root, capsys, "--delete")
    assert code == 0, err
    assert re.search(r"：新增 0 个文件，改动 0 个，删除 \d+ 个，没变 \d+ 个", out) and "），删除 " in out
    local = public_files(root)
    assert "cases/second/index.html" not in local
    assert listed(client, bucket) == set(local) | {MANIFEST}
    assert manifest(client, bucket) == {path: sha256(data) for path, data in local.items()}
    assert len(wire.deletes) == 1 and "Content-MD5" in wire.deletes[0]  # Aliyun OSS refuses a batch delete without


@pytest.mark.parametrize("pages_sent", [0, 3])
def test_an_interrupted_upload_resumes_where_it_stopped(site, client, bucket, wire, capsys, endpoint, pages_sent):
    """The connection drops on a page: the batches before it are in the manifest, the next deploy sends the rest."""
    root = site()
    sent_pages = []

    def drop(path: str) -> bool:
        if not is_page(path):
            return False
        if len(sent_pages) == pages_sent:
            return True
        sent_pages.append(path)
        return False
    wire.drop_when = drop
    started = time.perf_counter()
    code, out, err = deploy(root, capsys)
    local = public_files(root)
    assets = {path for path in local if not is_page(path)}
    assert code == 1
    assert err.startswith(f"site.yml:4: 第 4 行：发布到 oss（s3://{bucket}/{PREFIX}）：连不上存储服务 {endpoint}\n")
    assert f"中断前已发布 {len(local)} 个文件里的 {len(assets)} 个" in err
    assert "再运行一次 deploy 即可完成" in err and err.endswith(FAILED)
    assert wire.dropped_attempts == 4 and time.perf_counter() - started < 30  # max_attempts=3 retries, briefly
    assert_no_secret(out, err)
    assert manifest(client, bucket) == {path: sha256(local[path]) for path in assets}
    assert listed(client, bucket) == assets | set(sent_pages) | {MANIFEST}

    wire.drop_when, wire.down = None, False
    wire.puts.clear()
    code, out, err = deploy(root, capsys)
    assert code == 0, err
    assert sum(map(int, re.search(r"：新增 (\d+) 个文件，改动 (\d+) 个", out).groups())) == len(local) - len(assets)
    assert sorted(wire.files) == sorted(set(local) - assets)
    objects = stored(client, bucket)
    assert json.loads(objects.pop(MANIFEST))["files"] == {path: sha256(data) for path, data in local.items()}
    assert objects == local


@pytest.mark.parametrize("status, body, expected, hint", [
    (403, b"<Error><Code>QuotaExceeded</Code><Message>The bucket is full.</Message></Error>",
     "存储服务回答 QuotaExceeded（The bucket is full.）", "超过配额"),
    (403, b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
     "存储服务拒绝了这个访问密钥（AccessDenied）", "AWS_SECRET_ACCESS_KEY"),
])
def test_a_refused_upload_says_why_and_how_far_it_got(site, bucket, wire, capsys, status, body, expected, hint):
    root = site()
    wire.answer = (status, body)
    code, out, err = deploy(root, capsys)
    assert code == 1
    assert err.startswith(f"site.yml:4: 第 4 行：发布到 oss（s3://{bucket}/{PREFIX}）：{expected}\n  提示：")
    assert hint in err and " 个文件里的 0 个；" in err and "再运行一次 deploy 即可完成" in err
    assert_no_secret(out, err)


def test_a_developer_is_told_in_english(site, bucket, wire, capsys, english):
    """This file's sample in English (--lang en); the rest is checked in Chinese, what an editor reads by default."""
    root = site()
    code, out, err = deploy(root, capsys, "--dry-run")
    assert (code, err) == (0, "")
    assert out.startswith(f"deploy --dry-run to oss (s3://{bucket}/{PREFIX}), nothing is changed: ")
    assert out.endswith("; the target has no manifest yet, so everything is uploaded\n"
                        "nothing was changed (dry run); --verbose lists every file\n")
    code, out, err = deploy(site(to="s3://no-such-bucket/jgjs/pinpai"), capsys)
    assert err == ("site.yml:4: deploy to oss (s3://no-such-bucket/jgjs/pinpai): bucket 'no-such-bucket' does not exist\n"
                   "  hint: create it in the storage console first, or correct the bucket name after s3:// in site.yml "
                   "(and check the endpoint and region)\n"
                   "deploy failed: 1 error(s)\n")


@pytest.mark.parametrize("args", [[], ["--all"]])
def test_a_missing_bucket_is_one_clear_message(site, capsys, args):
    root = site(to="s3://no-such-bucket/jgjs/pinpai")
    code, out, err = deploy(root, capsys, *args)
    assert code == 1 and out == ""
    assert err == ("site.yml:4: 第 4 行：发布到 oss（s3://no-such-bucket/jgjs/pinpai）：存储桶“no-such-bucket”不存在\n"
                   "  提示：先在存储服务的控制台里建好它，或改正 site.yml 里 s3:// 后面的存储桶名（并核对 endpoint 和 region）\n"
                   + FAILED)
    assert not (root / "output").exists()  # told before the build


def test_an_unreachable_endpoint_fails_in_seconds(site, bucket, capsys):
    closed = free_port()
    root = site(where=f"http://127.0.0.1:{closed}")
    started = time.perf_counter()
    code, out, err = deploy(root, capsys)
    assert code == 1
    assert err.startswith(f"site.yml:4: 第 4 行：发布到 oss（s3://{bucket}/{PREFIX}）："
                          f"连不上存储服务 http://127.0.0.1:{closed}\n"
                          "  提示：核对 site.yml 里的 endpoint 和网络连接")
    assert time.perf_counter() - started < 10
    assert_no_secret(out, err)


@pytest.mark.parametrize("unset", [("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), ("AWS_SECRET_ACCESS_KEY",)])
def test_missing_credentials_name_the_variables_to_set(site, capsys, monkeypatch, unset):
    for name in unset:
        monkeypatch.delenv(name)
    root = site()
    code, out, err = deploy(root, capsys)
    assert code == 1
    assert "）：没有存储服务的访问密钥\n  提示：把存储账号的访问密钥设在环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 里" in err
    assert err.count("\n") == 3 and err.endswith(FAILED)
    assert_no_secret(out, err)


@pytest.fixture(scope="module")
def checking_endpoint():
    """A moto server of its own that checks every request's key (INITIAL_NO_AUTH_ACTION_COUNT=0)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              env={**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "0"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not listening(port):
            assert server.poll() is None and time.monotonic() < deadline, "moto server did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def test_a_wrong_access_key_is_refused_without_repeating_it(site, capsys, checking_endpoint):
    root = site(where=checking_endpoint)
    code, out, err = deploy(root, capsys)
    assert code == 1
    assert "）：存储服务拒绝了这个访问密钥（403）\n  提示：把存储账号的访问密钥设在环境变量 AWS_ACCESS_KEY_ID" in err
    assert_no_secret(out, err)


def claim_of(host: str, pid: int, minutes_ago: float) -> bytes:
    """What another deploy's claim on the target looks like (publish/claim.py)."""
    return json.dumps({"token": "t-other", "user": "liming", "host": host, "pid": pid, "since": "2026-11-29 09:00:00",
                       "renewed": time.time() - minutes_ago * 60}).encode()


def test_a_target_another_deploy_is_publishing_to_is_refused_clearly(site, client, bucket, wire, capsys):
    """Issue 13: two deploys at once to one target each took the other's work for an interrupted deploy."""
    root = site()
    client.put_object(Bucket=bucket, Key=f"{PREFIX}/{CLAIM_NAME}", Body=claim_of("pc-liming", 4321, 2))
    code, out, err = deploy(root, capsys)
    assert code == 1 and wire.files == []
    last = time.strftime("%H:%M", time.localtime(time.time() - 120))
    assert err == (f"site.yml:4: 第 4 行：发布到 oss（s3://{bucket}/{PREFIX}）：另一个发布正在进行：pc-liming 上的 liming"
                   f"（进程 4321），2026-11-29 09:00:00 开始，最后一次响应在 {last}；超过 30 分钟没有响应即视为已结束\n"
                   "  提示：等它结束后再发布\n" + FAILED)


@pytest.mark.parametrize("host, pid, minutes_ago", [("pc-liming", 4321, 31), (socket.gethostname(), 999999999, 1)])
def test_a_claim_whose_deploy_is_surely_over_is_taken_over(site, client, bucket, capsys, host, pid, minutes_ago):
    root = site()
    client.put_object(Bucket=bucket, Key=f"{PREFIX}/{CLAIM_NAME}", Body=claim_of(host, pid, minutes_ago))
    code, out, err = deploy(root, capsys)
    assert code == 0
    assert err.startswith(f"上次的发布没有完成，这次接着发布：{host} 上的 liming（进程 {pid}）")
    assert CLAIM_NAME not in listed(client, bucket)  # given back at the end
    assert listed(client, bucket) == set(public_files(root)) | {MANIFEST}


def test_of_two_deploys_claiming_at_the_same_moment_one_goes_on(site, client, bucket, wire, capsys, monkeypatch):
    from brandcolumn.publish import claim
    root = site()

    def the_other_writes_meanwhile(seconds):  # the other deploy's claim lands while this one settles
        client.put_object(Bucket=bucket, Key=f"{PREFIX}/{CLAIM_NAME}", Body=claim_of("pc-liming", 4321, 0))
    monkeypatch.setattr(claim, "_settle", the_other_writes_meanwhile)
    code, out, err = deploy(root, capsys)
    assert code == 1 and wire.files == []
    assert err.startswith(f"site.yml:4: 第 4 行：发布到 oss（s3://{bucket}/{PREFIX}）：另一个发布同时开始了："
                          "pc-liming 上的 liming（进程 4321）")


def test_a_deploy_whose_claim_was_taken_over_stops_at_its_next_batch(site, client, bucket, capsys, monkeypatch):
    from brandcolumn.publish import claim
    root = site()
    renew = claim.StoreClaim.renew

    def taken_over_meanwhile(self):  # the other deploy took it over after ours lapsed (say, a 40-minute batch)
        client.put_object(Bucket=bucket, Key=f"{PREFIX}/{CLAIM_NAME}", Body=claim_of("pc-liming", 4321, 0))
        renew(self)
    monkeypatch.setattr(claim.StoreClaim, "renew", taken_over_meanwhile)
    code, out, err = deploy(root, capsys)
    assert code == 1
    assert err.startswith(f"site.yml:4: 第 4 行：发布到 oss（s3://{bucket}/{PREFIX}）：这次发布已停止：另一个发布接管了目标："
                          "pc-liming 上的 liming（进程 4321）")
    assert "  提示：等另一个发布结束后再发布\n" in err
