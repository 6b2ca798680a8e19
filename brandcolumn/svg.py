"""SVG logos: published only when they cannot run code or load anything from elsewhere.

An SVG is a document, not a picture: it can hold scripts, event handlers,
HTML (foreignObject) and links to other servers. We refuse all of those with
a message that says which one was found, and publish a clean copy without
comments, editor metadata (Inkscape, Illustrator) or XML declarations.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_KEPT_NAMESPACES = {SVG_NS, XLINK_NS}
_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class UnsafeSvg(ValueError):
    """The SVG holds something we will not publish; the message says what."""


def _local(name: str) -> tuple[str, str]:
    """Split '{namespace}name' into (namespace, name)."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def clean_svg(data: bytes) -> tuple[bytes, float, float]:
    """Check an SVG and return (clean bytes, width, height); raise UnsafeSvg saying why not."""
    text = data.decode("utf-8", errors="replace")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        raise UnsafeSvg("it declares a DOCTYPE or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"it is not well-formed XML ({exc})") from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSvg("its root element is not <svg>")
    for element in list(root.iter()):
        _check_element(element)
    _strip_foreign(root)
    width, height = _size(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False), width, height


def _check_element(element: ET.Element) -> None:
    namespace, name = _local(element.tag)
    if name in _FORBIDDEN_ELEMENTS:
        raise UnsafeSvg(f"it contains a <{name}> element")
    for attribute, value in element.attrib.items():
        _, attr = _local(attribute)
        if attr.lower().startswith("on"):
            raise UnsafeSvg(f"<{name}> has an event handler '{attr}'")
        if attr == "href" and not value.strip().startswith("#"):
            raise UnsafeSvg(f"<{name}> refers to something outside the file: '{value[:60]}'")
        if _EXTERNAL_URL.search(value) or "@import" in value:
            raise UnsafeSvg(f"<{name}> loads something from outside the file in '{attr}'")
    if name == "style" and element.text and (_EXTERNAL_URL.search(element.text) or "@import" in element.text):
        raise UnsafeSvg("its <style> loads something from outside the file")


def _strip_foreign(root: ET.Element) -> None:
    """Drop metadata and elements/attributes of editors' private namespaces."""
    for parent in root.iter():
        for child in list(parent):
            namespace, name = _local(child.tag) if isinstance(child.tag, str) else ("", "")
            if not isinstance(child.tag, str) or namespace not in _KEPT_NAMESPACES or name == "metadata":
                parent.remove(child)
        for attribute in list(parent.attrib):
            namespace, _ = _local(attribute)
            if namespace and namespace not in _KEPT_NAMESPACES:
                del parent.attrib[attribute]


def _size(root: ET.Element) -> tuple[float, float]:
    """The SVG's intrinsic size from width/height, else from its viewBox."""
    def number(value: str | None) -> float | None:
        match = re.fullmatch(r"\s*([\d.]+)\s*(px)?\s*", value or "")
        return float(match.group(1)) if match else None

    width, height = number(root.get("width")), number(root.get("height"))
    if width and height:
        return width, height
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            _, _, box_width, box_height = (float(v) for v in box)
        except ValueError:
            box_width = box_height = 0
        if box_width > 0 and box_height > 0:
            return box_width, box_height
    raise UnsafeSvg("it has neither width and height nor a viewBox, so its shape is unknown")
