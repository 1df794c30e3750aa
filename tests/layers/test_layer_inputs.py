"""Per-layer good and bad inputs, read as a user's GeoPackage: units, equipment points,
inspections, hazards and households (grids and buildings are in test_io.py).

Every bad case asserts that its message names the file, the layer and the field.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import make_tiny_layers, rect, write_gpkg
from coverage_cases import district

import gridmap.clock
from gridmap import DataError, read_district
from gridmap.analysis.coverage import check_coverage
from gridmap.errors import Problem
from gridmap.schema import HAZARD_SEVERITIES, HAZARD_STATUSES, INSPECTOR_ROLES, UNIT_CATEGORIES

NOW = pd.Timestamp("2025-07-01 12:00", tz="Asia/Shanghai")


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gridmap.clock, "now_in_shanghai", lambda: NOW)


def _write(tmp_path: Path, **changes: pd.DataFrame) -> Path:
    layers = make_tiny_layers()
    layers.update(changes)
    return write_gpkg(tmp_path / "district.gpkg", layers)


def _named(problem: Problem, path: Path, layer: str, field: str) -> str:
    """The problem's text, after checking it names the file, the layer and the field."""
    assert (problem.file, problem.layer, problem.field) == (str(path), layer, field)
    text = str(problem)
    assert text.startswith(f"file {path}, layer '{layer}', field '{field}': "), text
    return text


def _error(path: Path, layer: str, field: str) -> str:
    """The text of the one load error of `layer`/`field`, also found in the raised message."""
    with pytest.raises(DataError) as info:
        read_district(path)
    (problem,) = [p for p in info.value.problems if (p.layer, p.field) == (layer, field)]
    assert problem.severity == "error"
    text = _named(problem, path, layer, field)
    assert text in str(info.value)
    return text


def _lists(text: str, codes: tuple[str, ...]) -> None:
    """The message lists every accepted code (with their Chinese names once _validate does)."""
    accepted = text.split("cannot be read as one of ", 1)[1].split(", e.g.")[0]
    assert all(code in accepted for code in codes), accepted


def _warning(path: Path, layer: str, field: str) -> tuple[str, object]:
    loaded = read_district(path)
    (problem,) = [p for p in loaded.problems if (p.layer, p.field) == (layer, field)]
    assert problem.severity == "warning"
    return _named(problem, path, layer, field), loaded


# ---------------------------------------------------------------------------
# units


def test_units_good_with_chinese_category_labels(tmp_path: Path) -> None:
    units = make_tiny_layers()["units"].assign(category=["九小场所", "家庭工厂"])
    loaded = read_district(_write(tmp_path, units=units))
    assert loaded["units"]["category"].tolist() == ["small_venue", "family_workshop"]
    assert loaded.problems == ()


def test_units_bad_category(tmp_path: Path) -> None:
    units = make_tiny_layers()["units"].assign(category=["small_venue", "超市"])
    text = _error(_write(tmp_path, units=units), "units", "category")
    assert "1 values cannot be read as one of " in text
    _lists(text, UNIT_CATEGORIES)
    assert "e.g. '超市'" in text and "Fix: correct or clear these values." in text


def _units_as_polygons() -> pd.DataFrame:
    units = make_tiny_layers()["units"]
    return units.set_geometry([rect(120, 10, 140, 30), rect(250, 20, 270, 40)], crs=units.crs)


def test_units_wrong_geometry_type(tmp_path: Path) -> None:
    path = _write(tmp_path, units=_units_as_polygons())
    with pytest.raises(DataError) as info:
        read_district(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.layer) == (str(path), "units")
    assert "wrong geometry type: found Polygon (2); expected Point." in problem.message
    assert str(problem) in str(info.value)


def test_units_wrong_geometry_type_names_the_geometry_field(tmp_path: Path) -> None:
    path = _write(tmp_path, units=_units_as_polygons())
    _error(path, "units", "geometry")


