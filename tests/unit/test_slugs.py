import pytest

from brandcolumn.core.slugs import is_slug, slugify, unique_slugs


@pytest.mark.parametrize("text, slug", [
    ("银行", "yin-hang"),
    ("重庆", "chong-qing"),
    ("星级管理办法解读", "xing-ji-guan-li-ban-fa-jie-du"),
    ("长效机制", "chang-xiao-ji-zhi"),
    ("绿色通道", "lv-se-tong-dao"),
    ("About Us", "about-us"),
    ("心桥 2008年", "xin-qiao-2008-nian"),
    ("ＡＢＣ１２３", "abc123"),
    ("！！", ""),
])
def test_slugify_reads_phrases(text, slug):
    assert slugify(text) == slug


def test_long_titles_are_cut_at_a_word_boundary():
    slug = slugify("中共昆山市市级机关工作委员会党员服务中心示范点建设经验交流与推广材料汇编")
    assert len(slug) <= 60 and is_slug(slug) and not slug.endswith("-")
    assert slug == "zhong-gong-kun-shan-shi-shi-ji-ji-guan-gong-zuo-wei-yuan-hui"


def test_names_that_sound_alike_get_numbered_in_a_stable_order():
    assert unique_slugs(["市民政局", "市民证局", "市民政局"]) == {"市民政局": "shi-min-zheng-ju", "市民证局": "shi-min-zheng-ju-2"}
