"""The preview server's parts without a browser: watcher, injection, overlay, serving during rebuilds."""

from __future__ import annotations

import asyncio
import re
import threading
import time
import urllib.request
from urllib.parse import quote

import pytest
from tornado.ioloop import IOLoop

from brandcolumn.cli import main
from brandcolumn.core.errors import Origin, Problem
from brandcolumn.core.messages import say
from brandcolumn.preview.rebuild import LiveSite
from brandcolumn.preview.serve import CATCH_UP, Preview, error_overlay, make_app
from brandcolumn.preview.watch import InotifyWatcher, PollingWatcher
from sitekit import copy_sample_site, hold_lock, search_documents, write_files

pytestmark = pytest.mark.slow  # each test starts the preview server: not in the fast subset (README)


@pytest.fixture
def sample(tmp_path):
    return copy_sample_site(tmp_path / "site")


@pytest.mark.parametrize("kind", [InotifyWatcher, PollingWatcher])
def test_watchers_report_a_save_quickly_and_exactly(make_site, kind):
    root = make_site()
    watcher = kind(root)
    result = {}

    def wait():
        result["changed"] = watcher.wait()
        result["at"] = time.perf_counter()

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.2)
    written = time.perf_counter()
    write_files(root, {"content/cases/hello.md": "---\ntitle: 改\ndate: 2008-05-01\n---\n正文\n",
                       "content/cases/.hello.md.swp": "editor swap file"})
    thread.join(5)
    assert result["changed"] == {root / "content/cases/hello.md"}
    assert result["at"] - written < (0.05 if kind is InotifyWatcher else 0.3)  # livereload alone polls every 0.8 s


def test_inotify_follows_new_folders(make_site):
    root = make_site()
    watcher = InotifyWatcher(root)
    write_files(root, {"assets/photos/2010/new.jpg": b"x"})
    changed = watcher.wait()
    assert root / "assets/photos/2010/new.jpg" in changed or changed is None
    write_files(root, {"assets/photos/2010/second.jpg": b"y"})
    assert watcher.wait() == {root / "assets/photos/2010/second.jpg"}


def test_the_client_is_injected_with_or_without_head_and_body(sample):
    preview = Preview(sample, "127.0.0.1", 8123, drafts=False)
    script = ('<script src="/livereload.js?port=8123" async></script>'
              f'<script>{CATCH_UP.replace("GENERATION", "7")}</script>')
    assert preview.decorate("<html><head><title>t</title></head><body>x</body></html>", 7) == \
        f"<html><head><title>t</title>{script}</head><body>x</body></html>"
    assert preview.decorate("<!DOCTYPE html><title>t</title><p>no head, no body", 7) == \
        f"<!DOCTYPE html><title>t</title><p>no head, no body{script}"


def test_the_error_overlay_names_file_and_line_and_escapes_html():
    problem = Problem(say("text.expected", field=say("field.labelled", key="title", label="标题"), got="'<b>'"),
                      Origin("content/cases/a.md", 2), say("text.nothing.hint"))
    overlay = error_overlay([problem])
    assert 'role="alert"' in overlay and "<h2" in overlay and "生成出错" in overlay
    assert ("content/cases/a.md:2: 第 2 行：标题（title）应填文字，实际写的是 &#x27;&lt;b&gt;&#x27;\n"
            "  提示：想留空就删掉这一行；要写这个符号本身，请加引号，如 &quot;~&quot;") in overlay


def test_drafts_show_in_the_preview_only_when_asked(sample, tmp_path):
    LiveSite(sample, tmp_path / "hidden", "http://127.0.0.1:8000/", drafts=False).full()
    LiveSite(sample, tmp_path / "shown", "http://127.0.0.1:8000/", drafts=True).full()
    assert not (tmp_path / "hidden/cases/lin-li-qing-she-qu-fu-wu").exists()
    assert (tmp_path / "shown/cases/lin-li-qing-she-qu-fu-wu/index.html").is_file()


