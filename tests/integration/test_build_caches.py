"""What makes a warm build fast, and proof that none of it ever serves stale output.

- `build` with nothing changed since the last build says so and stops (uptodate.py);
- .cache/parsed/: each source file's parse, keyed by its bytes, path, settings, code and library versions;
- unchanged output files are hard links to the previous build's (same bytes, same modification time);
- parsing and rendering use both cores on a large site, with the same result as one core.

Tests of the parse cache call the builder itself, which always builds; `build.py build` may stop early.
"""

from __future__ import annotations

import re
import shutil
import textwrap

import pytest

from brandcolumn.build.pipeline import BuildOptions, build
from brandcolumn.cache import parsecache
from brandcolumn.core import fingerprint
from brandcolumn.core.config import load_config
from brandcolumn.load import content
from sitekit import MINIMAL, png_bytes, run_build, tree_digest, write_files

CASE = "content/cases/hello.md"


@pytest.fixture
def parses(monkeypatch):
    """Counts the Markdown files actually parsed (not taken from the cache)."""
    counted = []
    real = content.render_markdown

    def counting(text, path, *args):
        counted.append(path)
        return real(text, path, *args)

    monkeypatch.setattr(content, "render_markdown", counting)
    return counted


def test_a_warm_build_parses_nothing_and_an_edit_parses_one_file(make_site, parses):
    root = make_site({"content/pages/about.md": "---\ntitle: 关于\n---\n本专栏。\n"})
    build(root)
    assert sorted(parses) == ["content/cases/hello.md", "content/pages/about.md"]
    parses.clear()
    build(root)
    assert parses == []
    write_files(root, {CASE: textwrap.dedent(MINIMAL[CASE]) + "\n新写的一句。\n"})
    build(root)
    assert parses == [CASE]
    assert "新写的一句" in (root / "output/cases/hello/index.html").read_text(encoding="utf-8")


def test_a_changed_setting_parses_everything_again(make_site, parses):
    root = make_site()
    build(root)
    parses.clear()
    write_files(root, {"site.yml": textwrap.dedent(MINIMAL["site.yml"]) + "description: 新的简介\n"})
    build(root)
    assert parses == [CASE]


def test_a_new_library_version_parses_everything_again(make_site, parses, monkeypatch):
    root = make_site()
    build(root)
    parses.clear()
    real = fingerprint.metadata.version
    monkeypatch.setattr(fingerprint.metadata, "version", lambda name: "99.0" if name == "Markdown" else real(name))
    build(root)
    assert parses == [CASE]


