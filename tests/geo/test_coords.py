"""WGS 84 <-> GCJ-02 <-> BD-09: published pairs, prcoords, round trips, the offset heuristic."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import prcoords
import pytest
from geopandas.testing import assert_geodataframe_equal, assert_geoseries_equal
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from gridmap.errors import CRSError
from gridmap.geo import coords


def metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Ground distance between nearby points, in metres (equirectangular, fine under 10 km)."""
    lat = np.radians((np.asarray(lat1) + np.asarray(lat2)) / 2)
    dx = (np.asarray(lon1) - np.asarray(lon2)) * 111_320.0 * np.cos(lat)
    dy = (np.asarray(lat1) - np.asarray(lat2)) * 110_574.0
    return np.hypot(dx, dy)


# Published reference values of the widely used coordtransform library (its README and
# test/app.js), for the input (116.404, 39.915) near Tiananmen. The forward formulas are
# the definition, so they must match to the last digits; its inverses are the one-step
# approximations, so ours (exact) must be within a metre of them.
FORWARD = [
    ("wgs84", "gcj02", (116.41024449916938, 39.91640428150164)),
    ("gcj02", "bd09", (116.41036949371029, 39.92133699351021)),
]
ROUGH_INVERSE = [
    ("bd09", "gcj02", (116.39762729119315, 39.90865673957631)),
    ("gcj02", "wgs84", (116.39775550083061, 39.91359571849836)),
]


@pytest.mark.parametrize(("source", "target", "expected"), FORWARD)
def test_forward_matches_published_values(source, target, expected) -> None:
    lon, lat = coords.convert(116.404, 39.915, source, target)
    assert lon == pytest.approx(expected[0], abs=1e-12)
    assert lat == pytest.approx(expected[1], abs=1e-12)


@pytest.mark.parametrize(("source", "target", "expected"), ROUGH_INVERSE)
def test_inverse_within_a_metre_of_published_approximation(source, target, expected) -> None:
    lon, lat = coords.convert(116.404, 39.915, source, target)
    assert metres(lon, lat, *expected) < 1.0
    # ... and ours is exact: going forward again gives the input back.
    again = coords.convert(lon, lat, target, source)
    assert metres(*again, 116.404, 39.915) < 1e-6


def test_zhengzhou_offset_is_about_590_m() -> None:
    lon, lat = coords.wgs84_to_gcj02(113.27, 34.80)
    assert (round(float(lon), 5), round(float(lat), 5)) == (113.27633, 34.79904)
    assert 550 < metres(lon, lat, 113.27, 34.80) < 650


def china_grid(step: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = np.meshgrid(np.arange(73.7, 134.7, step), np.arange(16.8, 53.5, step))
    return lon.ravel(), lat.ravel()


@pytest.mark.parametrize(("shifted"), ["gcj02", "bd09"])
def test_round_trips_over_china_are_sub_millimetre(shifted) -> None:
    lon, lat = china_grid()
    there = coords.convert(lon, lat, "wgs84", shifted)
    back = coords.convert(*there, shifted, "wgs84")
    assert metres(*back, lon, lat).max() < 1e-3
    # The inverse solves the forward formula: forward(inverse(p)) == p.
    inverse = coords.convert(lon, lat, shifted, "wgs84")
    forward = coords.convert(*inverse, "wgs84", shifted)
    assert np.abs(forward[0] - lon).max() < 1e-11
    assert np.abs(forward[1] - lat).max() < 1e-11


def test_one_step_inverse_is_metres_off_somewhere() -> None:
    """Why the iteration matters: the usual one-step inverse misses by metres."""
    lon, lat = china_grid(0.25)
    g_lon, g_lat = coords.wgs84_to_gcj02(lon, lat)
    f_lon, f_lat = coords.wgs84_to_gcj02(g_lon, g_lat)
    assert metres(2 * g_lon - f_lon, 2 * g_lat - f_lat, lon, lat).max() > 1.0


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=73.7, max_value=134.7, allow_nan=False),
    st.floats(min_value=16.8, max_value=53.5, allow_nan=False),
)
def test_round_trip_property(lon: float, lat: float) -> None:
    for shifted in ("gcj02", "bd09"):
        back = coords.convert(*coords.convert(lon, lat, "wgs84", shifted), shifted, "wgs84")
        assert metres(*back, lon, lat) < 1e-3


def test_outside_china_gcj02_leaves_points_unchanged() -> None:
    lon = np.array([-73.6, 2.35, 151.2])
    lat = np.array([45.5, 48.85, -33.9])
    for pair in (coords.wgs84_to_gcj02(lon, lat), coords.gcj02_to_wgs84(lon, lat)):
        np.testing.assert_array_equal(pair[0], lon)
        np.testing.assert_array_equal(pair[1], lat)


