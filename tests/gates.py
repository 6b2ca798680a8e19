"""Quality gates over built pages, each returning the problems it finds as readable lines.

The tests run every gate over the sample site, where each must find nothing, and over pages
broken on purpose (tests/*/test_gates_catch_breakage.py), where each must find exactly the
breakage, so a gate that has stopped looking cannot pass unnoticed.

- audit_page: a page in Chromium: console errors, failed requests, images that did not load,
  sideways scrolling.
- axe_violations: WCAG 2.1 A and AA, by axe-core injected into the page.
- nu_errors: HTML validity, by the Nu Html Checker, in one call over a whole folder.
- atom_problems, sitemap_problems: the feed against RFC 4287's RELAX NG grammar and rules, the
  sitemap against the Sitemaps protocol.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from sitekit import PROJECT

NODE_MODULES = PROJECT / "node_modules"
AXE = NODE_MODULES / "axe-core/axe.min.js"
VNU = NODE_MODULES / "vnu-jar/build/dist/vnu.jar"
SCHEMAS = PROJECT / "tests/schemas"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_folder(webroot: Path) -> Iterator[str]:
    """Serve `webroot` over HTTP on 127.0.0.1 and yield its address (ending in a slash)."""
    handler = functools.partial(_QuietHandler, directory=str(webroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


# --- a page in Chromium -------------------------------------------------------------------------

# Images the page shows (hidden ones are never fetched), and those of them that did not arrive.
_SHOWN_IMAGES = "[...document.images].filter(i => i.getClientRects().length > 0)"
_BROKEN_IMAGES = f"{_SHOWN_IMAGES}.filter(i => i.complete && i.naturalWidth === 0).map(i => i.currentSrc || i.src)"
_PENDING_IMAGES = f"{_SHOWN_IMAGES}.filter(i => !i.complete).length"


def _show_every_image(page) -> None:
    """Scroll down the page a screen at a time, as a reader would, so lazy images load; then wait for them.

    Each step is its own call so the page renders in between (lazy loading is decided when it
    renders), and waiting is done from here, since a page opened without JavaScript runs no timers.
    """
    height, screen = page.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    for top in range(0, height, max(screen // 2, 100)):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(20)
    for _ in range(50):
        if not page.evaluate(_PENDING_IMAGES):
            break
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


def audit_page(page, url: str) -> list[str]:
    """Open `url` in `page`; what went wrong: console errors, failed requests, broken images, overflow."""
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console error: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400
            and problems.append(f"HTTP {response.status}: {response.url}"))
    page.goto(url, wait_until="load")
    _show_every_image(page)
    problems += [f"image did not load: {src}" for src in page.evaluate(_BROKEN_IMAGES)]
    problems += [f"image still loading: {count} of them" for count in [page.evaluate(_PENDING_IMAGES)] if count]
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > viewport:
        problems.append(f"scrolls sideways: {width} px wide in a {viewport} px window")
    return problems


def open_as_without_javascript(page, url: str) -> None:
    """Open `url` as a browser with JavaScript off shows it (its scripts dropped, <noscript> content
    shown), in a page that still runs JavaScript: axe-core needs timers, which a page opened with
    JavaScript off never runs."""
    html = page.request.get(url).text()
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    html = re.sub(r"</?noscript>", "", html)
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.goto(url, wait_until="networkidle")
    page.unroute(url)


@functools.cache
def _axe_source() -> str:
    assert AXE.is_file(), "axe-core is missing: run `npm ci` (see README)"
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, context: str | None = None) -> list[str]:
    """WCAG 2.1 A and AA violations axe-core finds on the page as it is now (in `context`, a selector)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())  # rather than a <script>: pages may forbid inline scripts
    found = page.evaluate("""async ([context, tags]) => {
      const result = await axe.run(context || document, {runOnly: {type: "tag", values: tags}});
      return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          targets: v.nodes.map(n => n.target.join(" "))}));
    }""", [context, WCAG_21_A_AA])
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'][:5])}" for v in found]


# --- HTML validity --------------------------------------------------------------------------------

def nu_errors(folder: Path) -> list[str]:
    """Errors the Nu Html Checker finds in every .html file under `folder` (one Java run), as file:line: text."""
    java = shutil.which("java")
    assert java, "Java is missing: apt-get install default-jre-headless (see README)"
    assert VNU.is_file(), "the Nu Html Checker is missing: run `npm ci` (see README)"
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json",
                          str(folder)], capture_output=True, text=True)
    report = json.loads(run.stderr or run.stdout)
    problems = []
    for message in report["messages"]:
        where = message.get("url", "").removeprefix("file:")
        with contextlib.suppress(ValueError):
            where = str(Path(where).relative_to(folder.resolve()))
        problems.append(f"{where}:{message.get('lastLine', '?')}: {message['type']}: {message['message']}")
    assert problems or run.returncode == 0, run.stderr
    return problems


