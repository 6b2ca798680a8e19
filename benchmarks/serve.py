"""Preview benchmark: edit one case of a 1000-case column in a real browser and time the round trip.

    .venv/bin/python benchmarks/serve.py [--cases 1000] [--edits 20]

Generates a column of N cases (the sample site plus generated ones, seeded), starts
`build.py serve`, opens a case in Chromium, then 20 times writes a new sentence into that case and
measures the time from the file write to the sentence being visible. Also prints the rebuild time
the server reports, and the single-case rebuild time at several sizes to show it does not grow
with the number of cases. Target (issue 4): median edit-to-visible <= 300 ms at 1000 cases.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from brandcolumn.preview.rebuild import LiveSite  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BRANDS = ["xin-qiao", "yi-zhan-tong", "an-xin-lu", "ren-xin", "lin-li-qing", "xian-feng-yi-zhan"]
TAGS = ["窗口服务", "效能建设", "星级管理", "形象视觉设计", "社会监督", "长效机制", "联合创建", "社区服务"]


def make_site(root: Path, cases: int) -> Path:
    """Copy the sample site and add generated cases up to `cases`; return the case to edit."""
    for name in ("content", "assets", "themes"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "site.yml", root / "site.yml")
    body = (PROJECT / "content/cases/yi-zhan-tong-xiao-neng.md").read_text(encoding="utf-8").split("---", 2)[2]
    rng = random.Random(2008)
    existing = len(list((root / "content/cases").glob("*.md")))
    for i in range(cases - existing):
        front = (f"---\ntitle: 经验交流第{i}篇\ndate: 20{rng.randint(6, 9):02d}-{rng.randint(1, 12):02d}-"
                 f"{rng.randint(1, 28):02d}\nunit: 市级机关单位{rng.randint(1, 40)}\nbrands: [{rng.choice(BRANDS)}]\n"
                 f"tags: [{', '.join(rng.sample(TAGS, 2))}]\n---\n")
        (root / f"content/cases/gen-{i:05d}.md").write_text(front + body, encoding="utf-8")
    return root / "content/cases/yi-zhan-tong-xiao-neng.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_round_trips(root: Path, case: Path, edits: int) -> tuple[list[float], list[float]]:
    """Seconds from each write to the text showing in Chromium, and the server's rebuild times."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    log = root / "serve.log"
    server = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "--lang", "en", "--site", str(root), "serve",
                               "--port", str(port)], stdout=log.open("w"), stderr=subprocess.STDOUT)
    original = case.read_text(encoding="utf-8")
    latencies = []
    try:
        deadline = time.time() + 120
        while "previewing on" not in log.read_text() and time.time() < deadline:
            time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/cases/{case.stem}/")
            page.wait_for_function("window.LiveReload !== undefined")
            time.sleep(1)
            for i in range(edits):
                marker = f"第{i}次修改{int(time.time() * 1000)}"
                started = time.perf_counter()
                case.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
                page.wait_for_function(f"document.body && document.body.innerText.includes('{marker}')", timeout=20000)
                latencies.append(time.perf_counter() - started)
                time.sleep(1.0)
            browser.close()
    finally:
        case.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(10)
    rebuilds = [float(ms) / 1000 for ms in re.findall(r"rebuilt \d+ pages? in (\d+) ms", log.read_text())]
    return latencies, rebuilds


def rebuild_seconds(cases: int, edits: int = 10) -> float:
    """Median time of LiveSite.rebuild after one case edit, at a given size."""
    with tempfile.TemporaryDirectory(prefix="bench-rebuild-") as folder:
        root = Path(folder) / "site"
        case = make_site(root, cases)
        live = LiveSite(root, Path(folder) / "preview", "http://127.0.0.1:8000/", drafts=False)
        live.full()
        original = case.read_text(encoding="utf-8")
        times = []
        for i in range(edits):
            case.write_text(original + f"\n\n修改{i}\n", encoding="utf-8")
            started = time.perf_counter()
            live.rebuild({case})
            times.append(time.perf_counter() - started)
        return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        root = Path(folder) / "site"
        case = make_site(root, args.cases)
        latencies, rebuilds = browser_round_trips(root, case, args.edits)
    ms = [value * 1000 for value in latencies]
    print(f"{args.cases} cases, {len(ms)} edits: edit-to-visible median {statistics.median(ms):.0f} ms, "
          f"max {max(ms):.0f} ms")
    if rebuilds:
        print(f"rebuild alone (server log): median {statistics.median(rebuilds) * 1000:.0f} ms, "
              f"max {max(rebuilds) * 1000:.0f} ms")
    for size in (100, args.cases):
        print(f"single-case rebuild at {size} cases: median {rebuild_seconds(size) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
