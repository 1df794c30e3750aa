"""Hand-built districts for the coverage tests, with every answer worked out by hand.

`make_defective_layers` starts from conftest's tiny district (see its drawing)
and plants one defect per check::

    y=100 +-----------+----+----+-------------------+
          |   S2 (no  | ov |    |   S4 = bow-tie     |
    y=50  +--leader)--+----+ S3 |   (two triangles,  |
          |  gap 0..100 x 40..50|    M3 gap 10,000)  |
    y=40  +----------+     |    |                   |
          |   S1     |B6 straddles x=100           |  U3 at x=410
    y=0   +----------+-----+----+-------------------+
          x=0       100  120   200                 400

- S1 shrinks to y 0..40: gap of 100 x 10 = 1,000 m² in M1.
- S2 grows to x 0..120: 20 x 50 = 1,000 m² outside M1, overlapping S3 by 1,000 m²;
  its leader is blank.
- S3 names parent M9: bad_parent.
- S4 is a bow-tie over x 200..400: invalid; repaired to two triangles of
  5,000 m² each, so M3 has a gap of 10,000 m².
- B1 appears twice (duplicate_id); B5 sits in the gap (building_missed);
  B6 spans S1 and S3 with 200 m² in each (building_split); B7 is residential
  with no household (building_no_households).
- H4 has no building_id, H5 names B99, H6 names the missed B5 (household_missed).
- U3 lies east of every grid (unit_missed).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyproj
from conftest import make_tiny_layers, pt, rect
from shapely.geometry import Polygon

from gridmap.district import District

X0, Y0 = 433_000.0, 3_852_000.0
WORKING = pyproj.CRS.from_epsg(4547)


def bow_tie(x1: float, y1: float, x2: float, y2: float) -> Polygon:
    return Polygon([(X0 + x1, Y0 + y1), (X0 + x2, Y0 + y2), (X0 + x2, Y0 + y1), (X0 + x1, Y0 + y2)])


def district(layers: dict[str, pd.DataFrame]) -> District:
    return District(layers=layers, crs=WORKING)


def add_rows(frame: gpd.GeoDataFrame, rows: list[dict]) -> gpd.GeoDataFrame:
    extra = gpd.GeoDataFrame(rows, geometry="geometry", crs=frame.crs)
    return gpd.GeoDataFrame(pd.concat([frame, extra], ignore_index=True), crs=frame.crs)


def make_defective_layers() -> dict[str, pd.DataFrame]:
    layers = make_tiny_layers()
    small = layers["grid_small"].copy()
    small.loc[0, "geometry"] = rect(0, 0, 100, 40)
    small.loc[1, "geometry"] = rect(0, 50, 120, 100)
    small.loc[1, "leader"] = "  "
    small.loc[2, "parent_id"] = "M9"
    small.loc[3, "geometry"] = bow_tie(200, 0, 400, 100)
    layers["grid_small"] = small
    layers["buildings"] = add_rows(
        layers["buildings"],
        [
            {"building_id": "B1", "use": "residential", "geometry": rect(40, 10, 50, 20)},
            {"building_id": "B5", "use": "commercial", "geometry": rect(10, 42, 20, 48)},
            {"building_id": "B6", "use": "commercial", "geometry": rect(90, 10, 110, 30)},
            {"building_id": "B7", "use": "residential", "geometry": rect(60, 10, 70, 20)},
        ],
    )
    layers["households"] = add_rows(
        layers["households"],
        [
            {"household_id": "H4", "building_id": None, "geometry": None},
            {"household_id": "H5", "building_id": "B99", "geometry": None},
            {"household_id": "H6", "building_id": "B5", "geometry": None},
        ],
    )
    layers["units"].loc[1, "geometry"] = pt(220, 50)  # well inside S4's western triangle
    layers["units"] = add_rows(
        layers["units"],
        [
            {"unit_id": "U3", "name": "东站加油站", "category": "key", "geometry": pt(410, 50)},
        ],
    )
    return layers


#: (check, layer, ids, area_m2 or None, large_id, medium_id) of every planted finding.
EXPECTED = [
    ("invalid_geometry", "grid_small", ["S4"], None, "L2", "M3"),
    ("duplicate_id", "buildings", ["B1"], None, "L1", "M1"),
    ("no_leader", "grid_small", ["S2"], None, "L1", "M1"),
    ("bad_parent", "grid_small", ["S3"], None, "L1", "M2"),
    ("outside_parent", "grid_small", ["S2"], 1000.0, "L1", "M1"),
    ("gap", "grid_medium", ["M1"], 1000.0, "L1", "M1"),
    ("gap", "grid_medium", ["M3"], 10000.0, "L2", "M3"),
    ("overlap", "grid_small", ["S2", "S3"], 1000.0, "L1", "M1"),
    ("building_missed", "buildings", ["B5"], None, "L1", "M1"),
    ("building_split", "buildings", ["B6"], None, "L1", "M1"),
    ("household_missed", "households", ["H4"], None, None, None),
    ("household_missed", "households", ["H5"], None, None, None),
    ("household_missed", "households", ["H6"], None, "L1", "M1"),
    ("building_no_households", "buildings", ["B7"], None, "L1", "M1"),
    ("unit_missed", "units", ["U3"], None, None, None),
]
