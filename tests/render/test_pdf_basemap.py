"""The optional basemap of printed maps, with fake tiles (no network in tests).

Each fake tile is filled with a colour that encodes its column and row, so the
warped raster can be checked against where each pixel should fall.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess

import numpy as np
import pyproj
import pytest
from PIL import Image
from test_pdf import tiny_data

from gridmap.render.pdf.basemap import TILE, Basemap, basemap_for, warp
from gridmap.render.pdf.document import PageOptions, map_sheet, pdf_bytes
from gridmap.render.web.tiles import TileLayerSpec

X0, Y0 = 433_000.0, 3_852_000.0


def fake_fetch(calls: list[str]):
    def fetch(url: str) -> bytes:
        calls.append(url)
        z, x, y = (int(v) for v in re.search(r"/(\d+)/(\d+)/(\d+)\.png$", url).groups())
        image = Image.new("RGBA", (TILE, TILE), (x % 256, y % 256, z * 10, 255))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()

    return fetch


def expected_tile(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def test_warp_lines_up_with_the_tiles() -> None:
    calls: list[str] = []
    basemap = Basemap(
        (TileLayerSpec("https://t.example/{z}/{x}/{y}.png", "&copy; Test"),),
        fetch=fake_fetch(calls),
    )
    box = (X0, Y0, X0 + 4000, Y0 + 3000)
    image = warp(box, "EPSG:4547", basemap, width_px=400)
    assert image.shape == (300, 400, 4) and image.dtype == np.uint8
    zoom = int(re.search(r"/(\d+)/", calls[0]).group(1))
    assert 1 <= len(calls) <= 64 and all("{" not in c for c in calls)
    to_lonlat = pyproj.Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True)
    for row, col in ((5, 5), (150, 200), (290, 390)):
        x = box[0] + (col + 0.5) * 10
        y = box[3] - (row + 0.5) * 10
        tx, ty = expected_tile(*to_lonlat.transform(x, y), zoom)
        assert tuple(image[row, col, :2]) == (tx % 256, ty % 256)


def test_basemap_for() -> None:
    assert basemap_for("none") is None
    assert basemap_for("tianditu_vec") is None  # no key: no basemap
    tianditu = basemap_for("tianditu_vec", key="abc")
    assert len(tianditu.layers) == 2 and "tk=abc" in tianditu.layers[0].url
    assert basemap_for("gaode").datum == "gcj02"
    assert basemap_for("osm").attribution == "© OpenStreetMap"
    with pytest.raises(ValueError, match="unknown basemap"):
        basemap_for("bing")


@pytest.mark.skipif(not shutil.which("pdfimages"), reason="poppler-utils not installed")
def test_sheet_with_basemap(tmp_path) -> None:
    calls: list[str] = []
    basemap = Basemap(
        (TileLayerSpec("https://t.example/{z}/{x}/{y}.png", "&copy; Test"),),
        fetch=fake_fetch(calls),
    )
    figure = map_sheet(tiny_data(), options=PageOptions(basemap=basemap))
    path = tmp_path / "basemap.pdf"
    path.write_bytes(pdf_bytes([figure]))
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert len(listing.strip().splitlines()) >= 3  # header, rule, at least one image
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "底图：© Test" in text and calls
