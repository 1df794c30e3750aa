"""Basemap tile providers, configured in one place.

``none`` is the default: an intranet has no tile server, and the data layers
need none. Tianditu (天地图) is in CGCS2000, which lines up with WGS 84 at map
scale; it needs the user's key (``tk``). Gaode (高德) tiles are in GCJ-02, so
the web map shifts the data onto GCJ-02 when Gaode is chosen
(`TileProvider.datum == "gcj02"`, see `gridmap.geo.coords`).

>>> [p.key for p in PROVIDERS.values()]
['none', 'osm', 'tianditu_vec', 'tianditu_img', 'gaode']
>>> PROVIDERS["tianditu_vec"].layers(key="abc")[0].url.endswith("tk=abc")
True
>>> PROVIDERS["tianditu_vec"].layers(key="{{ 7*7 }}&x")[0].url.split("tk=")[1]
'%7B%7B%207%2A7%20%7D%7D%26x'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

Datum = Literal["wgs84", "gcj02"]

_TIANDITU = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={{key}}"
)
_TIANDITU_ATTR = '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a> GS(2024)0568号'


@dataclass(frozen=True)
class TileLayerSpec:
    """One Leaflet tile layer of a provider (a provider may stack a base and labels)."""

    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 18
    overlay: bool = False


@dataclass(frozen=True)
class TileProvider:
    """A basemap choice. `label_key` names its text in `gridmap.i18n`."""

    key: str
    label_key: str
    templates: tuple[TileLayerSpec, ...] = ()
    datum: Datum = "wgs84"
    needs_key: bool = False
    online: bool = True

    def layers(self, *, key: str | None = None) -> list[TileLayerSpec]:
        """Return the tile layers with the user's key filled in (``{key}`` in the URL).

        The key is typed in the app, so it is percent-encoded as a URL value: no
        ``&`` adds a parameter and no ``{{`` reaches the page, where branca would
        run it as Jinja template code on the server.
        """
        if self.needs_key and not key:
            return []
        return [
            TileLayerSpec(
                t.url.replace("{key}", quote(key or "", safe="")),
                t.attribution,
                t.subdomains,
                t.max_zoom,
                t.overlay,
            )
            for t in self.templates
        ]


PROVIDERS: dict[str, TileProvider] = {
    p.key: p
    for p in (
        TileProvider("none", "tiles.none", online=False),
        TileProvider(
            "osm",
            "tiles.osm",
            (
                TileLayerSpec(
                    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
                    subdomains="",
                    max_zoom=19,
                ),
            ),
        ),
        TileProvider(
            "tianditu_vec",
            "tiles.tianditu_vec",
            (
                TileLayerSpec(_TIANDITU.format(layer="vec"), _TIANDITU_ATTR, "01234567"),
                TileLayerSpec(
                    _TIANDITU.format(layer="cva"), _TIANDITU_ATTR, "01234567", overlay=True
                ),
            ),
            needs_key=True,
        ),
        TileProvider(
            "tianditu_img",
            "tiles.tianditu_img",
            (
                TileLayerSpec(_TIANDITU.format(layer="img"), _TIANDITU_ATTR, "01234567"),
                TileLayerSpec(
                    _TIANDITU.format(layer="cia"), _TIANDITU_ATTR, "01234567", overlay=True
                ),
            ),
            needs_key=True,
        ),
        TileProvider(
            "gaode",
            "tiles.gaode",
            (
                TileLayerSpec(
                    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                    "&x={x}&y={y}&z={z}",
                    '&copy; <a href="https://www.amap.com/">高德地图</a> (GCJ-02)',
                    subdomains="1234",
                ),
            ),
            datum="gcj02",
        ),
    )
}
DEFAULT_PROVIDER = "none"


def provider(key: str) -> TileProvider:
    """Return the provider named `key`; an unknown key names the known ones."""
    try:
        return PROVIDERS[key]
    except KeyError:
        raise KeyError(f"unknown basemap {key!r}; choose one of {', '.join(PROVIDERS)}") from None
