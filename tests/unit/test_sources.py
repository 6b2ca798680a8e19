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
    assert "it looks like GBK/GB18030" in caught.value.problem.message


def test_random_bytes_are_an_unknown_encoding():
    with pytest.raises(SiteError) as caught:
        decode_text(b"ok\n\xff\xfe\xfd\x80", "x.md")
    assert caught.value.problem.message == "is not UTF-8 text (unknown encoding)"


@pytest.mark.parametrize("path", ["../x.png", "a/../../x.png", "/x.png", "C:/x.png", "a\\b.png", "http://e.cn/x.png", "."])
def test_paths_leaving_assets_are_refused(path):
    with pytest.raises(ValueError):
        check_relative_path(path)
