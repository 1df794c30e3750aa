"""The coverage check on real public boundaries (docs/real-data.md); skipped without the data."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gridmap.analysis.coverage import check_coverage

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "real"
pytestmark = pytest.mark.skipif(
    not (DATA / "montreal").is_dir() or not (DATA / "vaucluse").is_dir(),
    reason=f"real data not found at {DATA}",
)


def _real_data_module():
    spec = importlib.util.spec_from_file_location("real_data", ROOT / "bench" / "real_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _counts(report) -> dict[str, int]:
    return {k: v for k, v in report.summary.items() if k not in ("per_large", "ok")}


@pytest.fixture(scope="module")
def real_data():
    return _real_data_module()


@pytest.fixture(scope="module")
def montreal(real_data):
    district = real_data.montreal(DATA)
    return district, check_coverage(district)


def test_montreal_counts_as_documented(montreal):
    district, report = montreal
    assert {k: len(v) for k, v in district.layers.items()} == {
        "grid_large": 34,
        "grid_medium": 2826,
        "grid_small": 13842,
        "units": 68,
    }
    assert _counts(report) == {
        "invalid_geometry": 20,
        "duplicate_id": 4,
        "no_leader": 16702,
        "bad_parent": 2924,
        "outside_parent": 8585,
        "gap": 171,
        "overlap": 0,
        "building_missed": 0,
        "building_split": 0,
        "household_missed": 0,
        "building_no_households": 0,
        "unit_missed": 0,
        "errors": 28406,
        "warnings": 0,
    }


def test_montreal_notable_findings(montreal):
    district, report = montreal
    f = report.findings
    duplicated = sorted(i[0] for i in f.loc[f["check"] == "duplicate_id", "ids"])
    assert duplicated == ["24660277", "24660565", "24661618", "24662920"]
    medium = district["grid_medium"]
    unmatched = medium.loc[medium["parent_id"].isna(), "source_parent_name"].unique().tolist()
    assert unmatched == ["Montréa-Nord"]  # accents and dashes match; the typo does not
    bad_areas = f[(f["check"] == "bad_parent") & (f["layer"] == "grid_medium")]
    assert len(bad_areas) == 145
    # located by place: the misspelled areas are found in Montréal-Nord (CODEID 8)
    assert set(bad_areas["large_id"]) == {"8"}
    gaps = f[(f["check"] == "gap") & (f["layer"] == "grid_large")]
    assert "33" in set(gaps["ids"].str[0])  # Pointe-Claire, a linked city without areas


def test_montreal_min_area_removes_slivers(montreal):
    district, _ = montreal
    strict = check_coverage(district, min_area=100.0)
    assert strict.summary["outside_parent"] == 320
    assert strict.summary["gap"] == 44
    assert strict.summary["bad_parent"] == 2924


def test_vaucluse_counts_as_documented(real_data):
    district = real_data.vaucluse(DATA)
    report = check_coverage(district)
    assert _counts(report) == {
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
    gaps = report.findings[report.findings["check"] == "gap"]
    assert gaps["ids"].str[0].tolist() == ["84", "84001", "84002", "84003"]


def test_normalise_name(real_data):
    assert real_data.normalise_name("L'Île-Bizard–Sainte-Geneviève") == real_data.normalise_name(
        "L'Ile-Bizard-Sainte-Geneviève"
    )
    assert real_data.normalise_name(None) is None
