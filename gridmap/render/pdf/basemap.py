"""An optional basemap under a printed map: web tiles warped into the map's metric CRS.

Off by default: printed maps are drawn from the data alone. When the user has
chosen a tile provider (`gridmap.render.web.tiles.PROVIDERS`, with its key where it
needs one) and has a network, `draw_basemap` fetches the Web Mercator tiles
covering the map through the ``fetch`` its caller gives (the CLI and the app
pass `gridmap.io.fetch_tile`; nothing here goes to the network itself),
mosaics them and resamples the mosaic onto a raster aligned with the
map's own grid (each output pixel's centre is projected to longitude/latitude,
shifted onto GCJ-02 for Gaode tiles, and looked up in the mosaic), so the
basemap lines up with the data although the map is not in Web Mercator.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from matplotlib.axes import Axes
from pyproj import CRS, Transformer

from gridmap.geo import WEB_CRS
from gridmap.render.web.tiles import PROVIDERS, TileLayerSpec

TILE = 256
MAX_TILES = 64
#: Fetches one tile: URL -> PNG or JPEG bytes (`gridmap.io.fetch_tile` over the network).
Fetch: TypeAlias = Callable[[str], bytes]


@dataclass(frozen=True)
class Basemap:
    """A chosen tile provider's layers, its datum and how tiles are fetched."""

    layers: tuple[TileLayerSpec, ...]
    datum: str = "wgs84"
    fetch: Fetch | None = None

    @property
    def attribution(self) -> str:
        """The providers' attributions as plain text (HTML tags removed)."""
        parts = dict.fromkeys(
            html.unescape(re.sub(r"<[^>]+>", "", spec.attribution)).strip() for spec in self.layers
        )
        return " · ".join(p for p in parts if p)


def basemap_for(
    provider: str, *, key: str | None = None, fetch: Fetch | None = None
) -> Basemap | None:
    """Return the basemap of a provider of `PROVIDERS` (None for "none" or a missing key)."""
    if provider not in PROVIDERS:
        raise ValueError(f"unknown basemap {provider!r}; choose one of {', '.join(PROVIDERS)}")
    chosen = PROVIDERS[provider]
    layers = tuple(chosen.layers(key=key))
    if not layers:
        return None
    return Basemap(layers, chosen.datum, fetch)


def _global_pixels(lon: np.ndarray, lat: np.ndarray, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator pixel coordinates of the whole world at `zoom`."""
    size = TILE * 2**zoom
    lat = np.clip(lat, -85.05112878, 85.05112878)
    x = (lon + 180.0) / 360.0 * size
    y = (1.0 - np.log(np.tan(np.radians(lat)) + 1 / np.cos(np.radians(lat))) / math.pi) / 2 * size
    return x, y


def _url(spec: TileLayerSpec, z: int, x: int, y: int) -> str:
    subdomains = spec.subdomains or ""
    s = subdomains[(x + y) % len(subdomains)] if subdomains else ""
    return (
        spec.url.replace("{s}", s)
        .replace("{z}", str(z))
        .replace("{x}", str(x))
        .replace("{y}", str(y))
    )


def _zoom(px_per_degree: float, max_zoom: int) -> int:
    return int(max(0, min(max_zoom, math.floor(math.log2(px_per_degree * 360 / TILE)))))


def warp(
    box: tuple[float, float, float, float],
    crs: CRS | str,
    basemap: Basemap,
    *,
    width_px: int = 1200,
) -> np.ndarray:
    """Return the basemap as an RGBA raster (height x width x 4, uint8) covering `box` in `crs`."""
    from PIL import Image

    fetch = basemap.fetch
    if fetch is None:
        raise ValueError(
            "this basemap has no tile fetcher; build it with "
            "basemap_for(provider, key=..., fetch=gridmap.io.fetch_tile)."
        )
    height_px = max(1, round(width_px * (box[3] - box[1]) / (box[2] - box[0])))
    xs = box[0] + (np.arange(width_px) + 0.5) * (box[2] - box[0]) / width_px
    ys = box[3] - (np.arange(height_px) + 0.5) * (box[3] - box[1]) / height_px
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = Transformer.from_crs(crs, WEB_CRS, always_xy=True).transform(gx, gy)
    if basemap.datum == "gcj02":
        from gridmap.geo import wgs84_to_gcj02

        lon, lat = (np.asarray(v) for v in wgs84_to_gcj02(lon, lat))
    span = max(float(lon.max() - lon.min()), 1e-9)
    zoom = _zoom(width_px / span, min(spec.max_zoom for spec in basemap.layers))
    while True:
        px, py = _global_pixels(lon, lat, zoom)
        tx0, tx1 = int(px.min() // TILE), int(px.max() // TILE)
        ty0, ty1 = int(py.min() // TILE), int(py.max() // TILE)
        if (tx1 - tx0 + 1) * (ty1 - ty0 + 1) <= MAX_TILES or zoom == 0:
            break
        zoom -= 1
    mosaic = Image.new("RGBA", ((tx1 - tx0 + 1) * TILE, (ty1 - ty0 + 1) * TILE), "white")
    for spec in basemap.layers:
        for tx in range(tx0, tx1 + 1):
            for ty in range(ty0, ty1 + 1):
                tile = Image.open(io.BytesIO(fetch(_url(spec, zoom, tx, ty)))).convert("RGBA")
                mosaic.alpha_composite(
                    tile.resize((TILE, TILE)), ((tx - tx0) * TILE, (ty - ty0) * TILE)
                )
    pixels = np.asarray(mosaic)
    ix = np.clip((px - tx0 * TILE).astype(int), 0, pixels.shape[1] - 1)
    iy = np.clip((py - ty0 * TILE).astype(int), 0, pixels.shape[0] - 1)
    return pixels[iy, ix]


def draw_basemap(
    ax: Axes,
    box: tuple[float, float, float, float],
    crs: CRS | str,
    basemap: Basemap,
    *,
    width_px: int = 1200,
) -> None:
    """Draw the basemap under everything, slightly faded so the grids read on top."""
    image = warp(box, crs, basemap, width_px=width_px)
    ax.imshow(
        image,
        extent=(box[0], box[2], box[1], box[3]),
        origin="upper",
        zorder=0.2,
        interpolation="bilinear",
        alpha=0.75,
    )
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
