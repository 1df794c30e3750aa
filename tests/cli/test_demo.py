"""The sample district generator: deterministic, schema-shaped, realistic, with its defects."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

import gridmap.demo
from gridmap import schema
from gridmap.demo import (
    DEFAULT_SEED,
    KIT_STANDARD,
    PLANTED_DEFECTS,
    YEAR_END,
    YEAR_START,
    build_demo,
    build_demo_district,
    planted_defects,
)
from gridmap.demo.grids import build_grids

COUNTS = {
    "grid_large": (6, 6),
    "grid_medium": (25, 35),
    "grid_small": (130, 170),
    "buildings": (4500, 5600),
    "households": (35_000, 45_000),
    "units": (1300, 1700),
    "equipment_points": (50, 70),
    "inspections": (17_000, 24_000),
    "hazards": (300, 500),
    "trainings": (450, 650),
    "fire_teams": (35, 45),
    "emergency_plans": (36, 45),
    "drills": (60, 90),
    "meetings": (35, 50),
}
ID_PATTERNS = {
    "grid_large": r"\d{9}",
    "grid_medium": r"\d{12}",
    "grid_small": r"\d{15}",
    "buildings": r"B\d{6}",
    "households": r"H\d{7}",
    "units": r"U\d{5}",
    "equipment_points": r"E\d{3}",
    "inspections": r"I\d{6}",
    "hazards": r"HZ\d{4}",
    "trainings": r"T\d{5}",
    "fire_teams": r"FT\d{3}",
    "emergency_plans": r"EP\d{3}",
    "drills": r"D\d{4}",
    "meetings": r"MT\d{3}",
}
#: Layers the sample keeps as attribute tables (no geometry).
TABLES = ("trainings", "emergency_plans", "drills", "meetings")
TOWNS = {
    "410106001": "济源路街道",
    "410106002": "中心路街道",
    "410106003": "新安路街道",
    "410106004": "工业路街道",
    "410106005": "矿山街道",
    "410106100": "峡窝镇",
}


@pytest.fixture(scope="module")
def built():
    """The default district, built once for the module, and the progress messages it gave."""
    messages: list[str] = []
    return build_demo(DEFAULT_SEED, progress=messages.append), messages


@pytest.fixture(scope="module")
def demo(built):
    return built[0]


@pytest.fixture(scope="module")
def layers(demo) -> dict[str, gpd.GeoDataFrame]:
    return demo.layers


def planted(demo, check: str):
    (found,) = [d for d in demo.defects if d.check == check]
    return found


def zones_hit(geoms, small: gpd.GeoDataFrame, min_area: float = 0.0) -> np.ndarray:
    """How many small grids each polygon overlaps by more than ``min_area`` m²."""
    gi, zi = shapely.STRtree(small.geometry.values).query(geoms, predicate="intersects")
    area = shapely.area(shapely.intersection(geoms[gi], small.geometry.values[zi]))
    return np.bincount(gi[area > min_area], minlength=len(geoms))


# ---------------------------------------------------------------------------
# Determinism and the public API


def test_same_seed_builds_identical_layers(layers):
    again = build_demo_district(DEFAULT_SEED)
    assert list(again) == list(schema.LAYERS)
    for name in schema.LAYERS:
        if isinstance(layers[name], gpd.GeoDataFrame):
            assert_geodataframe_equal(layers[name], again[name])
        else:  # the record ledgers kept as attribute tables
            pd.testing.assert_frame_equal(layers[name], again[name])


def test_other_seed_builds_other_geometry(layers):
    ours = layers["grid_small"]
    other = build_grids(np.random.default_rng(DEFAULT_SEED + 1)).small
    assert list(ours["grid_id"]) == list(other["grid_id"])  # same structure and codes
    assert not shapely.equals(ours.geometry.values, other.geometry.values).any()


def test_planted_defects_constant_matches_default_build(demo):
    assert list(demo.defects) == PLANTED_DEFECTS, (
        "gridmap/demo/planted.py is stale: regenerate it as the docstring of "
        "gridmap.demo.defects.planted_source says"
    )
    assert planted_defects() is PLANTED_DEFECTS
    assert planted_defects(DEFAULT_SEED) is PLANTED_DEFECTS
    assert {"gap", "overlap", "building_split", "household_missed", "no_leader"} <= {
        d.check for d in PLANTED_DEFECTS
    }
    for d in PLANTED_DEFECTS:
        assert d.layer in schema.LAYERS and d.ids and d.description_en and d.description_zh


def test_progress_is_reported(built):
    messages = built[1]
    assert messages[0].startswith("grids") and messages[-1] == "done"
    assert all(isinstance(m, str) and m for m in messages)


def test_demo_is_pure():
    """No streamlit, no disk, no clock, no global random state in gridmap/demo."""
    banned_imports = {"streamlit", "random", "time", "os", "pathlib", "pyogrio", "fiona"}
    banned_calls = {"open", "to_file", "to_parquet", "to_csv", "now", "today", "seed"}
    for path in Path(gridmap.demo.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & banned_imports, path
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in banned_imports, path
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                assert name not in banned_calls, (path.name, node.lineno, name)


# ---------------------------------------------------------------------------
# Shape of the layers


@pytest.mark.parametrize("name", list(schema.LAYERS))
def test_counts_are_in_range(layers, name):
    low, high = COUNTS[name]
    assert low <= len(layers[name]) <= high


@pytest.mark.parametrize("name", list(schema.LAYERS))
def test_fields_types_and_crs_follow_the_schema(layers, name):
    spec, frame = schema.LAYERS[name], layers[name]
    if name in TABLES:
        assert type(frame) is pd.DataFrame and spec.geometry_optional
        assert list(frame.columns) == [f for f in spec.field_names if f in frame.columns]
    else:
        assert isinstance(frame, gpd.GeoDataFrame)
        assert frame.crs.to_epsg() == 4547
        assert list(frame.columns) == [f for f in spec.field_names if f in frame.columns] + [
            "geometry"
        ]
        assert set(frame.geom_type) <= set(spec.geometry)
    assert set(spec.required_fields) <= set(frame.columns)
    for f in spec.fields:
        if f.name not in frame.columns:
            continue
        col = frame[f.name]
        if f.required:
            assert col.notna().all(), f.name
        if f.kind in ("id", "text"):
            assert pd.api.types.is_string_dtype(col), f.name
            assert all(isinstance(v, str) for v in col.dropna()), f.name
        elif f.kind == "int":
            assert col.dtype == np.int64, f.name
        elif f.kind == "bool":
            assert col.dtype == bool, f.name
        elif f.kind == "datetime":
            assert str(col.dt.tz) == schema.TIMEZONE, f.name
        if f.choices:
            assert set(col.dropna()) <= set(f.choices), f.name


@pytest.mark.parametrize("name", list(schema.LAYERS))
def test_ids_are_unique_text_in_the_coding_scheme(layers, name):
    ids = layers[name][schema.LAYERS[name].id_field]
    assert ids.is_unique
    assert ids.str.fullmatch(ID_PATTERNS[name]).all()


def test_grid_codes_follow_the_towns(layers):
    large, medium, small = layers["grid_large"], layers["grid_medium"], layers["grid_small"]
    assert dict(zip(large["grid_id"], large["name"], strict=True)) == TOWNS
    assert (medium["grid_id"].str[:9] == medium["parent_id"]).all()
    assert (small["grid_id"].str[:12] == small["parent_id"]).all()
    xiawo = medium[medium["parent_id"] == "410106100"]
    villages = xiawo[xiawo["kind"] == "village"]
    assert len(villages) >= 5 and villages["name"].str.endswith("村").all()
    assert set(medium["kind"]) == {"community", "village"}


# ---------------------------------------------------------------------------
# Geometry


@pytest.mark.parametrize("name", ["grid_large", "grid_medium", "grid_small", "buildings"])
def test_polygons_are_valid(layers, name):
    assert shapely.is_valid(layers[name].geometry.values).all()


def test_district_sits_on_shangjie(layers):
    outline = shapely.union_all(layers["grid_large"].geometry.values)
    assert 55e6 < outline.area < 65e6
    c = gpd.GeoSeries([outline.centroid], crs=4547).to_crs(4326).iloc[0]
    assert abs(c.x - 113.27) < 0.05 and abs(c.y - 34.80) < 0.05


@pytest.mark.parametrize("child_name", ["grid_medium", "grid_small"])
def test_levels_nest(layers, child_name):
    parent = layers[schema.PARENT_LEVEL[child_name]].set_index("grid_id")
    child = layers[child_name]
    outside = shapely.area(
        shapely.difference(child.geometry.values, parent.geometry.loc[child["parent_id"]].values)
    )
    assert outside.max() < 1.0


def test_mediums_add_up_to_their_large_grid(layers):
    medium = layers["grid_medium"]
    for row in layers["grid_large"].itertuples():
        union = shapely.union_all(medium.geometry.values[medium["parent_id"] == row.grid_id])
        assert shapely.area(shapely.symmetric_difference(union, row.geometry)) < 1.0


def test_small_grids_cover_their_medium_except_the_planted_gap(demo, layers):
    small, gap = layers["grid_small"], planted(demo, "gap")
    uncovered = {}
    for row in layers["grid_medium"].itertuples():
        union = shapely.union_all(small.geometry.values[small["parent_id"] == row.grid_id])
        uncovered[row.grid_id] = shapely.area(shapely.difference(row.geometry, union))
    assert {k for k, a in uncovered.items() if a > 1.0} == set(gap.ids)
    assert 200 <= uncovered[gap.ids[0]] <= 800


def test_small_grids_overlap_only_where_planted(demo, layers):
    geoms = layers["grid_small"].geometry.values
    ids = layers["grid_small"]["grid_id"].to_numpy()
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    a, b = a[a < b], b[a < b]
    area = shapely.area(shapely.intersection(geoms[a], geoms[b]))
    big = area > 1.0
    assert [tuple(sorted((ids[i], ids[j]))) for i, j in zip(a[big], b[big], strict=True)] == [
        planted(demo, "overlap").ids
    ]
    assert 100 <= area[big][0] <= 500


def test_only_the_planted_building_straddles_zones(demo, layers):
    buildings = layers["buildings"]
    hits = zones_hit(buildings.geometry.values, layers["grid_small"])
    assert list(buildings["building_id"][hits != 1]) == list(planted(demo, "building_split").ids)
    split = buildings.geometry.values[hits != 1]
    assert zones_hit(split, layers["grid_small"], min_area=0.2 * split[0].area)[0] == 2


def test_buildings_do_not_overlap(layers):
    geoms = layers["buildings"].geometry.values
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    assert (a == b).all()


# ---------------------------------------------------------------------------
# People and units


def test_households_live_in_their_buildings_except_the_missed_ones(demo, layers):
    households, buildings = layers["households"], layers["buildings"]
    known = households["building_id"].isin(buildings["building_id"])
    missed = planted(demo, "household_missed").ids
    assert sorted(households["household_id"][~known]) == sorted(missed)
    assert 3 <= len(missed) <= 10
    home = buildings.set_index("building_id").geometry.loc[households["building_id"][known]]
    assert shapely.contains(home.values, households.geometry.values[known]).all()
    assert households["members"].between(1, 8).all()


def test_every_residential_building_has_households_but_one(demo, layers):
    buildings, households = layers["buildings"], layers["households"]
    counts = households["building_id"].value_counts()
    lived = buildings["use"].isin(["residential", "mixed"])
    assert (buildings.loc[~lived, "households_expected"] == 0).all()
    got = counts.reindex(buildings["building_id"], fill_value=0).to_numpy()
    empty = buildings["building_id"][lived.to_numpy() & (got == 0)]
    assert list(empty) == list(planted(demo, "building_no_households").ids)
    full = lived.to_numpy() & (got > 0)
    assert (got[full] == buildings["households_expected"].to_numpy()[full]).all()


def test_no_leader_only_where_planted(demo, layers):
    for name in schema.GRID_LEVELS:
        grid = layers[name]
        blank = grid["grid_id"][grid["leader"].fillna("").str.strip() == ""]
        expected = planted(demo, "no_leader").ids if name == "grid_small" else ()
        assert tuple(blank) == expected


def test_units_are_in_business_buildings_of_all_categories(layers):
    units, buildings = layers["units"], layers["buildings"].set_index("building_id")
    assert set(units["category"]) == set(schema.UNIT_CATEGORIES)
    home = buildings.loc[units["building_id"]]
    assert set(home["use"]) <= {"commercial", "mixed", "public", "industrial"}
    assert shapely.contains(home.geometry.values, units.geometry.values).all()
    assert units["name"].is_unique
    schools = units[units["name"].str.endswith("小学")]
    assert len(schools) and (schools["category"] == "key").all()


def test_equipment_points_hold_the_kit_or_are_planted_short(demo, layers):
    points = layers["equipment_points"]
    kit = points[list(KIT_STANDARD)]
    short = (kit < pd.Series(KIT_STANDARD)).any(axis=1)
    assert list(points["point_id"][short]) == list(planted(demo, "equipment_short").ids)
    assert 0.1 <= short.mean() <= 0.3
    assert (points["status"] == "existing").all() and points["is_pilot"].any()
    assert (points.loc[~points["is_pilot"], ["boxes", "mist_units", "signage"]] == 0).all().all()
    small = layers["grid_small"].set_index("grid_id")
    assert shapely.contains(
        small.geometry.loc[points["grid_id"]].values, points.geometry.values
    ).all()


# ---------------------------------------------------------------------------
# Records


def test_inspections_cover_the_year_with_every_role(layers):
    ins = layers["inspections"]
    assert ins["inspected_at"].min() >= YEAR_START and ins["inspected_at"].max() <= YEAR_END
    assert set(ins["inspector_role"]) == set(schema.INSPECTOR_ROLES)
    known = set(layers["units"]["unit_id"])
    for name in schema.GRID_LEVELS:
        known |= set(layers[name]["grid_id"])
    assert ins["target_id"].isin(known).all()
    assert 0.9 < (ins["result"] == "ok").mean() < 1.0
    assert ins["inspection_id"].is_monotonic_increasing
    assert ins["inspected_at"].is_monotonic_increasing


def test_community_visit_lapses_are_the_planted_ones(demo, layers):
    ins, small = layers["inspections"], layers["grid_small"]
    visits = ins[ins["inspector_role"] == "community"]
    never = planted(demo, "no_community_inspection").ids
    assert set(small["grid_id"]) - set(visits["target_id"]) == set(never)
    first_monday = YEAR_START + pd.Timedelta(days=2)
    week = (visits["inspected_at"] - first_monday).dt.days // 7
    weeks_seen = week.groupby(visits["target_id"]).nunique()
    lapsed = planted(demo, "community_inspection_gap").ids
    assert set(weeks_seen.index[weeks_seen < 52]) == set(lapsed)
    longest = visits.groupby("target_id")["inspected_at"].apply(
        lambda t: t.sort_values().diff().dt.days.max()
    )
    assert (longest[list(lapsed)] >= 28).sum() >= 3
    assert (longest.drop(list(lapsed)) < 14).all()


def test_patrol_lapses_are_the_planted_ones(demo, layers):
    ins = layers["inspections"]
    patrol = ins[ins["inspector_role"] == "patrol"]
    days = (patrol["inspected_at"] - YEAR_START).dt.days
    assert (
        days.groupby(patrol["target_id"])
        .nunique()
        .eq(days.groupby(patrol["target_id"]).size())
        .all()
    )
    missed, longest = set(), {}
    for gid, d in days.groupby(patrol["target_id"]):
        seen = np.zeros(365, bool)
        seen[d.to_numpy()] = True
        runs = np.diff(np.flatnonzero(np.r_[True, seen, True])) - 1
        longest[gid] = runs.max()
        if not seen.all():
            missed.add(gid)
    assert len(longest) == len(layers["grid_medium"])
    assert missed == set(planted(demo, "patrol_missed_days").ids)
    assert sum(r >= 7 for r in longest.values()) >= 2


def test_safety_office_supervises_each_town_twice(layers):
    ins = layers["inspections"]
    town_visits = ins[ins["target_id"].isin(layers["grid_large"]["grid_id"])]
    assert (town_visits["inspector_role"] == "safety_office").all()
    assert town_visits.groupby("target_id").size().eq(2).all()
    assert len(town_visits.groupby("target_id")) == 6


def test_hazards_follow_the_closed_loop(demo, layers):
    hz = layers["hazards"]
    assert set(hz["status"]) == set(schema.HAZARD_STATUSES)
    days = (hz["deadline"] - hz["found_at"]).dt.total_seconds() / 86400
    assert days.between(7, 30).all()
    rectified = hz["status"] == "rectified"
    assert (hz["rectified_at"].notna() == rectified).all()
    assert (hz.loc[rectified, "rectified_at"] > hz.loc[rectified, "found_at"]).all()
    assert (hz.loc[rectified, "rectified_at"] <= YEAR_END).all()
    major = hz["severity"] == "major"
    assert 0.03 <= major.mean() <= 0.08
    assert (hz.loc[major, "status"] == "supervised").mean() > 0.5
    overdue = hz[(hz["status"] == "open") & (hz["deadline"] < YEAR_END)]
    assert len(overdue) and list(overdue["hazard_id"]) == list(planted(demo, "hazard_overdue").ids)
    units = layers["units"].set_index("unit_id")
    assert hz["unit_id"].isin(units.index).all()
    assert shapely.equals(units.geometry.loc[hz["unit_id"]].values, hz.geometry.values).all()
    found = layers["inspections"].query("result == 'hazard'")
    assert len(found) == len(hz)


# ---------------------------------------------------------------------------
# The plan's other records: trainings, fire teams, plans and drills, joint meetings


def test_plan_records_stay_in_the_year_and_name_known_grids(layers):
    grids = set().union(*(set(layers[n]["grid_id"]) for n in schema.GRID_LEVELS))
    for name in ("trainings", "drills", "meetings"):
        dates = layers[name]["date"]
        assert dates.min() >= YEAR_START and dates.max() <= YEAR_END, name
    for name in ("trainings", "emergency_plans", "fire_teams"):
        assert layers[name]["grid_id"].isin(grids).all(), name
    assert layers["meetings"]["large_id"].isin(layers["grid_large"]["grid_id"]).all()
    assert layers["drills"]["plan_id"].isin(layers["emergency_plans"]["plan_id"]).all()
    trainings = layers["trainings"]
    assert set(trainings["kind"]) == set(schema.TRAINING_KINDS)
    assert set(trainings["target"]) == set(schema.TRAINING_TARGETS)
    assert trainings["target"].notna().all()
    assert set(layers["fire_teams"]["kind"]) == set(schema.FIRE_TEAM_KINDS)
    for name, column in [
        ("trainings", "participants"),
        ("drills", "participants"),
        ("meetings", "attendees"),
        ("fire_teams", "members"),
    ]:
        assert (layers[name][column] > 0).all(), name


def test_fire_teams_stand_in_their_grid(layers):
    teams = layers["fire_teams"]
    outlines = pd.concat(
        [layers[n][["grid_id", "geometry"]] for n in ("grid_large", "grid_medium")]
    ).set_index("grid_id")
    assert shapely.contains(
        outlines.geometry.loc[teams["grid_id"]].values, teams.geometry.values
    ).all()
    assert (teams["kind"] == "professional").sum() == 1


def _months(times: pd.Series) -> pd.Series:
    return times.dt.strftime("%Y-%m")


def test_publicity_days_are_monthly_but_the_planted_months(demo, layers):
    trainings = layers["trainings"]
    days = trainings[trainings["kind"] == "publicity_day"]
    year = set(_months(pd.Series(pd.date_range(YEAR_START, YEAR_END, freq="D"))))
    held = _months(days["date"]).groupby(days["grid_id"]).agg(set)
    assert set(held.index) == set(layers["grid_medium"]["grid_id"])
    missing = {gid: sorted(year - months) for gid, months in held.items() if year - months}
    lapse = planted(demo, "publicity_day_missed")
    assert set(missing) == set(lapse.ids)
    assert sum(len(m) for m in missing.values()) == 4
    for gid, months in missing.items():
        assert all(m in lapse.description_en for m in months), gid
    assert not _months(days["date"]).groupby(days["grid_id"]).value_counts().gt(1).any()


def test_every_community_trains_in_2026h1_but_the_planted_one(demo, layers):
    trainings = layers["trainings"]
    others = trainings[trainings["kind"] != "publicity_day"]
    parent = layers["grid_small"].set_index("grid_id")["parent_id"]
    medium = others["grid_id"].map(parent).fillna(others["grid_id"])
    h1 = others["date"].between(
        pd.Timestamp("2026-01-01", tz=schema.TIMEZONE),
        pd.Timestamp("2026-07-01", tz=schema.TIMEZONE),
    )
    counts = medium[h1].value_counts().reindex(layers["grid_medium"]["grid_id"], fill_value=0)
    assert list(counts.index[counts < 2]) == list(planted(demo, "training_missing").ids)
    assert counts[list(planted(demo, "training_missing").ids)].eq(0).all()
    assert others["grid_id"].isin(parent.index).any(), "some trainings are logged by zone"


def test_plans_are_drilled_but_the_planted_one(demo, layers):
    plans, drills = layers["emergency_plans"], layers["drills"]
    never = planted(demo, "drill_never").ids
    assert sorted(set(plans["plan_id"]) - set(drills["plan_id"])) == list(never)
    latest = drills.groupby("plan_id")["date"].max()
    expected = plans["plan_id"].map(latest)
    assert (plans["last_drill_at"].isna() == expected.isna()).all()
    assert (plans["last_drill_at"].dropna() == expected.dropna()).all()
    old = plans[plans["approved_at"] < YEAR_START]
    assert len(old) == len(layers["grid_large"]) + len(layers["grid_medium"])
    november = drills[_months(drills["date"]) == "2025-11"]["plan_id"]
    in_2026 = drills[drills["date"].dt.year == 2026]["plan_id"]
    for ids in (november, in_2026):
        assert sorted(set(old["plan_id"]) - set(ids)) == list(never)
    new = plans[plans["approved_at"] >= YEAR_START]
    assert len(new) == 2 and new["plan_id"].isin(drills["plan_id"]).all()


def test_meetings_every_two_months_but_the_planted_gap(demo, layers):
    meetings = layers["meetings"]
    end = (YEAR_END - YEAR_START).days + 1
    longest = {}
    for town, dates in meetings.groupby("large_id")["date"]:
        days = np.sort((dates - YEAR_START).dt.days.to_numpy())
        longest[town] = np.diff(np.r_[days, end]).max()
        assert days[0] <= 30
    late = planted(demo, "meeting_interval_long")
    assert {t for t, d in longest.items() if d > 61} == set(late.ids)
    assert all(d <= 60 for t, d in longest.items() if t not in late.ids)
    assert 62 <= longest[late.ids[0]] <= 90
    assert f"{longest[late.ids[0]]} days" in late.description_en


def test_text_looks_chinese(layers):
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for name, col in [
        ("grid_medium", "name"),
        ("grid_small", "name"),
        ("buildings", "address"),
        ("units", "name"),
        ("households", "head"),
        ("hazards", "description"),
        ("trainings", "note"),
        ("emergency_plans", "title"),
        ("fire_teams", "name"),
        ("meetings", "topics"),
    ]:
        assert layers[name][col].map(lambda s: bool(cjk.search(s))).all(), (name, col)
    phones = layers["households"]["phone"].dropna()
    assert phones.str.fullmatch(r"1\d{2}0000\d{4}").all()