def test_bd09_shifts_everywhere_as_baidu_does() -> None:
    lon, lat = coords.wgs84_to_bd09(-73.6, 45.5)
    assert metres(lon, lat, -73.6, 45.5) > 100
    back = coords.bd09_to_wgs84(lon, lat)
    assert metres(*back, -73.6, 45.5) < 1e-6


def test_inputs_are_not_mutated_and_nan_passes_through() -> None:
    lon = np.array([116.404, np.nan, 113.27])
    lat = np.array([39.915, 30.0, np.nan])
    saved = lon.copy(), lat.copy()
    out = coords.gcj02_to_wgs84(lon, lat)
    np.testing.assert_array_equal(lon, saved[0])
    np.testing.assert_array_equal(lat, saved[1])
    assert np.isfinite(out[0][0]) and np.isnan(out[0][1]) and np.isnan(out[1][2])


def test_unknown_system_is_an_error() -> None:
    with pytest.raises(CRSError, match="unknown coordinate system 'mars'"):
        coords.convert(1.0, 2.0, "mars", "wgs84")


class TestAgainstPrcoords:
    """prcoords (CC0) as an independent reference (the ``test`` extra installs it)."""

    @pytest.fixture
    def sample(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(9)
        return rng.uniform(73.7, 134.7, 400), rng.uniform(16.8, 53.5, 400)

    def test_forward(self, sample) -> None:
        lon, lat = sample
        ours = coords.wgs84_to_gcj02(lon, lat)
        bd = coords.wgs84_to_bd09(lon, lat)
        for i in range(len(lon)):
            ref = prcoords.wgs_gcj((lat[i], lon[i]))
            assert (ours[0][i], ours[1][i]) == pytest.approx((ref.lon, ref.lat), abs=1e-12)
            ref = prcoords.wgs_bd((lat[i], lon[i]))
            assert (bd[0][i], bd[1][i]) == pytest.approx((ref.lon, ref.lat), abs=1e-12)

    def test_inverse(self, sample) -> None:
        lon, lat = sample
        gcj = coords.gcj02_to_wgs84(lon, lat)
        bd = coords.bd09_to_wgs84(lon, lat)
        for i in range(len(lon)):
            ref = prcoords.gcj_wgs_bored((lat[i], lon[i]))
            assert metres(gcj[0][i], gcj[1][i], ref.lon, ref.lat) < 0.01
            ref = prcoords.bd_wgs_bored((lat[i], lon[i]))
            assert metres(bd[0][i], bd[1][i], ref.lon, ref.lat) < 0.05


# ---------------------------------------------------------------------------
# Layers and the GCJ-02 heuristic


def blocks_wgs84() -> gpd.GeoDataFrame:
    """A 6 x 4 tiling of 300 m blocks near Zhengzhou, in WGS 84."""
    cells = [
        box(
            113.27 + i * 0.0033,
            34.80 + j * 0.0027,
            113.27 + (i + 1) * 0.0033,
            34.80 + (j + 1) * 0.0027,
        )
        for i in range(6)
        for j in range(4)
    ]
    return gpd.GeoDataFrame(
        {"grid_id": [f"B{k}" for k in range(len(cells))]}, geometry=cells, crs=4326
    )


def test_convert_layer_returns_a_new_frame() -> None:
    layer = blocks_wgs84()
    before = layer.copy()
    out = coords.convert_layer(layer, "wgs84", "gcj02")
    assert_geodataframe_equal(layer, before)
    back = coords.convert_layer(out, "gcj02", "wgs84")
    assert_geoseries_equal(back.geometry, layer.geometry, check_less_precise=True)
    with pytest.raises(CRSError, match="longitudes and latitudes"):
        coords.convert_layer(layer.to_crs(4547), "gcj02")


@pytest.mark.parametrize("system", ["wgs84", "gcj02", "bd09"])
def test_offset_check_recognises_the_system(system) -> None:
    reference = blocks_wgs84()
    layer = coords.convert_layer(reference.iloc[::3], "wgs84", system)
    check = coords.datum_offset_check(layer, reference)
    assert check.best == system
    assert coords.looks_like_gcj02(layer, reference) is (system == "gcj02")
    if system == "gcj02":
        assert check.distances_m["gcj02"] < 0.01
        assert 550 < np.hypot(*check.gcj02_shift_m) < 650


def test_offset_check_with_points_in_reference_polygons() -> None:
    """Ledger points (units) against the buildings they stand in."""
    buildings = [
        box(113.27 + i * 0.003, 34.80 + j * 0.003, 113.2702 + i * 0.003, 34.8002 + j * 0.003)
        for i in range(8)
        for j in range(8)
    ]
    reference = gpd.GeoDataFrame(geometry=buildings, crs=4326).to_crs(4547)
    points = gpd.GeoDataFrame(geometry=[b.centroid for b in buildings], crs=4326)
    assert not coords.looks_like_gcj02(points, reference)
    assert coords.looks_like_gcj02(coords.convert_layer(points, "wgs84", "gcj02"), reference)
