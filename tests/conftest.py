"""Shared hand-built geometries with known answers, in a metric CRS (EPSG:4547).

The tiny district: two large grids side by side, three medium grids, four
small grids, all rectangles whose areas are known by hand::

    y=100 +---------+---------+-------------------+
          |   S2    |         |                   |
    y=50  +---------+   S3    |        S4         |
          |   S1    |         |                   |
    y=0   +---------+---------+-------------------+
          x=0      100       200                 400
    M1 = S1+S2 (L1), M2 = S3 (L1), M3 = S4 (L2); L1 = [0,200], L2 = [200,400]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the pages import gridmap_app, as app.py's folder allows

CRS = "EPSG:4547"
X0, Y0 = 433_000.0, 3_852_000.0  # near 113.27E 34.80N in EPSG:4547


def rect(x1: float, y1: float, x2: float, y2: float):
    return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def pt(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def make_tiny_layers() -> dict[str, pd.DataFrame]:
    """A small, clean district; every call returns fresh frames."""
    large = gpd.GeoDataFrame(
        {
            "grid_id": ["L1", "L2"],
            "name": ["济源路街道", "峡窝镇"],
            "leader": ["张伟", "李娜"],
            "phone": ["13800000001", None],
        },
        geometry=[rect(0, 0, 200, 100), rect(200, 0, 400, 100)],
        crs=CRS,
    )
    medium = gpd.GeoDataFrame(
        {
            "grid_id": ["M1", "M2", "M3"],
            "parent_id": ["L1", "L1", "L2"],
            "name": ["朝阳社区", "金华社区", "东林村"],
            "kind": ["community", "community", "village"],
            "leader": ["王芳", "刘洋", "陈静"],
        },
        geometry=[rect(0, 0, 100, 100), rect(100, 0, 200, 100), rect(200, 0, 400, 100)],
        crs=CRS,
    )
    small = gpd.GeoDataFrame(
        {
            "grid_id": ["S1", "S2", "S3", "S4"],
            "parent_id": ["M1", "M1", "M2", "M3"],
            "name": ["朝阳第1片区", "朝阳第2片区", "金华第1片区", "东林第1片区"],
            "leader": ["赵磊", "孙丽", "周强", "吴敏"],
        },
        geometry=[
            rect(0, 0, 100, 50),
            rect(0, 50, 100, 100),
            rect(100, 0, 200, 100),
            rect(200, 0, 400, 100),
        ],
        crs=CRS,
    )
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["B1", "B2", "B3", "B4"],
            "use": ["residential", "residential", "commercial", "industrial"],
            "floors": [6, 3, 2, 1],
            "households_expected": [12, 6, 0, 0],
        },
        geometry=[
            rect(10, 10, 30, 30),
            rect(10, 60, 30, 80),
            rect(120, 10, 150, 30),
            rect(250, 20, 300, 60),
        ],
        crs=CRS,
    )
    households = gpd.GeoDataFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "building_id": ["B1", "B1", "B2"],
            "members": [3, 2, 4],
        },
        geometry=[pt(15, 15), pt(20, 20), pt(15, 65)],
        crs=CRS,
    )
    units = gpd.GeoDataFrame(
        {
            "unit_id": ["U1", "U2"],
            "name": ["金华超市", "东林加工厂"],
            "category": ["small_venue", "family_workshop"],
            "building_id": ["B3", "B4"],
        },
        geometry=[pt(130, 20), pt(260, 30)],
        crs=CRS,
    )
    equipment = gpd.GeoDataFrame(
        {
            "point_id": ["E1"],
            "name": ["朝阳社区器材点"],
            "grid_id": ["S1"],
            "is_pilot": [True],
            "extinguishers": [4],
            "gas_masks": [2],
            "water_guns": [1],
            "hoses": [2],
            "wrenches": [1],
            "boxes": [3],
            "mist_units": [1],
            "signage": [1],
            "status": ["existing"],
        },
        geometry=[pt(50, 25)],
        crs=CRS,
    )
    inspections = gpd.GeoDataFrame(
        {
            "inspection_id": ["I1", "I2"],
            "inspected_at": ["2025-06-01 00:00:00", "2025-06-08T09:30:00+08:00"],
            "inspector_role": ["community", "patrol"],
            "target_id": ["S1", "M1"],
            "result": ["ok", "hazard"],
        },
        geometry=[pt(50, 25), pt(50, 75)],
        crs=CRS,
    )
    hazards = gpd.GeoDataFrame(
        {
            "hazard_id": ["HZ1"],
            "found_at": ["2025-06-08 09:30"],
            "severity": ["general"],
            "status": ["open"],
            "deadline": ["2025-06-22"],
            "unit_id": ["U1"],
        },
        geometry=[pt(130, 20)],
        crs=CRS,
    )
    return {
        "grid_large": large,
        "grid_medium": medium,
        "grid_small": small,
        "buildings": buildings,
        "households": households,
        "units": units,
        "equipment_points": equipment,
        "inspections": inspections,
        "hazards": hazards,
    }


def write_gpkg(path: Path, layers: dict[str, pd.DataFrame]) -> Path:
    """Write frames as layers of a GeoPackage, as a user's file would hold them."""
    for name, frame in layers.items():
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            layer_options={"OVERWRITE": "YES"} if path.exists() else {},
        )
    return path


@pytest.fixture(scope="session", autouse=True)
def gridmap_home(tmp_path_factory: pytest.TempPathFactory):
    """A GridMap home of the test session (user store, audit log, demo copy), never ~/.gridmap.

    The app tests' accounts are made in it once, when a test first signs in
    (`_app_support.ensure_accounts`). Tests that need an empty store set their own.
    """
    import os

    home = tmp_path_factory.mktemp("gridmap_home")
    before = os.environ.get("GRIDMAP_HOME")
    os.environ["GRIDMAP_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("GRIDMAP_HOME", None)
    else:
        os.environ["GRIDMAP_HOME"] = before


@pytest.fixture
def tiny_layers() -> dict[str, pd.DataFrame]:
    return make_tiny_layers()


@pytest.fixture
def tiny_gpkg(tmp_path: Path) -> Path:
    return write_gpkg(tmp_path / "tiny.gpkg", make_tiny_layers())


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample district the app opens first (bundled, or generated once)."""
    from _app_support import ensure_sample

    return ensure_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture
def writable(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample that the app opens, so forms never write into the repository."""
    copy = tmp_path / "district.gpkg"
    shutil.copy(sample, copy)
    monkeypatch.setenv("GRIDMAP_SAMPLE", str(copy))
    return copy