def test_serve_help_lists_its_options(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    help_text = capsys.readouterr().out
    for option in ("--port", "--host", "--drafts", "--open", "127.0.0.1"):
        assert option in help_text


def start_server(preview: Preview) -> dict:
    """Run the preview's server and watcher on a thread, as `serve` does; its port and loop."""
    ready, holder = threading.Event(), {}

    def run_server():
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = make_app(preview).listen(0, address="127.0.0.1")
        holder["port"] = preview.port = next(iter(server._sockets.values())).getsockname()[1]
        holder["loop"] = IOLoop.current()
        preview.start(holder["loop"])
        ready.set()
        holder["loop"].start()

    threading.Thread(target=run_server, daemon=True).start()
    assert ready.wait(60)
    return holder


def test_pages_are_served_while_a_rebuild_runs(sample):
    """livereload 2.7 runs rebuilds inside its server loop; ours run beside it."""
    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    original = preview.site.rebuild
    started = threading.Event()

    def slow_rebuild(changed):
        started.set()
        time.sleep(2)
        return original(changed)

    holder = start_server(preview)
    preview.site.rebuild = slow_rebuild
    (sample / "content/cases/yi-zhan-tong-xiao-neng.md").write_text("---\ntitle: 改\ndate: 2008-10-16\n---\n正文\n")
    assert started.wait(5)
    asked = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{holder['port']}/brands/", timeout=5) as response:
        assert response.status == 200 and b"livereload.js" in response.read()
    assert time.perf_counter() - asked < 0.5
    holder["loop"].add_callback(holder["loop"].stop)


def test_the_preview_keeps_search_current_after_an_edit(sample):
    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    holder = start_server(preview)
    case = sample / "content/cases/yi-zhan-tong-xiao-neng.md"
    case.write_text(case.read_text(encoding="utf-8") + "\n预览里新写的一句话。\n", encoding="utf-8")
    url = "/cases/yi-zhan-tong-xiao-neng/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # indexing runs in the background, after the page reloads
        try:
            text = search_documents(preview.site.out_dir).get(url, {}).get("text", "")
        except OSError:  # caught mid-swap
            text = ""
        if "预览里新写的一句话" in text:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the search index never saw the edit")
    holder["loop"].add_callback(holder["loop"].stop)


def test_a_save_right_after_the_browser_connects_still_reloads_it(sample):
    """livereload 2.7 listened to a browser only after its second message; a save in between was lost."""
    from tornado.websocket import websocket_connect

    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    holder = start_server(preview)
    case = sample / "content/cases/yi-zhan-tong-xiao-neng.md"

    async def hello_then_save():
        socket = await websocket_connect(f"ws://127.0.0.1:{holder['port']}/livereload")
        await socket.write_message('{"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}')
        assert '"hello"' in await socket.read_message()
        case.write_text(case.read_text(encoding="utf-8") + "\n又一句。\n", encoding="utf-8")  # no "info" sent
        return await asyncio.wait_for(socket.read_message(), 10)

    message = asyncio.run_coroutine_threadsafe(hello_then_save(), holder["loop"].asyncio_loop).result(15)
    assert '"reload"' in message
    holder["loop"].add_callback(holder["loop"].stop)


def test_a_port_or_address_that_cannot_be_used_is_one_clear_message(sample, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--site", str(sample), "serve", "--port", str(port)]) == 1
        assert capsys.readouterr().err == (f"端口 {port} 已经被占用了\n  提示：换一个端口运行：--port {port + 1}\n"
                                           "预览没有完成：1 个错误\n")
    assert main(["--site", str(sample), "serve", "--host", "192.0.2.1", "--port", "8123"]) == 1
    assert capsys.readouterr().err == (
        "不能在 192.0.2.1:8123 上预览：这台电脑没有这个地址\n"
        "  提示：用 --host 127.0.0.1（本机）和 1024 到 65535 之间的 --port\n预览没有完成：1 个错误\n")


def test_a_missing_page_gets_the_sites_404_page_with_the_client(sample):
    import urllib.error

    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    holder = start_server(preview)
    title = re.search(r"<title>[^<]*</title>", (preview.site.out_dir / "404.html").read_text(encoding="utf-8"))[0]
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"http://127.0.0.1:{holder['port']}/cases/no-such-case/", timeout=5)
    body = missing.value.read().decode("utf-8")
    assert missing.value.code == 404 and title in body and "livereload.js" in body
    holder["loop"].add_callback(holder["loop"].stop)


def test_the_search_index_waits_until_saves_pause_so_reloads_come_first(tmp_path, monkeypatch):
    from brandcolumn.preview import serve
    monkeypatch.setattr(serve, "SEARCH_QUIET_SECONDS", 0.3)
    preview = Preview(tmp_path, "127.0.0.1", 0, False)
    indexed = []
    monkeypatch.setattr(preview.site, "refresh_search", lambda: indexed.append(time.monotonic()))
    threading.Thread(target=preview._index_search, daemon=True).start()
    saves = []
    for _ in range(4):  # a save every 0.2 s: no quiet of 0.3 s between them
        saves.append(time.monotonic())
        preview._search_wanted.set()
        time.sleep(0.2)
    time.sleep(0.6)
    assert len(indexed) == 1 and indexed[0] - saves[-1] >= 0.3  # once, after the last save


def test_a_preview_rebuild_waits_for_a_build_in_the_same_project(sample, capsys):
    """Issue 13: serve's rebuilds share the caches with build, so they take turns too."""
    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    preview._rebuild(None)
    holder = hold_lock(sample, 1.5)
    started = time.monotonic()
    preview._rebuild(None)
    assert time.monotonic() - started >= 1.0 and preview.problems == []
    assert "等它结束后继续：build.py build（进程 " in capsys.readouterr().err
    holder.wait(10)


def fetch(port: int, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    """GET a path of the preview, naming `host` in the Host header (as a browser sent there by a name would)."""
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{port}"})
    answer = connection.getresponse()
    return answer.status, dict(answer.getheaders()), answer.read()


def test_the_preview_answers_only_requests_addressed_to_it(sample):
    """Issue 13: any Host was answered, so a page elsewhere could read the preview through DNS rebinding."""
    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    port = start_server(preview)["port"]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert fetch(port, "/", host)[0] == 200
    for path in ("/", "/__preview/generation", "/livereload.js", "/static/style.css"):
        status, _, body = fetch(port, path, f"attacker.example:{port}")
        assert status == 403 and "这个预览只回应发给它自己的请求（http://127.0.0.1:".encode() in body


def test_a_websocket_from_another_origin_is_refused(sample):
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    holder = start_server(preview)
    port = holder["port"]

    async def connect(origin: str):
        request = HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers={"Origin": origin})
        try:
            socket = await websocket_connect(request)
        except HTTPClientError as refused:
            return refused.code
        socket.close()
        return "open"

    def attempt(origin):
        return asyncio.run_coroutine_threadsafe(connect(origin), holder["loop"].asyncio_loop).result(10)

    assert attempt(f"http://127.0.0.1:{port}") == "open"
    assert attempt(f"http://localhost:{port}") == "open"
    assert attempt(f"http://attacker.example:{port}") == 403
    assert attempt("http://127.0.0.1:9") == 403
    assert attempt("null") == 403
    holder["loop"].add_callback(holder["loop"].stop)


def test_an_address_with_a_nul_character_is_a_bad_request_not_a_server_error(sample, caplog):
    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    port = start_server(preview)["port"]
    assert fetch(port, "/%00")[0] == 400
    assert fetch(port, "/cases/%00/index.html")[0] == 400
    assert fetch(port, "/" + quote("长" * 300) + "/")[0] == 404  # a name too long for the system: no such page
    assert "Traceback" not in caplog.text and "Uncaught exception" not in caplog.text


def test_svg_is_served_so_that_it_cannot_run_script(sample):
    preview = Preview(sample, "127.0.0.1", 0, drafts=False)
    port = start_server(preview)["port"]
    status, headers, _ = fetch(port, "/static/favicon.svg")
    assert status == 200 and headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert "Content-Security-Policy" not in fetch(port, "/static/style.css")[1]


@pytest.mark.parametrize("port", ["99999", "0", "http"])
def test_a_port_that_is_not_one_is_refused_before_serving(sample, capsys, port):
    with pytest.raises(SystemExit) as stopped:
        main(["--site", str(sample), "serve", "--port", port])
    assert stopped.value.code == 2
    assert (f"参数 --port：端口是 1 到 65535 之间的数字，实际写的是 '{port}'"
            in capsys.readouterr().err)


def test_sigterm_stops_the_preview_between_two_requests(sample):
    import subprocess
    import sys

    from sitekit import PROJECT, free_port
    port = free_port()
    server = subprocess.Popen([sys.executable, "-u", str(PROJECT / "build.py"), "--site", str(sample), "serve",
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert "正在预览" in server.stdout.readline() or "正在预览" in server.stdout.readline()
    for _ in range(5):  # requests and a rebuild under way when the signal comes
        urllib.request.urlopen(f"http://127.0.0.1:{port}/brands/", timeout=5).read()
    (sample / "content/cases/yi-zhan-tong-xiao-neng.md").write_text("---\ntitle: 改\ndate: 2008-10-16\n---\n正文\n")
    server.terminate()
    assert server.wait(10) == 143
    assert server.stdout.read().rstrip().endswith("预览已结束")
