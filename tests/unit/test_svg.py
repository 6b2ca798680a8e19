import pytest

from brandcolumn.svg import UnsafeSvg, clean_svg

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50">{}</svg>'


def test_clean_svg_keeps_the_drawing_and_drops_metadata():
    source = SVG.format('<!-- made by Zhang San --><metadata><rdf>author</rdf></metadata>'
                        '<defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/>'
                        '<use xlink:href="#g"/>').replace(
        "<svg ", '<svg xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1.0" ')
    clean, width, height = clean_svg(source.encode())
    assert (width, height) == (100, 50)
    assert b"<rect" in clean and b'fill="url(#g)"' in clean and b"xlink:href=\"#g\"" in clean
    assert b"Zhang San" not in clean and b"metadata" not in clean and b"inkscape" not in clean


@pytest.mark.parametrize("inner, reason", [
    ("<script>alert(1)</script>", "it contains a <script> element"),
    ('<rect width="1" height="1" onclick="x()"/>', "<rect> has an event handler 'onclick'"),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
     "it contains a <foreignObject> element"),
    ('<image href="https://tracker.example/p.png" width="1" height="1"/>',
     "<image> refers to something outside the file: 'https://tracker.example/p.png'"),
    ('<use xlink:href="other.svg#logo"/>', "<use> refers to something outside the file: 'other.svg#logo'"),
    ('<rect width="1" height="1" style="fill: url(https://e.example/x)"/>',
     "<rect> loads something from outside the file in 'style'"),
    ('<style>@import url(https://e.example/x.css);</style>', "its <style> loads something from outside the file"),
    ('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>',
     "<a> refers to something outside the file: 'javascript:alert(1)'"),
])
def test_unsafe_svgs_are_refused_saying_why(inner, reason):
    with pytest.raises(UnsafeSvg) as caught:
        clean_svg(SVG.format(inner).encode())
    assert str(caught.value) == reason


@pytest.mark.parametrize("source, reason", [
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>',
     "it declares a DOCTYPE or entities"),
    ("<svg><rect/></svg>", "its root element is not <svg>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "it is not well-formed XML (mismatched tag: line 1, column 48)"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
     "it has neither width and height nor a viewBox, so its shape is unknown"),
])
def test_svgs_that_are_not_plain_drawings_are_refused(source, reason):
    with pytest.raises(UnsafeSvg) as caught:
        clean_svg(source.encode())
    assert str(caught.value) == reason
