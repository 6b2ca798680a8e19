"""SVG logos: published only when every element and attribute is one known to be inert.

An SVG is a document, not a picture: it can hold scripts, event handlers, HTML
(foreignObject), links, and animations that rewrite a link into `javascript:` (issue 13).
So the check is an allowlist, not a list of known-bad things:

- elements: shapes, paths, text, gradients, patterns, masks, clip paths, markers, filters
  that load nothing, `<use>`, `<style>` and animations of drawing attributes. Any other
  element is refused with its name (a link, a script, an embedded picture ...);
- attributes: drawing and presentation attributes only. A known-dangerous one (an event
  handler, a link to anything but an `#id` of the same file, an animation of a link or
  event attribute, `url(...)` or `@import` of something outside the file, CSS escapes that
  could hide either) is refused with the reason; any other attribute that is not known is
  left out of the published copy;
- DOCTYPEs and entities are refused before parsing.

The published copy is rebuilt from what passed: no comments, processing instructions,
editor metadata (Inkscape, Illustrator) or unknown attributes reach output/.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..core.messages import say

# Sent with every .svg where the server lets us (the preview; README shows nginx and Apache): an SVG
# opened directly as a page then cannot run script even if one slipped past the check.
SERVE_POLICY = "default-src 'none'; style-src 'unsafe-inline'"  # no script, nothing loaded from anywhere
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_KEPT_NAMESPACES = {SVG_NS, XLINK_NS}

_SHAPES = {"svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line",
           "polyline", "polygon", "text", "tspan", "textPath", "style", "switch"}
_PAINT = {"linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker"}
_FILTERS = {"filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
            "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
            "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
            "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence"}
_ANIMATIONS = {"animate", "animateTransform", "animateMotion", "set"}
ELEMENTS = _SHAPES | _PAINT | _FILTERS | _ANIMATIONS | {"mpath", "metadata"}
# Elements whose href may point at an #id of the same file.
_LOCAL_HREF = {"use", "textPath", "linearGradient", "radialGradient", "pattern", "filter", "mpath"} | _ANIMATIONS

PRESENTATION = {
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
    "color-interpolation-filters", "color-rendering", "direction", "display", "dominant-baseline",
    "enable-background", "fill", "fill-opacity", "fill-rule", "filter", "flood-color", "flood-opacity", "font",
    "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
    "glyph-orientation-horizontal", "glyph-orientation-vertical", "image-rendering", "isolation", "kerning",
    "letter-spacing", "lighting-color", "marker", "marker-end", "marker-mid", "marker-start", "mask", "mask-type",
    "mix-blend-mode", "opacity", "overflow", "paint-order", "shape-rendering", "stop-color", "stop-opacity",
    "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
    "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering", "transform",
    "transform-box", "transform-origin", "unicode-bidi", "vector-effect", "visibility", "word-spacing",
    "writing-mode"}
GEOMETRY = {
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height", "d",
    "points", "pathLength", "viewBox", "preserveAspectRatio", "offset", "gradientUnits", "gradientTransform",
    "spreadMethod", "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
    "maskContentUnits", "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient", "dx", "dy",
    "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side"}
_FILTER_ATTRIBUTES = {
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "type", "values", "operator",
    "k1", "k2", "k3", "k4", "scale", "xChannelSelector", "yChannelSelector", "baseFrequency", "numOctaves", "seed",
    "stitchTiles", "radius", "tableValues", "slope", "intercept", "amplitude", "exponent", "order", "kernelMatrix",
    "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha", "surfaceScale", "specularConstant",
    "specularExponent", "diffuseConstant", "azimuth", "elevation", "pointsAtX", "pointsAtY", "pointsAtZ",
    "limitingConeAngle", "kernelUnitLength"}
_TIMING = {"attributeName", "attributeType", "begin", "dur", "end", "min", "max", "restart", "repeatCount",
           "repeatDur", "calcMode", "values", "keyTimes", "keySplines", "from", "to", "by", "additive",
           "accumulate", "path", "keyPoints", "origin"}
_CORE = {"id", "class", "style", "lang", "version", "baseProfile", "role", "aria-label", "aria-labelledby",
         "aria-describedby", "aria-hidden", "requiredFeatures", "systemLanguage"}
ATTRIBUTES = PRESENTATION | GEOMETRY | _FILTER_ATTRIBUTES | _TIMING | _CORE
# What an animation may change: how a thing is drawn, never what it links to or runs.
ANIMATABLE = (PRESENTATION | GEOMETRY) - {"style"}

_REFUSED_ELEMENTS = {"script": "svg.script", "a": "svg.link", "foreignObject": "svg.foreign", "image": "svg.image"}
# Illustrator keeps its own editing data in <foreignObject requiredExtensions="http://ns.adobe.com/...">.
_EDITOR_DATA = "http://ns.adobe.com/"
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)|image-set\(|\bsrc\(", re.I)
MAX_DEPTH = 100  # elements inside elements; a logo needs a handful
MAX_BYTES = 2_000_000

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class UnsafeSvg(ValueError):
    """The SVG holds something we will not publish; the message (a Text) says what."""

    def __init__(self, code: str, **values: object):
        super().__init__(say(code, **values))
        self.reason = say(code, **values)


def _local(name: str) -> tuple[str, str]:
    """Split '{namespace}name' into (namespace, name)."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def clean_svg(data: bytes) -> tuple[bytes, float, float]:
    """Check an SVG and return (clean bytes, width, height); raise UnsafeSvg saying why not."""
    if len(data) > MAX_BYTES:
        raise UnsafeSvg("svg.large", mb=MAX_BYTES // 1_000_000)
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:  # UTF-16 would hide a DOCTYPE from the check below
        raise UnsafeSvg("svg.encoding") from None
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        raise UnsafeSvg("svg.doctype")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UnsafeSvg("svg.xml", detail=str(exc)) from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSvg("svg.root")
    _check_depth(root)
    _strip_foreign(root)
    for element in root.iter():
        _check_element(element)
    width, height = _size(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False), width, height


def _check_depth(root: ET.Element) -> None:
    """Refuse elements nested deeper than MAX_DEPTH, before anything recurses into them."""
    level = [root]
    for _ in range(MAX_DEPTH):
        level = [child for element in level for child in element]
        if not level:
            return
    raise UnsafeSvg("svg.deep", depth=MAX_DEPTH)


def _check_element(element: ET.Element) -> None:
    """Refuse an element that is not known to be inert; drop its attributes that are not known."""
    _, name = _local(element.tag)
    if name in _REFUSED_ELEMENTS:
        raise UnsafeSvg(_REFUSED_ELEMENTS[name])
    if name in _ANIMATIONS - {"animateMotion"}:  # animateMotion moves a shape along a path: no attribute
        _check_animation(name, element.get("attributeName", ""))
    for attribute, value in list(element.attrib.items()):
        namespace, attr = _local(attribute)
        _check_attribute(name, namespace, attr, value)
        if not _known_attribute(namespace, attr):
            del element.attrib[attribute]
    if name not in ELEMENTS:
        raise UnsafeSvg("svg.element", name=name)
    if name == "style":
        if len(element):  # the text after a child element is style too, and would go unchecked
            raise UnsafeSvg("svg.style")
        _check_css(element.text or "", name)


def _check_attribute(element: str, namespace: str, attr: str, value: str) -> None:
    if attr.lower().startswith("on"):
        raise UnsafeSvg("svg.handler", element=element, attr=attr)
    if attr == "href" and namespace in ("", XLINK_NS):
        if not value.strip().startswith("#"):
            raise UnsafeSvg("svg.outside_href", element=element, value=value[:60])
        if element not in _LOCAL_HREF:
            raise UnsafeSvg("svg.href", element=element)
    _check_css(value, element, attr)


_CSS_IN_STYLE = ("svg.style.outside", "svg.style.script", "svg.style.escape")  # <style> text
_CSS_IN_ATTRIBUTE = ("svg.css.outside", "svg.css.script", "svg.css.escape")  # style="..." and the like


def _check_css(value: str, element: str, attr: str | None = None) -> None:
    """Refuse CSS (a <style>, or any presentation attribute) that loads or runs something."""
    outside, script, escape = _CSS_IN_STYLE if attr is None else _CSS_IN_ATTRIBUTE
    lowered = value.lower()
    if _OUTSIDE_URL.search(value) or "@import" in lowered:
        raise UnsafeSvg(outside, element=element, attr=attr)
    if "javascript:" in lowered.replace(" ", "") or "expression(" in lowered:
        raise UnsafeSvg(script, element=element, attr=attr)
    if "\\" in value:  # presentation attributes are CSS too: \75rl( is url(
        raise UnsafeSvg(escape, element=element, attr=attr)


def _check_animation(element: str, target: str) -> None:
    """An animation may change how a shape is drawn, never a link or an event handler."""
    name = target.strip().split(":")[-1]
    if name.lower().startswith("on"):
        raise UnsafeSvg("svg.animate.handler", element=element, target=target)
    if name == "href":
        raise UnsafeSvg("svg.animate.link", element=element, target=target)
    if name not in ANIMATABLE:
        raise UnsafeSvg("svg.animate.other", element=element, target=target)


def _known_attribute(namespace: str, attr: str) -> bool:
    if namespace == XML_NS:
        return attr in ("space", "lang")
    if namespace == XLINK_NS:
        return attr == "href"
    return not namespace and (attr in ATTRIBUTES or attr == "href")


def _strip_foreign(root: ET.Element) -> None:
    """Drop metadata and elements/attributes of editors' private namespaces."""
    for parent in root.iter():
        for child in list(parent):
            namespace, name = _local(child.tag) if isinstance(child.tag, str) else ("", "")
            if not isinstance(child.tag, str) or namespace not in _KEPT_NAMESPACES or name == "metadata" or (
                    name == "foreignObject" and child.get("requiredExtensions", "").startswith(_EDITOR_DATA)):
                parent.remove(child)
        for attribute in list(parent.attrib):
            namespace, _ = _local(attribute)
            if namespace and namespace not in _KEPT_NAMESPACES | {XML_NS}:
                del parent.attrib[attribute]


def _size(root: ET.Element) -> tuple[float, float]:
    """The SVG's intrinsic size from width/height, else from its viewBox."""
    def number(value: str | None) -> float | None:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?|\.\d+)\s*(px)?\s*", value or "")
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
    raise UnsafeSvg("svg.size")
