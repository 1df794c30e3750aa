"""The coverage check on real public boundaries, imported as a user would (docs/real-data.md).

`bench/real_data.py` imports the files through bench/import_real.py's plan (`gridmap import`
with column mappings) and checks the GeoPackages that produces; the counts checked here are
the ones the page records. Skipped without the data.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "real"
pytestmark = pytest.mark.skipif(
    not (DATA / "montreal").is_dir() or not (DATA / "vaucluse").is_dir(),
    reason=f"real data not found at {DATA}",
)


def _real_data_module():
    spec = importlib.util.spec_from_file_location("real_data", ROOT / "bench" / "real_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _counts(report) -> dict[str, int]:
    return {k: v for k, v in report.summary.items() if k not in ("per_large", "ok")}


@pytest.fixture(scope="module")
def real_data():
    return _real_data_module()


@pytest.fixture(scope="module")
def checked(real_data, tmp_path_factory):
    return real_data.run(DATA, tmp_path_factory.mktemp("real"))


def test_the_check_reads_the_geopackages_of_the_import_path(checked) -> None:
    for place in ("montreal", "vaucluse"):
        c = checked[place]
        assert c.path.name == f"{place}.gpkg" and c.path.is_file()
        assert c.district.path == str(c.path)  # read back from the file, not built in memory
        assert all(r.ok and r.written for r in c.imports.values())


def test_montreal_counts_as_documented(checked):
    c = checked["montreal"]
    assert {k: len(v) for k, v in c.district.layers.items()} == {
        "grid_large": 34,
        "grid_medium": 2822,  # 2,826 rows read, 4 exact duplicates dropped by the import
        "grid_small": 13842,
        "equipment_points": 68,
    }
    assert c.district.crs.to_epsg() == 32618
    assert _counts(c.reports[1.0]) == {
        "invalid_geometry": 0,  # the import made the 20 invalid blocks valid
        "duplicate_id": 0,  # and dropped the 4 duplicated areas
        "no_leader": 16698,
        "bad_parent": 2924,
        "outside_parent": 8584,
        "gap": 171,
        "overlap": 0,
        "building_missed": 0,
        "building_split": 0,
        "household_missed": 0,
        "building_no_households": 0,
        "unit_missed": 0,
        "errors": 28377,
        "warnings": 0,
    }


def test_montreal_what_the_import_cleaned_it_reported(checked):
    imports = checked["montreal"].imports
    areas, blocks = imports["grid_medium"], imports["grid_small"]
    assert sorted(areas.dropped_examples["exact duplicates of another row"]) == [
        "24660277",
        "24660565",
        "24661618",
        "24662920",
    ]
    assert blocks.repaired == {"invalid polygons made valid (make_valid)": 20}


def test_montreal_notable_findings(checked):
    c = checked["montreal"]
    medium = c.district["grid_medium"]
    unmatched = medium.loc[medium["parent_id"].isna(), "parent_name"].unique().tolist()
    assert unmatched == ["Montréa-Nord"]  # accents and dashes match; the typo does not
    bad_areas = c.findings("bad_parent", "grid_medium")
    assert len(bad_areas) == 145
    # located by place: the misspelled areas are found in Montréal-Nord (CODEID 8)
    assert set(bad_areas["large_id"]) == {"8"}
    gaps = c.findings("gap", "grid_large")
    assert "33" in set(gaps["ids"].str[0])  # Pointe-Claire, a linked city without areas
    assert c.findings("outside_parent", "grid_medium")["ids"].str[0].value_counts().max() == 1


def test_montreal_min_area_removes_slivers(checked):
    strict = checked["montreal"].reports[100.0]
    assert strict.summary["outside_parent"] == 319
    assert strict.summary["gap"] == 44
    assert strict.summary["bad_parent"] == 2924


def test_montreal_fire_stations_lie_in_blocks(checked, real_data):
    district = checked["montreal"].district
    assert real_data._stations_in_blocks(district) == len(district["equipment_points"]) == 68


def test_vaucluse_counts_as_documented(checked):
    c = checked["vaucluse"]
    assert {k: len(v) for k, v in c.district.layers.items()} == {
        "grid_large": 1,
        "grid_medium": 3,
        "grid_small": 151,
    }
    assert _counts(c.reports[1.0]) == {
        "invalid_geometry": 0,
        "duplicate_id": 0,
        "no_leader": 155,
        "bad_parent": 0,
        "outside_parent": 57,
        "gap": 4,
        "overlap": 0,
        "building_missed": 0,
        "building_split": 0,
        "household_missed": 0,
        "building_no_households": 0,
        "unit_missed": 0,
        "errors": 216,
        "warnings": 0,
    }
    gaps = c.reports[1.0].findings
    assert gaps.loc[gaps["check"] == "gap", "ids"].str[0].tolist() == [
        "84",
        "84001",
        "84002",
        "84003",
    ]


def test_the_page_records_these_counts(checked, real_data):
    page = real_data.render(checked)
    assert "| `duplicate_id` 编号重复 | 0 | 0 | 0 | 0 |" in page
    assert "| `outside_parent` 超出上级网格 | 8,584 | 319 | 57 | 57 |" in page
    doc = (ROOT / "docs" / "real-data.md").read_text(encoding="utf-8")
    assert doc.split("## Counts per check")[1].split("## Montréal")[0] in page
