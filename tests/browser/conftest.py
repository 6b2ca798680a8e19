"""Browser fixtures: Debian's chromium driven by Playwright, and the sample output on a local server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    executable = shutil.which("chromium")
    assert executable, "Chromium is missing: apt-get install chromium fonts-noto-cjk (see README)"
    return {"executable_path": executable, "args": CHROMIUM_ARGS}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served_sample(sample_output, tmp_path_factory):
    """The sample output served at http://127.0.0.1:<port>/jgjs/pinpai/, as on the city's host."""
    webroot = tmp_path_factory.mktemp("webroot")
    (webroot / "jgjs").mkdir()
    (webroot / "jgjs/pinpai").symlink_to(sample_output)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(webroot)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jgjs/pinpai/"
    server.shutdown()
