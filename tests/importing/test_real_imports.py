"""Real public data through `gridmap import` (docs/real-data.md, Import); skipped without the data.

The plan is `bench/import_real.py`'s: every file of ../shared/data/real imported level by
level as a user would, nothing corrected by hand. The numbers checked here are the ones
recorded in the docs.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from gridmap.io import read_district, read_edit_log

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "real"
pytestmark = pytest.mark.skipif(
    not (DATA / "montreal").is_dir() or not (DATA / "vaucluse").is_dir(),
    reason=f"real data not found at {DATA}",
)


def _plan_module():
    spec = importlib.util.spec_from_file_location("import_real", ROOT / "bench" / "import_real.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("real")
    results = _plan_module().run_plan(DATA, out)
    return out, {(step.place, step.layer): report for step, report, _ in results}


def test_every_import_accounts_for_every_feature(imported) -> None:
    _, reports = imported
    for (place, layer), report in reports.items():
        assert report.ok and report.written, (place, layer, report.lines())
        assert report.features_read == report.features_kept + report.features_dropped


def test_montreal_boroughs(imported) -> None:
    report = imported[1][("montreal", "grid_large")]
    assert (report.features_read, report.features_kept) == (34, 34)
    assert "grid_id held numbers (int32); converted to text" in report.notes


def test_montreal_areas_duplicates_and_a_misspelt_borough(imported) -> None:
    report = imported[1][("montreal", "grid_medium")]
    assert report.features_read == 2826 and report.features_kept == 2822
    assert report.dropped == {"exact duplicates of another row": 4}
    assert sorted(report.dropped_examples["exact duplicates of another row"]) == [
        "24660277",
        "24660565",
        "24661618",
        "24662920",
    ]
    assert any("encoding CP1252 from the .dbf header" in n for n in report.notes)
    # Accents and dashes are spelling variants the matching absorbs; a typo is listed.
    (typo,) = report.unmatched_parents
    assert (typo.value, typo.features, typo.candidates[0]) == ("Montréa-Nord", 145, "Montréal-Nord")


def test_montreal_blocks_repairs_and_linked_cities(imported) -> None:
    report = imported[1][("montreal", "grid_small")]
    assert report.features_read == report.features_kept == 13842
    assert report.repaired == {"invalid polygons made valid (make_valid)": 20}
    orphans = sum(u.features for u in report.unmatched_parents)
    assert orphans == 2779  # blocks of the linked cities, and of areas missing from the file
    out, _ = imported
    district = read_district(out / "montreal.gpkg")
    small = district["grid_small"]
    assert small["parent_id"].notna().sum() == 13842 - 2779
    assert small.geometry.is_valid.all()
    assert "IDpop_2021" in small.columns  # attributes beyond the schema are kept
    log = read_edit_log(out / "montreal.gpkg")
    assert log["operation"].tolist() == ["import"] * 3 and log["layer"].tolist() == [
        "grid_medium",
        "grid_small",
        "equipment_points",
    ]


def test_montreal_fire_stations_are_equipment_points(imported) -> None:
    """The data README maps fire stations to equipment points; one of them is closed."""
    out, reports = imported
    report = reports[("montreal", "equipment_points")]
    assert (report.features_read, report.features_kept, report.dropped) == (68, 68, {})
    district = read_district(out / "montreal.gpkg")
    assert "units" not in district or len(district["units"]) == 0
    points = district["equipment_points"].set_index("point_id")
    assert len(points) == 68 and set(points["status"]) == {"existing"}
    closed = points[points["DATE_FIN"] != "NaT"]  # the file writes NaT as text
    assert closed.index.tolist() == ["79"]
    assert closed.loc["79", "DATE_FIN"].startswith("2009-11-05")
    (step,) = [s for s in _plan_module().PLAN if s.layer == "equipment_points"]
    assert "station 79" in step.remarks[0] and "DATE_FIN" in step.remarks[0]


def test_vaucluse_parents_by_location(imported) -> None:
    out, reports = imported
    assert reports[("vaucluse", "grid_small")].features_kept == 151
    assert not reports[("vaucluse", "grid_small")].unmatched_parents
    district = read_district(out / "vaucluse.gpkg")
    communes = district["grid_small"].set_index("name")
    assert communes.loc["Avignon", "parent_id"] == "84002"
    assert communes.loc["Apt", "parent_id"] == "84001"
    assert set(district["grid_medium"]["parent_id"]) == {"84"}
