"""`build.py serve`: a local preview that follows every save, with livereload doing the browser side.

livereload 2.7's own server loop is not used, because of six traps (issue 4):
- it drops any reload within 3 s of the previous one (LiveReloadHandler.DEFAULT_RELOAD_TIME):
  we call LiveReloadHandler.reload_waiters ourselves, once per finished rebuild, never throttled;
- it polls for changes every 0.8 s: our watcher (watch.py) is told by inotify at once;
- it runs the rebuild inside its server loop, so pages stall while building: rebuilds run in
  the watcher thread and the server keeps serving the last good pages meanwhile;
- it injects its script only before a literal </head>: we inject it ourselves, before </head>
  or </body> or at the end, and add the build-error overlay the same way.
- it counts a browser as listening only once the browser answered its hello, so a save made
  just after a page connected was lost: our handler counts the browser from its first hello;
- a save that lands while a page is reloading (no websocket yet) was lost too: each page carries
  the number of the build it shows and, once connected, asks for the current number, reloading
  if they differ.
We keep its websocket handler and its livereload.js (served from the package, no CDN), which
also swaps stylesheets in place when only CSS changed.
"""

from __future__ import annotations

import errno
import functools
import html
import ipaddress
import logging
import os
import signal
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from ..core.errors import BuildFailed, Problem, SiteError, os_problem
from ..core.lock import project_lock
from ..core.messages import said, say
from ..images.svg import SERVE_POLICY
from .rebuild import LiveSite
from .watch import make_watcher

SEARCH_QUIET_SECONDS = 1.0


