"""Whole builds: reproducible, atomic, safe about where they write, and right under a sub-path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from brandcolumn.build import pipeline
from brandcolumn.cli import main
from sitekit import MINIMAL, PROJECT, jpeg_bytes, png_bytes, run_build, search_documents, tree_digest, write_files


def case(front_matter: str, body: str = "正文。\n") -> str:
    return "---\n" + front_matter + "---\n" + body


def test_build_prints_a_one_line_summary(make_site, capsys):
    code, out, err = run_build(make_site(), capsys)
    assert (code, err) == (0, "")
    assert re.fullmatch(r"生成完毕：17 个网页、9 个图片文件（新生成 9 个），用时 \d+\.\d 秒 -> \S+/output\n", out)
    code, out, err = run_build(make_site({"content/news.yml": "[]\n"}), capsys, "--lang", "en")
    assert re.fullmatch(r"built 17 pages \(0 rendered, 17 unchanged\) and 9 image files \(0 encoded\) in \d+\.\d s"
                        r" -> \S+/output\n", out)


@pytest.mark.slow
def test_two_builds_are_byte_identical_even_with_a_cold_cache(sample_site, tmp_path, capsys):
    first = tree_digest(sample_site / "output")
    shutil.rmtree(sample_site / ".cache")
    code, out, _ = run_build(sample_site, capsys, "--output", str(tmp_path / "again"))
    published, encoded = map(int, re.search(r"、(\d+) 个图片文件（新生成 (\d+) 个）", out).groups())
    assert code == 0 and published == encoded == len(list((tmp_path / "again/images").iterdir()))
    assert tree_digest(tmp_path / "again") == first


def test_warm_build_encodes_no_image(sample_site, tmp_path, capsys):
    code, out, _ = run_build(sample_site, capsys, "--output", str(tmp_path / "warm"))
    assert code == 0 and re.search(r"、\d+ 个图片文件（新生成 0 个）", out)


def test_urls_follow_base_url_at_the_domain_root(make_site, capsys):
    root = make_site({"site.yml": "title: 专栏\nbase_url: https://example.gov.cn\n"})
    assert run_build(root, capsys)[0] == 0
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert '<a href="/brands/xin-qiao/">' not in html
    assert '<a class="chip" href="/brands/xin-qiao/">心桥</a>' in html
    assert '<link rel="canonical" href="https://example.gov.cn/cases/hello/">' in html


def test_links_written_in_markdown_follow_the_sub_path(make_site, capsys):
    root = make_site({"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/jgjs/pinpai/\n",
                      "content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n",
                                                     "见[心桥](/brands/xin-qiao/)和[外链](https://www.gov.cn/)。\n")})
    assert run_build(root, capsys)[0] == 0
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert '<a href="/jgjs/pinpai/brands/xin-qiao/">心桥</a>' in html
    assert '<a href="https://www.gov.cn/">外链</a>' in html


def test_markdown_is_sanitized_in_the_published_page(make_site, capsys):
    body = ('<script>alert(1)</script>\n\n<p onclick="steal()">段落</p>\n\n[点我](javascript:alert(2))\n\n'
            '<iframe src="https://evil.example/"></iframe>\n')
    root = make_site({"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", body)})
    assert run_build(root, capsys)[0] == 0
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    prose = html.split('<div class="prose">')[1].split("</div>")[0]
    assert "<script" not in prose and "alert(1)" not in html
    scripts = re.findall(r"<script[^>]*>", html)  # the theme's own: its settings in <head>, and site.js
    assert scripts[0] == "<script>" and re.fullmatch(r'<script src="/static/site.js\?v=\w+" defer>', scripts[1])
    assert len(scripts) == 2
    assert "onclick" not in html and "javascript:" not in html and "<iframe" not in html
    assert "<p>段落</p>" in prose and "<a>点我</a>" in prose


def test_title_with_markup_is_escaped(make_site, capsys):
    root = make_site({"content/cases/hello.md": case('title: "<b>粗体</b> & 符号"\ndate: 2008-01-01\n')})
    assert run_build(root, capsys)[0] == 0
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert "<h1>&lt;b&gt;粗体&lt;/b&gt; &amp; 符号</h1>" in html


def test_cases_list_is_paginated(make_site, capsys):
    files = {f"content/cases/c{i}.md": case(f"title: 第{i}篇\ndate: 2008-01-{i:02d}\n") for i in range(1, 6)}
    root = make_site({**files, "site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\nper_page: 2\n"})
    assert run_build(root, capsys)[0] == 0
    out = root / "output/cases"
    assert (out / "page/2/index.html").is_file() and (out / "page/3/index.html").is_file()
    assert not (out / "page/4").exists()
    last = (out / "page/3/index.html").read_text(encoding="utf-8")
    assert re.findall(r"<h2><a [^>]+>([^<]+)</a>", last) == ["第2篇", "第1篇"]
    assert '<a href="/cases/page/2/" rel="prev">上一页</a>' in last
    assert '<span aria-current="page">3</span>' in last


def test_drafts_are_left_out_of_the_build(make_site, capsys):
    root = make_site({"content/cases/later.md": case("title: 草稿\ndate: 2009-01-01\ndraft: true\n")})
    assert run_build(root, capsys)[0] == 0
    assert not (root / "output/cases/later").exists()
    assert "草稿" not in (root / "output/cases/index.html").read_text(encoding="utf-8")


def test_build_drafts_shows_them_in_a_folder_of_its_own_never_in_output(make_site, capsys):
    root = make_site({"content/cases/later.md": case("title: 草稿\ndate: 2009-01-01\ndraft: true\nunit: 只在草稿里的单位\n"),
                      "content/pages/plan.md": "---\ntitle: 工作计划\nnav: true\ndraft: true\n---\n明年的计划。\n"})
    assert run_build(root, capsys)[0] == 0
    assert "工作计划" not in (root / "output/index.html").read_text(encoding="utf-8")
    code, out, _ = run_build(root, capsys, "--drafts")
    assert code == 0 and out.endswith(f"-> {root / 'output-drafts'}\n")
    assert not (root / "output/cases/later").exists()
    drafts = root / "output-drafts"
    page = (drafts / "cases/later/index.html").read_text(encoding="utf-8")
    assert '<p class="draft-notice" role="note"><strong>草稿</strong>：这一篇还没有发布' in page
    assert '<h1>草稿 <span class="draft-mark">草稿</span></h1>' in page and "<title>（草稿）草稿 - " in page
    hello = (drafts / "cases/hello/index.html").read_text(encoding="utf-8")
    assert '<a href="/plan/">工作计划 <span class="draft-mark">草稿</span></a></li>' in hello  # in the menu
    assert '<span>下一篇（较新）</span>草稿 <span class="draft-mark">草稿</span></a>' in hello
    listed = (drafts / "cases/index.html").read_text(encoding="utf-8")
    assert '<a href="/cases/later/">草稿</a> <span class="draft-mark">草稿</span>' in listed
    assert '<a href="/cases/hello/">第一篇经验</a></h2>' in listed  # a published case is not marked
    for announced in ("feed.xml", "sitemap.xml"):  # never announced, even where drafts are shown
        text = (drafts / announced).read_text(encoding="utf-8")
        assert "/cases/later/" not in text and "/cases/hello/" in text
    assert "/cases/later/" not in search_documents(drafts) and "/cases/hello/" in search_documents(drafts)
    search_page = (drafts / "search/index.html").read_text(encoding="utf-8")
    assert "只在草稿里的单位" not in search_page and "2009" not in search_page  # no filter finds nothing
    assert run_build(root, capsys, "--drafts")[1].startswith("不用重新生成：上次生成以来没有改动（20 个网页")
    code, _, err = run_build(root, capsys, "--drafts", "--output", str(root / "output"))
    assert (code, err) == (1, "草稿不能生成到 output/（output/ 是要发布的）\n"
                              "  提示：去掉 --output，草稿会生成到 output-drafts/\n"
                              "生成失败：1 个错误；output/ 保持原样，没有改动\n")
    assert not (root / "output/cases/later").exists()


def test_a_site_theme_overrides_single_templates_and_static_files(make_site, capsys):
    root = make_site({
        "site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: kunshan\n",
        "themes/kunshan/templates/case.html": '{% extends "base.html" %}{% block content %}<p class="mine">{{ case.title }}</p>{% endblock %}',
        "themes/kunshan/static/style.css": "body { color: navy; }\n",
    })
    assert run_build(root, capsys)[0] == 0
    out = root / "output"
    assert '<p class="mine">第一篇经验</p>' in (out / "cases/hello/index.html").read_text(encoding="utf-8")
    assert 'aria-label="主导航"' in (out / "cases/hello/index.html").read_text(encoding="utf-8")  # base.html from default
    assert "<h1>心桥</h1>" in (out / "brands/xin-qiao/index.html").read_text(encoding="utf-8")
    assert (out / "static/style.css").read_text() == "body { color: navy; }\n"


def test_template_error_names_the_template_line_and_keeps_output(make_site, capsys):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    before = tree_digest(root / "output")
    write_files(root, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
                       "themes/mine/templates/case.html": '{% extends "base.html" %}\n{% block content %}\n{{ case.titel }}\n{% endblock %}\n'})
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.startswith("themes/mine/templates/case.html:3: 第 3 行：生成网页 /cases/hello/ 时模板出错："
                          "用到了没有的字段 titel（写错了，或这类内容没有这个字段）\n")
    assert tree_digest(root / "output") == before


def test_interrupted_build_leaves_output_and_no_staging_folder(make_site, capsys, monkeypatch):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    before = tree_digest(root / "output")
    calls = []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return "<p>partial</p>"

    monkeypatch.setattr(pipeline, "render_route", interrupted)
    write_files(root, {"content/cases/hello.md": textwrap.dedent(MINIMAL["content/cases/hello.md"]) + "改。\n"})
    code, _, err = run_build(root, capsys)
    assert (code, err) == (130, "已中断；output/ 保持原样，没有改动\n")
    assert tree_digest(root / "output") == before
    assert sorted(p.name for p in root.iterdir()) == [".cache", "assets", "content", "output", "site.yml"]


def test_staging_folders_of_killed_builds_are_cleaned_up(make_site, capsys):
    root = make_site()
    abandoned = root / ".output-building-999999999"
    (abandoned / "cases").mkdir(parents=True)
    assert run_build(root, capsys)[0] == 0
    assert not abandoned.exists()


@pytest.mark.parametrize("where, why", [
    (".", "整个项目都在里面"),
    ("..", "整个项目都在里面"),
    ("content", "它就是或包含 content/ 文件夹"),
    ("content/cases/out", "它就是或包含 content/ 文件夹"),
    ("assets", "它就是或包含 assets/ 文件夹"),
])
def test_output_folder_that_would_destroy_sources_is_refused(make_site, capsys, where, why):
    root = make_site()
    before = tree_digest(root)
    code, _, err = run_build(root, capsys, "--output", str(root / where))
    target = (root / where).resolve()
    assert code == 1
    assert err.splitlines()[0] == f"不能生成到 {target}：{why}"
    assert tree_digest(root) == before


def test_output_folder_with_foreign_files_is_refused(make_site, capsys, tmp_path):
    root = make_site()
    documents = tmp_path / "documents"
    write_files(documents, {"report.docx": b"precious"})
    code, _, err = run_build(root, capsys, "--output", str(documents))
    assert code == 1
    assert err.splitlines()[:2] == [f"不能替换 {documents}：里面有不是本工具写的文件",
                                    "  提示：把那些文件移走，或换一个输出文件夹"]
    assert (documents / "report.docx").read_bytes() == b"precious"


def test_naming_inconsistencies_are_warnings(make_site, capsys):
    root = make_site({"content/namings/2009.yml": "year: 2009\ndate: 2009-12-28\nawarded_by: 领导小组\n"
                                                  "entries:\n  - brand: xin-qiao\n    stars: 2\n    status: upgraded\n"})
    code, out, err = run_build(root, capsys)
    assert code == 0 and out.startswith("生成完毕：")
    assert err == ("content/namings/2009.yml:5: 【警告】第 5 行：命名情况是 upgraded（升星），但星级从 3 变成了 2\n"
                   "  提示：核对一下命名情况或星级\n")


def test_small_photos_are_never_upscaled(make_site, capsys):
    root = make_site({"assets/photos/small.jpg": jpeg_bytes((200, 150)),
                      "content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\ncover: photos/small.jpg\n")})
    assert run_build(root, capsys)[0] == 0
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert re.search(r'srcset="/images/small-\w+-200\.jpg 200w" sizes="[^"]+" width="200" height="150"', html)


def test_command_line_help_and_default_command(make_site):
    root = make_site()
    helped = subprocess.run([sys.executable, str(PROJECT / "build.py"), "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "生成网站" in helped.stdout and "build" in helped.stdout
    built = subprocess.run([sys.executable, str(PROJECT / "build.py"), "--site", str(root)],
                           capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert built.returncode == 0, built.stderr
    assert (root / "output/index.html").is_file()


def test_missing_site_yml_is_explained(tmp_path, capsys):
    code = main(["--site", str(tmp_path), "build"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[:2] == [f"{tmp_path} 里没有 site.yml",
                                    "  提示：请在项目文件夹里运行 build.py，或用 --site 指定放着 site.yml 的文件夹"]


def test_an_output_path_that_is_a_file_is_refused_and_the_file_kept(make_site, capsys, tmp_path):
    root = make_site()
    notes = tmp_path / "notes.txt"
    notes.write_text("会议记录\n", encoding="utf-8")
    code, out, err = run_build(root, capsys, "-o", str(notes))
    assert (code, out) == (1, "")
    assert err == (f"不能生成到 {notes}：它是一个文件，不是文件夹\n"
                   "  提示：给网站起个文件夹名，如 -o site/（那个文件没有动）\n"
                   "生成失败：1 个错误；output/ 保持原样，没有改动\n")
    assert notes.read_text(encoding="utf-8") == "会议记录\n"


def test_variants_no_longer_used_disappear_from_the_output(make_site, capsys):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    old = {p.name for p in (root / "output/images").iterdir()}
    write_files(root, {"assets/logos/xin-qiao.png": png_bytes((480, 480), color=(0, 0, 200, 255))})
    assert run_build(root, capsys)[0] == 0
    new = {p.name for p in (root / "output/images").iterdir()}
    assert len(new) == len(old) and not old & new


def test_help_answers_without_loading_any_stage():
    """`--help` must start fast (issue 8: under 0.3 s): no stage, and none of their heavy libraries."""
    script = ("import sys\nfrom brandcolumn.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
              "heavy = ('pypinyin', 'PIL', 'jinja2', 'markdown', 'tornado', 'livereload', 'nh3', 'opencc')\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith('brandcolumn.')))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, check=True)
    # The help is said from the message catalog (messages.yml): PyYAML loads it in about 20 ms.
    assert run.stdout.splitlines()[-1] == ("['brandcolumn.cli', 'brandcolumn.core', 'brandcolumn.core.errors', "
                                           "'brandcolumn.core.messages']")


@pytest.mark.parametrize("expression, reason", [
    ("1/0", "除以了 0"), ("[][3]", "列表里没有第 3 项（从 0 数起）"),
    ("nosuch", "用到了没有的名称 nosuch（写错了，或这个网页没有它）"),
    ("'x' * 10 ** 20", "表达式出错（cannot fit 'int' into an index-sized integer）")])
def test_a_theme_runtime_error_is_told_at_its_template_line(make_site, capsys, expression, reason):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    before = tree_digest(root / "output")
    write_files(root, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
                       "themes/mine/templates/case.html": '{% extends "base.html" %}\n{% block content %}\n'
                                                          f'{{{{ {expression} }}}}\n{{% endblock %}}\n'})
    code, out, err = run_build(root, capsys)
    assert (code, out) == (1, "")
    assert err == (f"themes/mine/templates/case.html:3: 第 3 行：生成网页 /cases/hello/ 时模板出错：{reason}\n"
                   "生成失败：1 个错误；output/ 保持原样，没有改动\n")
    assert tree_digest(root / "output") == before


@pytest.mark.parametrize("line, reason", [
    ("{% for x in case.tags %}", "这里写了 {% endblock %}，但前面打开的标签应以 {% endfor %} 结束"),
    ("{% if case.draft %}{% endfor %}", "这里写了 {% endfor %}，但前面打开的标签应以 {% endif %} 结束"),
    ("{% include 'x.html' ignore %}", "“ignore”出现的位置不对（括号没有配对，或少写了运算符、逗号）"),
    ("{% fi %}", "没有 {% fi %} 这种标签（多写了，或拼错了）"),
    ("{% if %}", "标签里缺少条件或表达式，如 {% if case.draft %}"),
    ("{{ case.title | bold }}", "没有名为 bold 的过滤器（“|”后面的名称）"),
    ("{{ case.title }", "“}”出现的位置不对（括号没有配对，或少写了运算符、逗号）"),
    ("{{ case.title case.date }}", "“case”出现的位置不对（括号没有配对，或少写了运算符、逗号）")])
def test_a_theme_mistyped_is_told_in_words_at_its_template_line(make_site, capsys, line, reason):
    root = make_site()
    write_files(root, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
                       "themes/mine/templates/case.html": f'{{% extends "base.html" %}}\n{{% block content %}}\n'
                                                          f'{line}\n{{% endblock %}}\n'})
    code, _, err = run_build(root, capsys)
    assert code == 1
    where = "4: 第 4 行" if "{% endblock %}" in reason else "3: 第 3 行"  # found where the block closes
    assert err == (f"themes/mine/templates/case.html:{where}：网页模板写错了：{reason}\n"
                   "生成失败：1 个错误；output/ 保持原样，没有改动\n")


def test_a_template_left_open_is_told_where_jinja_found_it_open(make_site, capsys):
    root = make_site()
    write_files(root, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
                       "themes/mine/templates/case.html": "<h1>{{ case.title }}</h1>\n{% for tag in case.tags %}\n"})
    assert run_build(root, capsys)[2] == ("themes/mine/templates/case.html:2: 第 2 行：网页模板写错了："
                                          "到模板结尾还缺少 {% endfor %}\n生成失败：1 个错误；output/ 保持原样，没有改动\n")


def test_a_theme_mistake_is_told_with_jinjas_own_words_in_english(make_site, capsys, english):
    root = make_site()
    write_files(root, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
                       "themes/mine/templates/case.html": '{% extends "base.html" %}\n{% block content %}\n'
                                                          '{{ case.title | bold }}\n{% endblock %}\n'})
    assert run_build(root, capsys)[2] == ("themes/mine/templates/case.html:3: template error: No filter named 'bold'.\n"
                                          "build failed: 1 error(s); output/ was left as it was\n")


def test_without_an_avif_encoder_pictures_are_webp_and_fallback_with_one_warning(make_site, capsys, monkeypatch):
    """Issue 13: a Pillow wheel without AVIF stopped the build with KeyError: 'AVIF'."""
    from PIL import Image
    Image.init()
    monkeypatch.delitem(Image.SAVE, "AVIF")  # as on a platform whose Pillow has no AVIF plugin
    root = make_site({"content/cases/hello.md": "---\ntitle: 经验\ndate: 2008-05-01\ncover: photos/hall.jpg\n---\n"
                                                "![大厅](photos/hall.jpg)\n",
                      "assets/photos/hall.jpg": jpeg_bytes()})
    code, out, err = run_build(root, capsys)
    assert code == 0
    assert err == ("【警告】本机的图像库不能生成 AVIF，图片发布时不带这种格式，手机读者要下载更大的文件\n"
                   "  提示：安装固定版本的库：pip install -r requirements.txt（Linux、Windows 和 macOS 上的 Pillow 都能生成 "
                   "AVIF 和 WebP）\n")
    images = sorted(path.suffix for path in (root / "output/images").iterdir())
    assert set(images) == {".webp", ".jpg", ".png"}
    page = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert 'type="image/webp"' in page and "avif" not in page


def test_a_chinese_server_name_in_base_url_is_written_as_browsers_send_it(make_site, capsys):
    root = make_site({"site.yml": "title: 专栏\nbase_url: https://昆山.政务/pinpai/\n"})
    assert run_build(root, capsys)[0] == 0
    sitemap = (root / "output/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://xn--rhtv6t.xn--zfr164b/pinpai/</loc>" in sitemap