@pytest.mark.parametrize(
    ("label", "code"),
    [("一般单位", "general"), ("消防安全重点单位", "key"), ("沿街商铺", "street_shop")],
)
def test_units_common_ledger_labels_are_accepted(tmp_path: Path, label: str, code: str) -> None:
    units = make_tiny_layers()["units"].assign(category=[label, "small_venue"])
    loaded = read_district(_write(tmp_path, units=units))
    assert loaded["units"]["category"].tolist() == [code, "small_venue"]


def test_units_bad_category_lists_codes_and_chinese_labels(tmp_path: Path) -> None:
    units = make_tiny_layers()["units"].assign(category=["small_venue", "超市"])
    text = _error(_write(tmp_path, units=units), "units", "category")
    assert "key (重点单位, 消防安全重点单位, 重点)" in text and "general (一般, 一般单位)" in text


def test_units_name_is_not_taken_from_a_grid_name_column(tmp_path: Path) -> None:
    """网格名称 names a grid: in a units ledger it is kept as an unknown column."""
    units = make_tiny_layers()["units"]
    units = units.rename(columns={"name": "单位名称"}).assign(网格名称=["金华第1片区", "东林"])
    loaded = read_district(_write(tmp_path, units=units))
    assert loaded["units"]["name"].tolist() == ["金华超市", "东林加工厂"]
    assert loaded["units"]["网格名称"].tolist() == ["金华第1片区", "东林"]
    only_grid_name = units.drop(columns="单位名称")
    text = _error(_write(tmp_path, units=only_grid_name), "units", "name")
    assert "required field 'name' (名称) is missing." in text and "单位名称" in text


def test_a_grid_name_is_not_taken_from_a_unit_name_column(tmp_path: Path) -> None:
    large = make_tiny_layers()["grid_large"].rename(columns={"name": "单位名称"})
    text = _error(_write(tmp_path, grid_large=large), "grid_large", "name")
    assert "网格名称" in text and "单位名称" not in text.split("Fix:")[1]


# ---------------------------------------------------------------------------
# equipment_points


def test_equipment_good_counts_are_whole_numbers(tmp_path: Path) -> None:
    loaded = read_district(_write(tmp_path))
    points = loaded["equipment_points"]
    assert points["extinguishers"].dtype == "Int64" and points["extinguishers"].tolist() == [4]
    assert points["status"].tolist() == ["existing"]


def test_equipment_negative_count(tmp_path: Path) -> None:
    points = make_tiny_layers()["equipment_points"].assign(extinguishers=[-2])
    text = _error(_write(tmp_path, equipment_points=points), "equipment_points", "extinguishers")
    assert "1 points have a negative count." in text and "Fix: correct the inventory." in text


@pytest.mark.parametrize(("value", "shown"), [("四", "'四'"), ("2.5", "'2.5'")])
def test_equipment_count_not_a_whole_number(tmp_path: Path, value: str, shown: str) -> None:
    points = make_tiny_layers()["equipment_points"].assign(gas_masks=[value])
    text = _error(_write(tmp_path, equipment_points=points), "equipment_points", "gas_masks")
    assert f"1 values cannot be read as whole numbers, e.g. {shown}." in text


# ---------------------------------------------------------------------------
# inspections


def test_inspections_good_with_a_chinese_role_label(tmp_path: Path) -> None:
    inspections = make_tiny_layers()["inspections"].assign(inspector_role=["安监办", "派出所"])
    loaded = read_district(_write(tmp_path, inspections=inspections))
    assert loaded["inspections"]["inspector_role"].tolist() == ["safety_office", "police"]
    assert loaded.problems == ()


def test_inspections_unknown_role(tmp_path: Path) -> None:
    inspections = make_tiny_layers()["inspections"].assign(inspector_role=["patrol", "居民"])
    text = _error(_write(tmp_path, inspections=inspections), "inspections", "inspector_role")
    _lists(text, INSPECTOR_ROLES)
    assert "e.g. '居民'" in text