def serve(root: Path, host: str, port: int, drafts: bool, open_browser: bool) -> int:
    """Build the preview, serve it, and rebuild on every change until interrupted."""
    preview = Preview(root, host, port, drafts)
    try:
        make_app(preview).listen(port, address=host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SiteError(say("serve.port_used", port=port),
                            hint=say("serve.port_used.hint", next=port + 1)) from None
        reason = say("serve.no_such_address") if exc.errno == errno.EADDRNOTAVAIL else exc.strerror or str(exc)
        raise SiteError(say("serve.cannot", host=host, port=port, reason=reason),
                        hint=say("serve.cannot.hint")) from None
    loop = ioloop.IOLoop.current()
    preview.start(loop)
    url = f"http://{host}:{port}/"
    print(said("serve.started", url=url, drafts=say("serve.drafts.shown" if drafts else "serve.drafts.hidden")),
          flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, [url]).start()
    terminated = []

    def stop_serving() -> None:
        terminated.append(True)
        loop.stop()

    # SIGTERM stops the loop between two requests. Through the loop, not signal.signal: the kernel may
    # hand the signal to the watcher or search thread, and a handler of Python's would then wait for
    # the sleeping loop to wake up by itself (asyncio's handler wakes it).
    loop.asyncio_loop.add_signal_handler(signal.SIGTERM, stop_serving)
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        loop.asyncio_loop.remove_signal_handler(signal.SIGTERM)
    print(said("serve.stopped"), file=sys.stderr)
    return 143 if terminated else 0


def make_app(preview: "Preview") -> web.Application:
    """The preview's web application: livereload's websocket and client, and the pages."""
    return web.Application([(r"/livereload", ReloadHandler, {"preview": preview}),
                            (r"/livereload.js", ClientHandler, {"preview": preview}),
                            (r"/__preview/generation", GenerationHandler, {"preview": preview}),
                            (r"/(.*)", PageHandler, {"path": str(preview.site.out_dir), "preview": preview})],
                           log_function=lambda handler: None)


class LocalOnly:
    """Answers only requests addressed to the preview itself (issue 13).

    A web page elsewhere can make a browser's requests go to 127.0.0.1 under a name of its own
    (DNS rebinding): such a request names the other site in its Host header, and its websocket
    names it as Origin. Both are refused.
    """

    preview: "Preview"

    def prepare(self) -> None:
        if not self.preview.addressed_to_me(self.request.host_name):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(said("serve.foreign_host", url=self.preview.url) + "\n")


class GenerationHandler(LocalOnly, web.RequestHandler):
    """The number of the latest build outcome, for a freshly loaded page to compare with its own."""

    def initialize(self, preview: "Preview") -> None:
        self.preview = preview

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish(str(self.preview.generation))


class ClientHandler(LocalOnly, LiveReloadJSHandler):
    """livereload's client script."""

    def initialize(self, preview: "Preview") -> None:
        self.preview = preview


class ReloadHandler(LocalOnly, LiveReloadHandler):
    """livereload's websocket, listening from the browser's first message on, for the preview's own pages only."""

    def initialize(self, preview: "Preview") -> None:
        self.preview = preview

    def check_origin(self, origin: str) -> bool:
        # livereload accepts any; a page elsewhere must not be told of every save or reload the preview
        try:
            parts = urlsplit(origin)
            return parts.scheme == "http" and self.preview.addressed_to_me(parts.hostname or "") and \
                (parts.port or 80) == self.preview.port
        except ValueError:
            return False

    def on_message(self, message: str | bytes) -> None:
        # The client knows the server once it has our hello; from then on it must get every reload.
        LiveReloadHandler.waiters.add(self)
        super().on_message(message)


class Preview:
    """The preview site, its watcher thread, and the build error currently shown, if any."""

    def __init__(self, root: Path, host: str, port: int, drafts: bool):
        self.site = LiveSite(root, root / ".cache" / "preview", f"http://{host}:{port}/", drafts)
        self.host, self.port = host, port
        self.problems: list[Problem] = []
        self._warned: list[Problem] = []
        self.generation = 0  # counts build outcomes; a page shows the one it was served at
        self._loop: ioloop.IOLoop | None = None
        self._search_wanted = threading.Event()
        # livereload's handler asks its watcher for a file name when it logs a reload.
        LiveReloadHandler.watcher = Watcher()
        LiveReloadHandler.live_css = True
        logging.getLogger("livereload").setLevel(logging.WARNING)

    def start(self, loop: ioloop.IOLoop) -> None:
        self._loop = loop
        watcher = make_watcher(self.site.root)  # before building, so no save during the build is missed
        self._rebuild(None)
        threading.Thread(target=self._watch, args=(watcher,), name="preview-watcher", daemon=True).start()
        threading.Thread(target=self._index_search, name="preview-search", daemon=True).start()

    def _watch(self, watcher) -> None:
        while True:
            self._rebuild(watcher.wait())

    def _rebuild(self, changed: set[Path] | None) -> None:
        """Rebuild, report in the terminal, and tell browsers to reload (or to swap stylesheets)."""
        try:
            with project_lock(self.site.root, "serve", self._say):
                outcome = self.site.rebuild(changed)
        except BuildFailed as failed:
            self._failed(failed.problems)
        except SiteError as exc:
            self._failed([exc.problem])
        except OSError as exc:  # a full disk must not end the watcher thread: say so, keep serving
            self._failed([os_problem(exc, self.site.root).problem])
        else:
            recovered = bool(self.problems)
            self.problems = []
            self.generation += 1
            print(said("serve.built" if outcome.full else "serve.rebuilt", pages=outcome.pages,
                       ms=outcome.seconds * 1000), flush=True)
            self._warn(outcome.warnings)
            self._reload("static/style.css" if outcome.styles_only and not recovered else "*")
            if outcome.pages and not outcome.full:
                self._search_wanted.set()  # after the reload: indexing takes seconds on a large site

    def _index_search(self) -> None:
        """Keep the preview's search index current, in the background, one run at a time.

        Indexing waits for SEARCH_QUIET_SECONDS without rebuilds: run beside a reload, it slowed
        the browser showing an edit by a third, and a burst of saves needs one index only.
        """
        while True:
            self._search_wanted.wait()
            self._search_wanted.clear()
            while self._search_wanted.wait(SEARCH_QUIET_SECONDS):  # another save: wait for quiet again
                self._search_wanted.clear()
            try:
                with project_lock(self.site.root, "serve", self._say):
                    self.site.refresh_search()
            except SiteError as exc:
                print(exc.problem.format(), file=sys.stderr, flush=True)
            except OSError:
                # A rebuild rewrote pages while they were read (the index process says so with EAGAIN);
                # it asks for a new index when it ends.
                continue

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def addressed_to_me(self, name: str) -> bool:
        """Whether a request naming this host is meant for the preview: this computer's own names, the
        address it was started on, and (started on every address, for colleagues) any IP address."""
        name = name.strip("[]").lower()
        if name in ("localhost", "127.0.0.1", "::1", self.host.strip("[]").lower()):
            return True
        if self.host in ("0.0.0.0", "::", ""):
            try:
                ipaddress.ip_address(name)
                return True
            except ValueError:
                return name in self._own_names
        return False

    @functools.cached_property
    def _own_names(self) -> set[str]:
        """This computer's names, looked up once (a lookup per request would stall the server)."""
        return {socket.gethostname().lower(), socket.getfqdn().lower()}

    @staticmethod
    def _say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def _warn(self, warnings: list[Problem]) -> None:
        """Tell each warning once, not again at every save while it stands (text left to fill in...)."""
        for problem in warnings:
            if problem not in self._warned:
                print(problem.format(), file=sys.stderr, flush=True)
        self._warned = list(warnings)

    def _failed(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.generation += 1
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        print(said("serve.failed"), file=sys.stderr, flush=True)
        self._reload("*")

    def _reload(self, path: str) -> None:
        if self._loop is not None:
            self._loop.add_callback(LiveReloadHandler.reload_waiters, path)

    def decorate(self, page: str, generation: int) -> str:
        """Add the livereload client, and the error overlay while a build error is pending."""
        # async: the client must not hold up showing the page it is about to reload.
        client = (f'<script src="/livereload.js?port={self.port}" async></script>'
                  f'<script>{CATCH_UP.replace("GENERATION", str(generation))}</script>')
        page = _insert(page, client, ("</head>", "</body>"))
        return _insert(page, error_overlay(self.problems), ("</body>",)) if self.problems else page


# Once livereload is connected (every later reload reaches the page), ask whether a build
# finished while the page was loading; if so the page is stale: reload it.
CATCH_UP = ("(function(){var t=setInterval(function(){var l=window.LiveReload;"
            "if(!l||!l.connector||l.connector.protocol<7)return;clearInterval(t);"
            "fetch('/__preview/generation',{cache:'no-store'}).then(function(r){return r.text()})"
            ".then(function(n){if(+n!==GENERATION)location.reload()})},50)})();")


def _insert(page: str, extra: str, markers: tuple[str, ...]) -> str:
    """Put `extra` before the first marker found, or at the end (</head> and </body> are optional)."""
    for marker in markers:
        if marker in page:
            return page.replace(marker, extra + marker, 1)
    return page + extra


def error_overlay(problems: list[Problem]) -> str:
    """A full-window message with every problem, styled inline so no theme can hide it."""
    items = "\n".join(html.escape(problem.format()) for problem in problems)
    return (
        '<div id="build-error" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;'
        'background:rgba(24,24,24,.95);color:#fff;padding:2rem;font:16px/1.7 system-ui,sans-serif">'
        f'<h2 style="margin:0 0 .5rem;color:#ffb3b3;font-size:1.4rem">{html.escape(said("overlay.title"))}</h2>'
        f'<p style="margin:0 0 1rem">{html.escape(said("overlay.text"))}</p>'
        f'<pre style="white-space:pre-wrap;font:15px/1.6 ui-monospace,monospace;margin:0">{items}</pre></div>')


class PageHandler(LocalOnly, web.StaticFileHandler):
    """Serves the preview folder; HTML pages get the livereload client (and the error overlay)."""

    def initialize(self, path: str, preview: Preview) -> None:
        super().initialize(path=path, default_filename="index.html")
        self.preview = preview

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")  # always revalidate: files change all the time
        if path.lower().endswith(".svg"):
            self.set_header("Content-Security-Policy", SERVE_POLICY)

    def compute_etag(self) -> str | None:
        # Pages are decorated per request (error overlay), so they get no ETag; other files do.
        return None if getattr(self, "absolute_path", None) is None else super().compute_etag()

    async def get(self, path: str, include_body: bool = True) -> None:
        if "\0" in path:  # no file has such a name; the operating system would refuse to look
            self.set_status(400)
            self.finish(said("serve.bad_address") + "\n")
            return
        target = Path(self.root) / path
        try:
            folder = target.is_dir()
            page = target / "index.html" if folder else target
            missing = not page.exists()
        except OSError:  # a name too long for the system: no such page
            folder, page, missing = False, target, True
        if folder and path and not path.endswith("/"):
            self.redirect(f"/{path}/", permanent=False)
            return
        if page.suffix == ".html" or missing:
            self._send_page(page)
            return
        await super().get(path, include_body)

    def _send_page(self, page: Path) -> None:
        root = Path(self.root).resolve()
        generation = self.preview.generation  # before reading: a build finishing meanwhile makes it reload
        status, text = 200, _read_page(page) if os.path.realpath(page).startswith(f"{root}{os.sep}") else None
        if text is None:  # no such page, or a rebuild removed it a moment ago
            status, text = 404, _read_page(root / "404.html") or "<!DOCTYPE html><title>404</title>"
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.preview.decorate(text, generation))


def _read_page(page: Path) -> str | None:
    try:
        return page.read_text(encoding="utf-8")
    except OSError:  # gone, a folder, or a name the system refuses
        return None
