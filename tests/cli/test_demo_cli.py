"""`gridmap demo PATH` end to end: it writes the bundled sample, layer for layer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal

from gridmap import read_district
from gridmap.demo import DEFAULT_SEED

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
#: The bundled sample's layers and feature counts (docs/schema.md lists the same numbers).
COUNTS = {
    "grid_large": 6,
    "grid_medium": 32,
    "grid_small": 150,
    "buildings": 5043,
    "households": 40869,
    "units": 1500,
    "equipment_points": 64,
    "inspections": 21950,
    "hazards": 382,
    "trainings": 536,
    "fire_teams": 39,
    "emergency_plans": 40,
    "drills": 76,
    "meetings": 44,
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("demo") / "shangjie_demo.gpkg"
    done = subprocess.run(
        [sys.executable, "-m", "gridmap.cli", "demo", str(out), "--seed", "2025"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return out, done


def test_demo_writes_the_file_and_says_what_it_wrote(generated) -> None:
    out, done = generated
    assert done.returncode == 0, done.stderr
    counts = ", ".join(f"{name} {n}" for name, n in COUNTS.items())
    assert done.stdout == f"Wrote {out}: {counts}\n"
    assert "Traceback" not in done.stderr and f"... writing {out}" in done.stderr


def test_the_bundled_sample_is_what_gridmap_demo_generates(generated) -> None:
    out, _ = generated
    assert DEFAULT_SEED == 2025  # the seed docs/schema.md gives for the bundled file
    names = [str(n) for n, _ in pyogrio.list_layers(out)]
    assert names == [str(n) for n, _ in pyogrio.list_layers(BUNDLED)]
    assert sorted(names) == sorted(COUNTS)
    for name in names:
        ours = pyogrio.read_dataframe(out, layer=name)
        bundled = pyogrio.read_dataframe(BUNDLED, layer=name)
        assert len(ours) == COUNTS[name], name
        if isinstance(bundled, gpd.GeoDataFrame):
            assert_geodataframe_equal(ours, bundled)
        else:
            pd.testing.assert_frame_equal(ours, bundled)


def test_the_generated_file_loads_without_errors(generated) -> None:
    out, _ = generated
    district = read_district(out)
    assert {name: len(layer) for name, layer in district.layers.items()} == COUNTS
    assert not [p for p in district.problems if p.severity == "error"]
    assert district.crs.to_epsg() == 4547
