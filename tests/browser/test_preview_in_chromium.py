"""`build.py serve` in a real browser: every save shows, errors show where, CSS swaps in place."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sitekit import PROJECT, copy_sample_site, free_port

pytestmark = pytest.mark.browser
CASE = "content/cases/yi-zhan-tong-xiao-neng.md"


class Server:
    """`build.py serve` on a copy of the sample site, in its own process as an editor runs it."""

    def __init__(self, root: Path, *options: str):
        self.root, self.port = root, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = root / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, "-u", str(PROJECT / "build.py"), "--site", str(root), "serve", "--port", str(self.port),
             *options], stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while "正在预览" not in self.log.read_text():
            assert self.process.poll() is None and time.time() < deadline, self.log.read_text()
            time.sleep(0.05)

    def write(self, name: str, text: str) -> None:
        (self.root / name).write_text(text, encoding="utf-8")

    def read(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def server(tmp_path):
    running = Server(copy_sample_site(tmp_path / "site"))
    yield running
    running.stop()


def open_connected(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.LiveReload !== undefined && window.LiveReload.connector.protocol >= 7")


def test_an_edited_case_shows_its_new_text(server, page):
    open_connected(page, server.url + "cases/yi-zhan-tong-xiao-neng/")
    server.write(CASE, server.read(CASE) + "\n\n新写的一段话。\n")
    expect(page.get_by_text("新写的一段话。")).to_be_visible(timeout=5000)
    assert server.alive


def test_two_saves_a_second_apart_both_show(server, page):
    # livereload 2.7 alone drops a reload that comes within 3 s of the previous one.
    open_connected(page, server.url + "cases/yi-zhan-tong-xiao-neng/")
    original = server.read(CASE)
    server.write(CASE, original + "\n\n第一次保存。\n")
    expect(page.get_by_text("第一次保存。")).to_be_visible(timeout=5000)
    time.sleep(1)
    server.write(CASE, original + "\n\n第二次保存。\n")
    expect(page.get_by_text("第二次保存。")).to_be_visible(timeout=5000)
    assert server.alive


def test_a_save_while_the_page_loads_still_shows(server, page):
    """The page is served, then the file is saved and rebuilt before the page's websocket connects."""
    saved = []

    def save_before_connecting(route):
        if saved:  # the reload that follows loads the client again
            route.continue_()
            return
        saved.append(True)
        server.write(CASE, server.read(CASE) + "\n\n加载时保存的一段。\n")
        deadline = time.time() + 10
        while "已重新生成" not in server.log.read_text():
            assert time.time() < deadline, server.log.read_text()
            time.sleep(0.05)
        route.continue_()

    page.route("**/livereload.js*", save_before_connecting)
    page.goto(server.url + "cases/yi-zhan-tong-xiao-neng/")
    expect(page.get_by_text("加载时保存的一段。")).to_be_visible(timeout=5000)
    assert server.alive


def test_a_new_case_appears_in_the_list(server, page):
    open_connected(page, server.url + "cases/")
    server.write("content/cases/xin-jing-yan.md", "---\ntitle: 刚刚添加的经验\ndate: 2010-03-01\n---\n正文。\n")
    expect(page.get_by_role("link", name="刚刚添加的经验")).to_be_visible(timeout=5000)
    assert server.alive


def test_broken_front_matter_shows_an_overlay_and_the_fix_recovers(server, page):
    open_connected(page, server.url + "cases/yi-zhan-tong-xiao-neng/")
    original = server.read(CASE)
    server.write(CASE, original.replace("date: 2008-10-16", "date: 2008-02-30"))
    overlay = page.locator("#build-error")
    expect(overlay).to_be_visible(timeout=5000)
    expect(overlay).to_contain_text("content/cases/yi-zhan-tong-xiao-neng.md:3: 第 3 行：日期（date）写成了 '2008-02-30'")
    expect(overlay.get_by_role("heading")).to_have_text("生成出错")
    expect(page.get_by_role("heading", level=1)).to_have_text("“一站通”：把群众办事的路变短")  # last good page below
    assert server.alive
    server.write(CASE, original + "\n\n改好了。\n")
    expect(page.get_by_text("改好了。")).to_be_visible(timeout=5000)
    expect(overlay).to_have_count(0)
    assert server.alive


def test_a_stylesheet_edit_applies_without_reloading_the_page(server, page):
    open_connected(page, server.url)
    page.evaluate("window.notReloaded = true")
    css = "themes/default/static/style.css"
    server.write(css, server.read(css) + "\nbody { background: rgb(1, 2, 3); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=5000)
    assert page.evaluate("window.notReloaded") is True
    assert server.alive


def test_the_preview_serves_only_this_computer(server):
    outward = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    outward.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the machine's own address
    own_address = outward.getsockname()[0]
    outward.close()
    with socket.socket() as probe:
        probe.settimeout(1)
        reachable = probe.connect_ex((own_address, server.port)) == 0
    assert own_address == "127.0.0.1" or not reachable
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", server.port)) == 0
