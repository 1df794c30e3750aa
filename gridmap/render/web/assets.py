"""Offline web-map assets: which JS/CSS files the map needs and where they are served.

folium and streamlit-folium point every map at public CDNs (jsDelivr, cdnjs,
code.jquery.com...). An intranet has none of them, so GridMap serves its own
copies: the npm packages of `gridmap.vendored.PACKAGES`, at pinned versions,
reduced to the files used and their licence, are committed in
``static/vendor/<package>@<version>/`` (refreshed with
``python -m gridmap.io.vendor static/vendor --force``, which checks each
tarball's sha512), and Streamlit serves that folder at
``/app/static/vendor/`` (``enableStaticServing``).

`localize` rewrites every ``default_js`` / ``default_css`` of a folium element
tree: each URL GridMap has a copy of points to the local copy; the jQuery,
Bootstrap, Font Awesome and awesome-markers files folium adds to every map are
dropped, because no GridMap map uses them; any other URL is an error, so a new
plugin cannot bring a CDN back unnoticed.

>>> local_url("leaflet.js", "/app/static/vendor")
'/app/static/vendor/leaflet@1.9.4/dist/leaflet.js'
>>> match_asset("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css").key
'leaflet.css'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import branca

from gridmap.vendored import PACKAGES

#: Where Streamlit serves ``./static/vendor`` (path part; a base URL path goes before it).
STATIC_URL = "/app/static/vendor"


@dataclass(frozen=True)
class Asset:
    """One served file and the CDN URLs (by pattern) it stands in for."""

    key: str
    package: str
    file: str
    cdn_pattern: str
    cdn_url: str


ASSETS: dict[str, Asset] = {
    a.key: a
    for a in (
        Asset(
            "leaflet.js",
            "leaflet",
            "dist/leaflet.js",
            r"/leaflet(@[\d.]+)?/dist/leaflet\.js$",
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js",
        ),
        Asset(
            "leaflet.css",
            "leaflet",
            "dist/leaflet.css",
            r"/leaflet(@[\d.]+)?/dist/leaflet\.css$",
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css",
        ),
        Asset(
            "markercluster.js",
            "leaflet.markercluster",
            "dist/leaflet.markercluster.js",
            r"leaflet\.markercluster[/@][\d.]+/(dist/)?leaflet\.markercluster\.js$",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.5.3/"
            "leaflet.markercluster.js",
        ),
        Asset(
            "markercluster.css",
            "leaflet.markercluster",
            "dist/MarkerCluster.css",
            r"leaflet\.markercluster[/@][\d.]+/(dist/)?MarkerCluster\.css$",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.5.3/MarkerCluster.css",
        ),
        Asset(
            "markercluster.default.css",
            "leaflet.markercluster",
            "dist/MarkerCluster.Default.css",
            r"leaflet\.markercluster[/@][\d.]+/(dist/)?MarkerCluster\.Default\.css$",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.5.3/"
            "MarkerCluster.Default.css",
        ),
        Asset(
            "heat.js",
            "leaflet.heat",
            "dist/leaflet-heat.js",
            r"leaflet[._-]heat(\.min)?\.js$",
            "https://cdn.jsdelivr.net/npm/leaflet.heat@0.2.0/dist/leaflet-heat.js",
        ),
        Asset(
            "draw.js",
            "leaflet-draw",
            "dist/leaflet.draw.js",
            r"leaflet[.-]draw[/@][\d.]+/(dist/)?leaflet\.draw\.js$",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.js",
        ),
        Asset(
            "draw.css",
            "leaflet-draw",
            "dist/leaflet.draw.css",
            r"leaflet[.-]draw[/@][\d.]+/(dist/)?leaflet\.draw\.css$",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.css",
        ),
    )
}

#: folium defaults that no GridMap map uses (awesome-markers icons, Bootstrap, jQuery).
_UNUSED = re.compile(
    r"jquery|bootstrap|awesome-markers|awesome\.rotate|fontawesome|glyphicons", re.IGNORECASE
)


class AssetError(ValueError):
    """A map element needs a JS/CSS file that GridMap has no offline copy of."""


def match_asset(url: str) -> Asset | None:
    """Return the vendored asset standing in for a CDN URL, or None."""
    for asset in ASSETS.values():
        if re.search(asset.cdn_pattern, url):
            return asset
    return None


def local_url(key: str, base: str = STATIC_URL) -> str:
    """URL of a vendored asset under `base` (the static-serving prefix)."""
    asset = ASSETS[key]
    return f"{base.rstrip('/')}/{PACKAGES[asset.package].folder}/{asset.file}"


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _rewrite(links: list[tuple[str, str]], base: str | None) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if url.startswith(base or "\0"):
            out.append((name, url))
            continue
        asset = match_asset(url)
        if asset is not None:
            out.append((name, local_url(asset.key, base) if base else asset.cdn_url))
        elif _UNUSED.search(url) or _UNUSED.search(name):
            continue
        else:
            raise AssetError(
                f"{url} ({name}) has no offline copy. Add its npm package to "
                "gridmap.vendored.PACKAGES and gridmap.render.web.assets.ASSETS, "
                "or do not use that plugin."
            )
    return out


def localize(root: branca.element.Element, base: str | None = STATIC_URL) -> None:
    """Point every JS/CSS link of a folium element tree at the local copies.

    With ``base=None`` (assets not installed) the links point at the pinned
    public CDN copies instead, so the map still works with internet access.
    """
    for element in _walk(root):
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if links:
                setattr(element, attr, _rewrite(list(links), base))
