"""Each browser gate, shown failing on a page broken on purpose: if a gate stops looking, this fails.

The pages sit in a tmp folder served over HTTP, like the sample site; each has one defect, and the
gate must report exactly that one.
"""

from __future__ import annotations

import pytest

from gates import audit_page, axe_violations, open_as_without_javascript, serve_folder
from sitekit import png_bytes

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>测试页</title><link rel="icon" href="good.png"></head>
<body><main><h1>测试页</h1><img src="good.png" alt="好图" width="64" height="64">{}</main></body>
</html>
"""

NOT_FOUND = "console error: Failed to load resource: the server responded with a status of 404 (File not found)"
BROKEN_FOR_THE_AUDIT = {
    "clean": ("", []),
    "console-error": ("<script>console.error('出错了')</script>", ["console error: 出错了"]),
    "script-error": ("<script>undefinedFunction()</script>",
                     ["script error: undefinedFunction is not defined"]),
    "missing-image": ('<img src="missing.png" alt="不在">', ["HTTP 404: {base}missing.png", NOT_FOUND,
                                                            "image did not load: {base}missing.png"]),
    "corrupt-image": ('<img src="corrupt.png" alt="坏图">', ["image did not load: {base}corrupt.png"]),
    "lazy-missing-image": ('<div style="height:3000px"></div><img src="gone.png" alt="远处" loading="lazy">',
                           ["HTTP 404: {base}gone.png", NOT_FOUND, "image did not load: {base}gone.png"]),
    "missing-script": ('<script src="gone.js"></script>', ["HTTP 404: {base}gone.js", NOT_FOUND,
                                                          "request failed: {base}gone.js (net::ERR_ABORTED)"]),
    "too-wide": ('<table><tr><td style="white-space:nowrap">这一行很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长</td></tr></table>',
                 ["scrolls sideways: "]),
}

BROKEN_FOR_AXE = {
    "clean": ("", set()),
    "no-alt": ('<img src="good.png">', {"image-alt"}),
    "low-contrast": ('<p style="color:#bbb;background:#fff">浅灰色的字看不清</p>', {"color-contrast"}),
    "unlabelled-input": ('<input type="search" name="q">', {"label"}),
    "empty-link": ('<a href="/"></a>', {"link-name"}),
    "no-zoom": ("", {"meta-viewport"}),
    "dialog-without-name": ('<div role="dialog" aria-modal="true"><button></button></div>', {"button-name"}),
}


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken")
    (root / "good.png").write_bytes(png_bytes())
    (root / "corrupt.png").write_bytes(png_bytes()[:40])
    for name, (body, _) in BROKEN_FOR_THE_AUDIT.items():
        (root / f"audit-{name}.html").write_text(PAGE.format(body), encoding="utf-8")
    for name, (body, _) in BROKEN_FOR_AXE.items():
        page = PAGE.format(body)
        if name == "no-zoom":
            page = page.replace("initial-scale=1", "initial-scale=1, maximum-scale=1, user-scalable=no")
        (root / f"axe-{name}.html").write_text(page, encoding="utf-8")
    (root / "noscript.html").write_text(PAGE.format(
        '<script>document.title = "有脚本"</script><noscript><p style="color:#ccc">请启用脚本</p></noscript>'),
        encoding="utf-8")
    with serve_folder(root) as address:
        yield address


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", BROKEN_FOR_THE_AUDIT)
def test_the_page_audit_reports_each_defect(phone, broken_site, name):
    expected = [line.format(base=broken_site) for line in BROKEN_FOR_THE_AUDIT[name][1]]
    found = audit_page(phone, f"{broken_site}audit-{name}.html")
    assert len(found) == len(expected), found
    assert all(f.startswith(e) for f, e in zip(sorted(found), sorted(expected), strict=True)), found  # "scrolls sideways: <n> px"


@pytest.mark.parametrize("name", BROKEN_FOR_AXE)
def test_axe_reports_each_wcag_violation(phone, broken_site, name):
    phone.goto(f"{broken_site}axe-{name}.html")
    found = {line.split(" ", 1)[0] for line in axe_violations(phone)}
    assert found == BROKEN_FOR_AXE[name][1]


def test_axe_checks_what_a_reader_without_javascript_sees(phone, broken_site):
    phone.goto(f"{broken_site}noscript.html")
    assert axe_violations(phone) == []  # with JavaScript the pale <noscript> text is not shown
    open_as_without_javascript(phone, f"{broken_site}noscript.html")
    assert phone.title() == "测试页"
    assert [line.split(" ", 1)[0] for line in axe_violations(phone)] == ["color-contrast"]