def test_a_change_to_the_code_changes_the_fingerprint(make_site, tmp_path, monkeypatch):
    config = load_config(make_site())
    package = tmp_path / "package"
    shutil.copytree(fingerprint.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE", package)
    before = parsecache.fingerprint(config)
    assert parsecache.fingerprint(config) == before
    markup = package / "load/markup.py"
    markup.write_text(markup.read_text() + "\n# a change\n")
    assert parsecache.fingerprint(config) != before


def test_a_damaged_cache_entry_is_parsed_again(make_site, parses):
    root = make_site()
    build(root)
    before = tree_digest(root / "output")
    for entry in (root / ".cache/parsed").iterdir():
        entry.write_bytes(b"not a pickle")
    parses.clear()
    build(root)
    assert parses == [CASE] and tree_digest(root / "output") == before


def test_entries_of_removed_files_are_pruned(make_site):
    root = make_site({"content/cases/bye.md": "---\ntitle: 再会\ndate: 2008-06-01\n---\n正文。\n"})
    build(root)
    count = len(list((root / ".cache/parsed").iterdir()))
    write_files(root, {"content/cases/bye.md": None})
    build(root)
    assert len(list((root / ".cache/parsed").iterdir())) == count - 1


def test_unchanged_pages_are_linked_from_the_last_build_and_changed_ones_written(make_site, capsys):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    old = {path: path.stat() for path in (root / "output").rglob("*.html")}
    write_files(root, {"themes/default/templates/case.html": (
        "{% extends 'base.html' %}{% block content %}<p>新的文章模板</p>{% endblock %}")})
    assert run_build(root, capsys)[0] == 0
    case_page = root / "output/cases/hello/index.html"
    assert "新的文章模板" in case_page.read_text(encoding="utf-8")
    assert case_page.stat().st_ino != old[case_page].st_ino
    about = root / "output/index.html"
    assert (about.stat().st_ino, about.stat().st_mtime_ns) == (old[about].st_ino, old[about].st_mtime_ns)


def many_cases(count: int) -> dict[str, str]:
    return {f"content/cases/case-{i:03d}.md": (
        f"---\ntitle: 第{i}篇经验\ndate: 2008-{i % 12 + 1:02d}-{i % 28 + 1:02d}\nunit: 昆山市地方税务局\n"
        f"brands: [xin-qiao]\ntags: [标签{i % 7}]\n---\n## 做法{i}\n\n正文第{i}篇。[上一篇](/cases/case-{max(i - 1, 0):03d}/)\n")
        for i in range(count)}


@pytest.mark.slow
def test_both_cores_build_exactly_what_one_core_builds(make_site, capsys):
    root = make_site(many_cases(260))  # enough to parse (64) and render (200) in two processes
    one = build(root, BuildOptions(root / "one", workers=1))
    shutil.rmtree(root / ".cache/parsed")
    two = build(root, BuildOptions(root / "two", workers=2))
    assert one.pages == two.pages > 260
    shutil.rmtree(root / "two/pagefind"), shutil.rmtree(root / "one/pagefind")
    assert tree_digest(root / "one") == tree_digest(root / "two")
    assert len(list((root / ".cache/parsed").iterdir())) == 260 + 3  # and hello.md, the brand, the naming list


def test_a_template_error_found_by_a_worker_names_its_file_and_line(make_site, capsys):
    root = make_site({**many_cases(260), "themes/default/templates/case.html": (
        "{% extends 'base.html' %}{% block content %}\n{{ case.nothing.deeper }}{% endblock %}")})
    with pytest.raises(Exception) as raised:
        build(root, BuildOptions(workers=2))
    assert "templates/case.html:2" in str(raised.value)


UP_TO_DATE = re.compile(r"不用重新生成：上次生成以来没有改动（\d+ 个网页，\d+ 个图片文件），用时 \d+\.\d 秒 -> \S+/output\n")


def test_an_unchanged_site_is_not_built_again_and_its_warnings_are_told_again(make_site, capsys):
    root = make_site({"content/cases/hello.md": textwrap.dedent(MINIMAL[CASE]) + "\n![](logos/xin-qiao.png)\n"})
    code, out, first_warnings = run_build(root, capsys)
    assert code == 0 and "图片“logos/xin-qiao.png”没有文字说明" in first_warnings
    before = {path: path.stat() for path in (root / "output").rglob("*")}
    code, out, err = run_build(root, capsys)
    assert code == 0 and UP_TO_DATE.fullmatch(out) and err == first_warnings
    assert {path: path.stat() for path in (root / "output").rglob("*")} == before
    code, out, err = run_build(root, capsys, "--lang", "en")  # the remembered warning, in today's language
    assert out.startswith("up to date: nothing changed since the last build")
    assert err.startswith("content/cases/hello.md:11: warning: image 'logos/xin-qiao.png' has no alt text\n")


@pytest.mark.parametrize("change", [
    {CASE: textwrap.dedent(MINIMAL[CASE]) + "改了一句。\n"},
    {"assets/photos/new.png": png_bytes()},
    {"themes/default/templates/case.html": "{% extends 'base.html' %}{% block content %}新模板{% endblock %}"},
    {"site.yml": textwrap.dedent(MINIMAL["site.yml"]) + "footer: 新的页脚\n"},
])
def test_any_changed_input_builds_again(make_site, capsys, change):
    root = make_site()
    run_build(root, capsys)
    write_files(root, change)
    code, out, _ = run_build(root, capsys)
    assert code == 0 and out.startswith("生成完毕：")


def test_a_new_library_version_builds_again(make_site, capsys, monkeypatch):
    root = make_site()
    run_build(root, capsys)
    real = fingerprint.metadata.version  # the one importlib.metadata every cache asks
    monkeypatch.setattr(fingerprint.metadata, "version", lambda name: "9.9" if name == "Jinja2" else real(name))
    assert run_build(root, capsys)[1].startswith("生成完毕：")


@pytest.mark.parametrize("damage", ["edit", "delete"])
def test_output_changed_by_hand_is_built_again(make_site, capsys, damage):
    root = make_site()
    run_build(root, capsys)
    before = tree_digest(root / "output")
    page = root / "output/cases/hello/index.html"
    page.write_text("changed by hand") if damage == "edit" else page.unlink()
    code, out, _ = run_build(root, capsys)
    assert code == 0 and out.startswith("生成完毕：")
    assert tree_digest(root / "output") == before


def test_another_output_folder_is_built(make_site, capsys):
    root = make_site()
    run_build(root, capsys)
    code, out, _ = run_build(root, capsys, "-o", str(root / "elsewhere"))
    assert code == 0 and out.startswith("生成完毕：") and (root / "elsewhere/index.html").is_file()


def test_a_build_elsewhere_leaves_the_times_of_published_images_alone(make_site, tmp_path):
    root = make_site()
    build(root)
    logo = next((root / "output/images").iterdir())
    before = logo.stat().st_mtime_ns
    build(root, BuildOptions(tmp_path / "elsewhere"))  # links the same cached variants
    assert logo.stat().st_mtime_ns == before  # the output's record (reuse.py, uptodate.py) still holds


def test_a_cached_image_used_again_after_a_day_counts_as_young(make_site):
    import os
    import time

    from brandcolumn.images import encode
    root = make_site()
    build(root)
    cached = next((root / ".cache/images").iterdir())
    old = time.time() - encode.REFRESH_SECONDS - 60
    os.utime(cached, (old, old))
    build(root)  # a build that needs nothing new from the cache
    assert cached.stat().st_mtime > time.time() - 60  # not pruned as unused after 30 days


def test_a_damaged_cached_image_is_made_again_not_published(make_site, capsys):
    """Issue 13: outputs are hard links to .cache/images, so a damaged cache file was published as it was."""
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    published = sorted((root / "output/images").iterdir())
    good = {path.name: path.read_bytes() for path in published}
    victim = root / ".cache/images" / published[0].name
    victim.write_bytes(victim.read_bytes()[:100] + b"\0" * 50)  # same inode as the published copy
    write_files(root, {"content/cases/hello.md": MINIMAL["content/cases/hello.md"] + "又一段。\n"})  # not up to date
    code, out, err = run_build(root, capsys)
    assert code == 0
    assert err == ("【警告】缓存里有 1 个图片文件损坏，已重新生成\n"
                   "  提示：经常出现时请检查磁盘\n")
    assert {path.name: path.read_bytes() for path in (root / "output/images").iterdir()} == good
    assert "（新生成 1 个）" in out


def test_images_cached_before_their_sums_were_kept_are_trusted_not_made_again(make_site, capsys):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    (root / ".cache/images/sums.json").unlink()  # as a cache from before sums were kept
    write_files(root, {"content/cases/hello.md": MINIMAL["content/cases/hello.md"] + "又一段。\n"})
    code, out, err = run_build(root, capsys)
    assert (code, err) == (0, "") and "（新生成 0 个）" in out
    assert (root / ".cache/images/sums.json").is_file()
