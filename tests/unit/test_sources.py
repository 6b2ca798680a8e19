import codecs

import pytest

from brandcolumn.core.errors import SiteError
from brandcolumn.core.sources import check_relative_path, decode_text


def test_bom_and_crlf_are_normalised():
    assert decode_text(codecs.BOM_UTF8 + "a\r\nb\rc".encode(), "x.md") == "a\nb\nc"


def test_gbk_is_recognised_with_the_line_of_the_first_bad_byte():
    with pytest.raises(SiteError) as caught:
        decode_text("第一行\n第二行".encode("utf-8") + "\n第三行".encode("gbk"), "x.md")
    assert caught.value.problem.origin.line == 3
    assert caught.value.problem.code == "encoding.gbk"
    assert str(caught.value.problem.hint) == ("运行 python build.py clean x.md 自动转换（原文件留作 .bak），"
                                              "或另存为 UTF-8 编码")


def test_random_bytes_are_an_unknown_encoding():
    with pytest.raises(SiteError) as caught:
        decode_text(b"ok\n\xff\xfe\xfd\x80", "x.md")
    assert str(caught.value.problem.message) == "文件不是 UTF-8 编码（认不出是哪种编码）"


@pytest.mark.parametrize("path", ["../x.png", "a/../../x.png", "/x.png", "C:/x.png", "a\\b.png", "http://e.cn/x.png", "."])
def test_paths_leaving_assets_are_refused(path):
    with pytest.raises(ValueError):
        check_relative_path(path)