# --- feed and sitemap -----------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# RFC 4287 section 3.3: an RFC 3339 date-time, with an uppercase T and Z and a time zone.
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


@functools.cache
def _atom_grammar():
    import rnc2rng
    from lxml import etree
    rng = rnc2rng.dumps(rnc2rng.loads((SCHEMAS / "atom.rnc").read_text(encoding="utf-8")))
    # rnc2rng declares the empty namespace as a prefix (xmlns:local=""), which XML 1.0 forbids;
    # the grammar refers to it only as <nsName ns=""/>, so the declaration can go.
    return etree.RelaxNG(etree.fromstring(rng.replace('xmlns:local=""', "").encode()))


@functools.cache
def _sitemap_schema():
    from lxml import etree
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))


def _parse(path: Path) -> tuple[object | None, list[str]]:
    from lxml import etree
    try:
        return etree.parse(str(path)), []
    except etree.XMLSyntaxError as exc:
        return None, [f"{path.name}:{exc.lineno}: not well-formed XML: {exc.msg}"]


def _schema_errors(schema, tree, path: Path) -> list[str]:
    return [] if schema.validate(tree) else [f"{path.name}:{e.line}: {e.message}" for e in schema.error_log]


def atom_problems(path: Path) -> list[str]:
    """Where the feed breaks RFC 4287: its RELAX NG grammar, then the rules the grammar cannot say."""
    tree, problems = _parse(path)
    if tree is None:
        return problems
    problems = _schema_errors(_atom_grammar(), tree, path)
    feed = tree.getroot()
    entries = feed.findall(f"{ATOM}entry")
    if feed.find(f"{ATOM}author") is None and any(e.find(f"{ATOM}author") is None for e in entries):
        problems.append(f"{path.name}:{feed.sourceline}: the feed has no author, and not every entry has one")
    for element in feed.iter(f"{ATOM}updated", f"{ATOM}published"):
        if not RFC3339.fullmatch((element.text or "").strip()):
            problems.append(f"{path.name}:{element.sourceline}: {element.text!r} is not an RFC 3339 date-time")
    for element in feed.iter(f"{ATOM}id"):
        if not ABSOLUTE_IRI.fullmatch((element.text or "").strip()):
            problems.append(f"{path.name}:{element.sourceline}: id {element.text!r} is not an absolute IRI")
    seen: set[str] = set()
    for entry in entries:
        problems += _entry_problems(entry, path, seen)
    return problems


def _entry_problems(entry, path: Path, seen_ids: set[str]) -> list[str]:
    where = f"{path.name}:{entry.sourceline}"
    problems = []
    links = entry.findall(f"{ATOM}link")
    alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
    content = entry.find(f"{ATOM}content")
    if content is None and not alternates:
        problems.append(f"{where}: an entry without content needs a link rel=alternate")
    if content is not None and (content.get("src") or content.get("type", "text") not in ("text", "html", "xhtml")) \
            and entry.find(f"{ATOM}summary") is None:
        problems.append(f"{where}: an entry whose content is not inline text needs a summary")
    kinds = [(link.get("type"), link.get("hreflang")) for link in alternates]
    if len(kinds) != len(set(kinds)):
        problems.append(f"{where}: two alternate links with the same type and hreflang")
    entry_id = (entry.findtext(f"{ATOM}id") or "").strip()
    if entry_id in seen_ids:
        problems.append(f"{where}: entry id {entry_id} is used twice")
    seen_ids.add(entry_id)
    return problems


def sitemap_problems(path: Path, base_url: str) -> list[str]:
    """Where the sitemap breaks the Sitemaps protocol: its schema, size, and URLs outside `base_url`."""
    tree, problems = _parse(path)
    if tree is None:
        return problems
    problems = _schema_errors(_sitemap_schema(), tree, path)
    if path.stat().st_size > 50 * 1024 * 1024:
        problems.append(f"{path.name}: larger than 50 MB")
    seen: set[str] = set()
    for loc in tree.getroot().iter(f"{SITEMAP}loc"):
        url = (loc.text or "").strip()
        if not url.startswith(base_url):
            problems.append(f"{path.name}:{loc.sourceline}: {url} is outside the site ({base_url})")
        if url in seen:
            problems.append(f"{path.name}:{loc.sourceline}: {url} is listed twice")
        seen.add(url)
    return problems
