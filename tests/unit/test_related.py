"""Related cases: a shared brand counts more than a shared unit, a unit more than a tag; ties go to
the newer case; never the case itself; at most RELATED_LIMIT."""

from brandcolumn.load.resolve import RELATED_LIMIT, _related


def test_shared_brands_outrank_units_which_outrank_tags_and_ties_go_to_the_newer_case():
    relations = (  # newest first: (slug, brands, units, tags)
        ("a", ("xin-qiao",), ("地税局",), ("窗口",)),
        ("tag-new", (), (), ("窗口",)),
        ("unit", (), ("地税局",), ()),
        ("tag-old", (), (), ("窗口",)),
        ("brand", ("xin-qiao",), (), ()),
        ("brand-unit", ("xin-qiao",), ("地税局",), ()),
        ("nothing", (), ("公安局",), ("效能",)),
    )
    related = dict(zip((r[0] for r in relations), _related.__wrapped__(relations), strict=True))
    assert RELATED_LIMIT == 4
    assert related["a"] == ("brand-unit", "brand", "unit", "tag-new")
    assert related["tag-old"] == ("a", "tag-new")
    assert related["nothing"] == ()
    assert all(slug not in related[slug] for slug in related)