def test_inspections_dated_in_the_future_are_a_warning(tmp_path: Path) -> None:
    inspections = make_tiny_layers()["inspections"].assign(
        inspected_at=["2025-07-01 11:59", "2025-07-02 09:00"]  # the clock says 07-01 12:00
    )
    text, loaded = _warning(
        _write(tmp_path, inspections=inspections), "inspections", "inspected_at"
    )
    assert "1 inspections are dated in the future." in text
    assert len(loaded["inspections"]) == 2  # kept


@pytest.mark.parametrize("value", ["昨天下午", "2025-13-45 08:00"])
def test_inspections_bad_datetime(tmp_path: Path, value: str) -> None:
    inspections = make_tiny_layers()["inspections"].assign(inspected_at=["2025-06-01", value])
    text = _error(_write(tmp_path, inspections=inspections), "inspections", "inspected_at")
    assert f"1 values cannot be read as dates such as 2025-06-01 08:30, e.g. '{value}'." in text


def test_inspections_role_labels_of_real_ledgers(tmp_path: Path) -> None:
    inspections = make_tiny_layers()["inspections"].assign(
        inspector_role=["社区工作人员", "巡防队"]
    )
    loaded = read_district(_write(tmp_path, inspections=inspections))
    assert loaded["inspections"]["inspector_role"].tolist() == ["community", "patrol"]


# ---------------------------------------------------------------------------
# hazards


def _hazards(**values) -> pd.DataFrame:
    return make_tiny_layers()["hazards"].assign(**values)


def test_hazards_good(tmp_path: Path) -> None:
    loaded = read_district(_write(tmp_path, hazards=_hazards(severity=["重大隐患"])))
    hazards = loaded["hazards"]
    assert hazards[["severity", "status"]].to_numpy().tolist() == [["major", "open"]]
    assert hazards["deadline"].iloc[0] == pd.Timestamp("2025-06-22", tz="Asia/Shanghai")


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [("severity", "严重", HAZARD_SEVERITIES), ("status", "已关闭", HAZARD_STATUSES)],
)
def test_hazards_bad_severity_or_status(tmp_path: Path, field: str, value: str, accepted) -> None:
    text = _error(_write(tmp_path, hazards=_hazards(**{field: [value]})), "hazards", field)
    assert f"1 values cannot be read as one of {accepted[0]}" in text
    assert f"e.g. '{value}'." in text
    _lists(text, accepted)


def test_hazards_deadline_before_found_is_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, hazards=_hazards(deadline=["2025-06-01"]))  # found 06-08
    text, _ = _warning(path, "hazards", "deadline")
    assert "1 hazards have a deadline before they were found." in text


@pytest.mark.parametrize(("label", "code"), [("一般隐患", "general"), ("重大火灾隐患", "major")])
def test_hazards_severity_labels_of_real_ledgers(tmp_path: Path, label: str, code: str) -> None:
    loaded = read_district(_write(tmp_path, hazards=_hazards(severity=[label])))
    assert loaded["hazards"]["severity"].tolist() == [code]


# ---------------------------------------------------------------------------
# households


def test_household_of_an_unknown_building_is_a_coverage_finding(tmp_path: Path) -> None:
    households = make_tiny_layers()["households"].assign(building_id=["B1", "B1", "B99"])
    loaded = read_district(_write(tmp_path, households=households))
    assert loaded.problems == ()  # not a load error
    findings = check_coverage(district(dict(loaded.layers))).findings
    missed = findings[findings["check"] == "household_missed"]
    assert missed[["layer", "ids"]].to_numpy().tolist() == [["households", ["H3"]]]


def test_households_negative_members(tmp_path: Path) -> None:
    households = make_tiny_layers()["households"].assign(members=[3, -1, 4])
    text = _error(_write(tmp_path, households=households), "households", "members")
    assert "1 households have a negative member count." in text


def test_households_members_not_a_number(tmp_path: Path) -> None:
    households = make_tiny_layers()["households"].assign(members=["3", "三口", "4"])
    text = _error(_write(tmp_path, households=households), "households", "members")
    assert "1 values cannot be read as whole numbers, e.g. '三口'." in text
