"""core/: settings from site.yml, the one atomic write, and the output folder's staging and swap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brandcolumn.core.config import BUILTIN_THEMES, DEFAULT_CATEGORIES, ImageSettings, load_config
from brandcolumn.core.errors import BuildFailed, SiteError
from brandcolumn.core.files import atomic_path, file_name, replace_file, temporary_name, write_file
from brandcolumn.core.output import MARKER, Stage, check_output_dir, staging


def site_yml(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    return tmp_path


# --- settings ------------------------------------------------------------------------------------

def test_settings_left_out_take_their_defaults(tmp_path):
    config = load_config(site_yml(tmp_path, "title: 专栏\nbase_url: https://example.gov.cn/jgjs/pinpai\n"))
    assert (config.title, config.per_page, config.language, config.theme) == ("专栏", 10, "zh-CN", "default")
    assert config.base_url == "https://example.gov.cn/jgjs/pinpai/" and config.base_path == "/jgjs/pinpai/"
    assert config.categories == DEFAULT_CATEGORIES and config.images == ImageSettings()
    assert config.theme_dirs == [BUILTIN_THEMES / "default"]  # the project has no themes/ of its own


def test_image_widths_are_sorted_and_a_site_theme_comes_before_the_default(tmp_path):
    (tmp_path / "themes/mine/templates").mkdir(parents=True)
    config = load_config(site_yml(tmp_path, "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n"
                                            "images:\n  widths: [1280, 320, 640, 320]\n"))
    assert config.images.widths == (320, 640, 1280)
    assert config.theme_dirs == [tmp_path / "themes/mine", BUILTIN_THEMES / "default"]


def test_every_wrong_setting_is_told_at_its_line(tmp_path):
    with pytest.raises(BuildFailed) as failed:
        load_config(site_yml(tmp_path, "title: 专栏\nbase_url: https://example.gov.cn/\nper_page: 0\nfooterr: 页脚\n"))
    assert [p.format() for p in failed.value.problems] == [
        "site.yml:4: 第 4 行：不认识的字段“footerr”\n  提示：是不是想写“footer”？",
        "site.yml:3: 第 3 行：经验交流列表每页篇数（per_page）应是 1 到 200 之间的整数，实际写的是 '0'"]


def test_no_site_yml_says_where_to_run(tmp_path):
    with pytest.raises(SiteError, match="里没有 site.yml"):
        load_config(tmp_path)


# --- writing files at once ------------------------------------------------------------------------

def test_a_file_is_replaced_whole_or_not_at_all(tmp_path):
    target = tmp_path / "a/b.txt"
    replace_file(target, "新")
    assert target.read_text(encoding="utf-8") == "新"
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("半", encoding="utf-8")
        raise RuntimeError("stopped while writing")
    assert target.read_text(encoding="utf-8") == "新" and not temporary_name(target).exists()


def test_a_temporary_file_left_by_a_killed_writer_is_no_obstacle(tmp_path):
    target = tmp_path / "b.txt"
    temporary_name(target).write_text("left over")
    replace_file(target, b"ok")
    assert target.read_bytes() == b"ok" and not temporary_name(target).exists()


def test_write_file_refuses_a_path_out_of_its_folder(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(SiteError, match="不能写到输出文件夹以外：../x.html"):
        write_file(tmp_path / "out", "../x.html", "x")
    assert not (tmp_path / "x.html").exists()


# --- the output folder ----------------------------------------------------------------------------

@pytest.mark.parametrize("where, why", [(".", "整个项目都在里面"),
                                        ("content", "它就是或包含 content/ 文件夹")])
def test_an_output_folder_that_would_destroy_sources_is_refused(tmp_path, where, why):
    with pytest.raises(SiteError, match=f"不能生成到 .*：{why}"):
        check_output_dir(tmp_path / where, tmp_path)


def test_a_build_is_swapped_in_whole_and_a_failed_one_leaves_the_last(tmp_path):
    out = tmp_path / "output"
    with staging(out) as folder:
        (folder / "index.html").write_text("第一次")
    assert (out / "index.html").read_text() == "第一次" and (out / MARKER).is_file()
    with pytest.raises(RuntimeError), staging(out) as folder:
        (folder / "index.html").write_text("半成品")
        raise RuntimeError("the build failed")
    assert (out / "index.html").read_text() == "第一次"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]  # no staging folder left


def test_a_staged_file_equal_to_the_last_build_s_is_a_link_to_it(tmp_path):
    out = tmp_path / "output"
    with staging(out) as folder:
        Stage(folder, previous=out).write("a/index.html", "同样")
    with staging(out) as folder:
        stage = Stage(folder, previous=out)
        stage.write("a/index.html", "同样")
        stage.write("b/index.html", "新")
        assert os.stat(folder / "a/index.html").st_nlink == 2  # shared with the previous output
        assert os.stat(folder / "b/index.html").st_nlink == 1
        with pytest.raises(SiteError, match="不能写到输出文件夹以外"):
            stage.write("../escape.html", "x")


def test_a_failed_atomic_write_names_the_file_asked_for_not_its_temporary_name(tmp_path):
    target = tmp_path / "送审版.zip"
    with pytest.raises(OSError) as raised:
        with atomic_path(target) as temporary:
            raise PermissionError(13, "Permission denied", str(temporary))  # as a full or read-only disk says
    assert raised.value.filename == str(target) and not target.exists()


def test_a_title_becomes_a_file_name_every_system_holds():
    assert file_name('品牌专栏/2026: 试点?') == "品牌专栏-2026- 试点"
    assert file_name(":?*") == "专栏"  # nothing left: the column's own word, not an English one
