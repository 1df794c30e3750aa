"""The folium elements of GridMap's web maps.

Layers and calls built in the browser by the GM runtime (`gridmap.render.web.mapjs`) from
JSON specs, and `geojson_layer`, the one builder of folium GeoJSON layers (and their
tooltips) of data.

The GM elements' scripts are registered as raw text: branca would otherwise
compile each rendered script once more as a Jinja template, about half a second
per megabyte of layer data on every rerun (and run a ``{{ ... }}`` in the data
as template code). A folium GeoJSON layer is compiled that way, so its text
properties are escaped by `gridmap.render.web.escape.html_text` before they become
GeoJSON: folium's tooltip writes them into HTML as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from gridmap.render.web.assets import ASSETS
from gridmap.render.web.escape import escaped_columns, html_text
from gridmap.render.web.mapjs import CSS, HEAT_GUARD_JS, RUNTIME_JS

_JINJA_OPENERS = re.compile(r"\{([{%#])")


def script_json(value: Any) -> str:
    """JSON for an inline script: UTF-8 kept, ``</`` escaped.

    branca renders each script once more as a Jinja template, so ``{{``, ``{%``
    and ``{#`` (which encoded polylines can contain) are written with a JSON
    escape; in compact JSON a ``{`` followed by them is always inside a string.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _JINJA_OPENERS.sub(lambda m: f"{{\\u{ord(m.group(1)):04x}", text)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class RawText(Element):
    """Text placed in the page as it is (a branca `Element` would compile it as Jinja)."""

    def __init__(self, text: str):
        super().__init__("")
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text as it is."""
        return self.text


class RawMacro(MacroElement):
    """`MacroElement` whose rendered header and script are registered as `RawText` text.

    branca compiles each element's rendered script once more as a Jinja template,
    which costs about half a second per megabyte of layer data on every rerun.
    """

    # branca types Element.render as returning the HTML, but MacroElement.render (which
    # this replaces) registers its parts with the figure and returns None, as this does.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Register the rendered header and script with the figure as `RawText`."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "a GM element renders only inside a Figure"
        module = self._template.module.__dict__
        for part, target in (("header", figure.header), ("script", figure.script)):
            macro = module.get(part)
            if macro is not None:
                target.add_child(RawText(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class Runtime(RawMacro):
    """The GM runtime (script) and the map's CSS (header)."""

    _template = Template(
        "{% macro header(this, kwargs) %}<style>" + CSS + "</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}" + RUNTIME_JS + HEAT_GUARD_JS + "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "GridmapRuntime"


def guard_heat(m: folium.Map) -> None:
    """Put `HEAT_GUARD_JS` in the page body, which runs before the map's script adds layers."""
    root = m.get_root()
    assert isinstance(root, Figure), "a folium Map is always placed in a Figure"
    root.html.add_child(folium.Element(f"<script>{HEAT_GUARD_JS}</script>"))


class GMLayer(JSCSSMixin, Layer, RawMacro):
    """A layer built in the browser by ``GM.<kind>(spec)`` from a JSON spec."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = GM.layer({{ this.spec_json }});"
        "{% endmacro %}"
    )

    def __init__(
        self,
        spec: dict[str, Any],
        name: str,
        *,
        show: bool = True,
        control: bool = True,
        js: tuple[str, ...] = (),
        css: tuple[str, ...] = (),
    ):
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "GridmapLayer"
        self.spec_json = script_json(spec)
        self.default_js = [(k, ASSETS[k].cdn_url) for k in js]
        self.default_css = [(k, ASSETS[k].cdn_url) for k in css]


class MapCall(RawMacro):
    """``GM.<function>(spec, map)`` for things bound to the map (labels, legend)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = GM.{{ this.function }}({{ this.spec_json }}, "
        "{{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, function: str, spec: dict[str, Any]):
        super().__init__()
        self._name = "GridmapCall"
        self.function = function
        self.spec_json = script_json(spec)


class LabelLayer(GMLayer):
    """Labels drawn by the GM runtime (``GM.labels``) from a JSON spec."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = GM.labels({{ this.spec_json }}, "
        "{{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


def geojson_layer(
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    style_function: Callable[[dict[str, Any]], Mapping[str, Any]],
    tooltip: Mapping[str, str] | Sequence[str] = (),
    labels: bool = True,
    marker: folium.CircleMarker | None = None,
    control: bool = True,
) -> folium.GeoJson:
    """`frame` (EPSG:4326) as a folium GeoJSON layer, a tooltip of its `tooltip` columns.

    `tooltip` maps columns to the labels shown beside them (a list shows the column
    names), `labels=False` shows the values only. Every text column, the labels and
    the layer's `name` are escaped with `html_text` (the frame's index is dropped,
    so no data becomes a feature id), so a name such as ``<img onerror=...>`` or
    ``{{ ... }}`` in the data is shown as text.
    """
    fields = dict(tooltip) if isinstance(tooltip, Mapping) else {f: f for f in tooltip}
    data = escaped_columns(frame.reset_index(drop=True))
    return folium.GeoJson(
        data.to_json(),
        name=html_text(name),
        style_function=style_function,
        marker=marker,
        control=control,
        tooltip=folium.GeoJsonTooltip(
            list(fields), aliases=[html_text(a) for a in fields.values()], labels=labels
        )
        if fields
        else None,
    )
