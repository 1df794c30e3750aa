"""Assemble the sample district: every layer, typed as the schema says, plus its defects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap import schema
from gridmap.demo.buildings import candidate_buildings, to_frame
from gridmap.demo.defects import (
    PlantedDefect,
    building_split_defect,
    choose_household_defects,
    household_defects,
    plant_gap_and_overlap,
    plant_no_leader,
    plant_straddler,
)
from gridmap.demo.equipment import build_equipment
from gridmap.demo.grids import build_grids
from gridmap.demo.plan_records import build_plan_records, plan_defects
from gridmap.demo.population import build_households, build_units
from gridmap.demo.records import (
    FIRST_MONDAY,
    WEEKS,
    YEAR_END,
    YEAR_START,
    Lapses,
    build_hazards,
    build_inspections,
    plan_lapses,
)

DEFAULT_SEED = 2025
#: Second key of the random stream of the plan's records (independent of the other layers).
PLAN_STREAM = 10
_DTYPES: dict[str, Literal["str", "int64", "bool"] | pd.DatetimeTZDtype] = {
    "id": "str",
    "text": "str",
    "int": "int64",
    "bool": "bool",
    "datetime": pd.DatetimeTZDtype("ns", schema.TIMEZONE),  # datetime64[ns, Asia/Shanghai]
}


@dataclass(frozen=True)
class DemoDistrict:
    """The layers of the sample district and the defects planted in them."""

    layers: dict[str, pd.DataFrame]
    defects: tuple[PlantedDefect, ...]


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Order and type a frame's columns as the schema's layer ``name`` declares them.

    A frame without geometry (the record ledgers kept as attribute tables) stays a plain frame.
    """
    spec = schema.LAYERS[name]
    cols = [f.name for f in spec.fields if f.name in frame.columns]
    if not isinstance(frame, gpd.GeoDataFrame):
        out = pd.DataFrame(frame[cols]).reset_index(drop=True)
    else:
        out = gpd.GeoDataFrame(
            frame[cols].reset_index(drop=True), geometry=frame.geometry.values, crs=frame.crs
        )
    for f in spec.fields:
        if f.name in out.columns:
            out[f.name] = out[f.name].astype(_DTYPES[f.kind])
    return out


def _zone_of_points(points: np.ndarray, small: gpd.GeoDataFrame) -> np.ndarray:
    pi, zi = shapely.STRtree(small.geometry.values).query(points, predicate="intersects")
    zone = np.full(len(points), -1)
    order = np.lexsort((zi, pi))[::-1]  # lowest zone index wins where zones overlap
    zone[pi[order]] = zi[order]
    return zone


def build_demo(
    seed: int = DEFAULT_SEED, *, progress: Callable[[str], None] | None = None
) -> DemoDistrict:
    """Build the sample district for ``seed`` (pure: no disk, no clock, no global state)."""
    say = progress or (lambda _message: None)
    rng = np.random.default_rng(seed)
    say("grids: partitioning the district into 6 large, 32 medium and 150 small grids")
    grids = build_grids(rng)
    small = grids.small.copy()
    defects, involved = plant_gap_and_overlap(rng, small, grids.medium)
    grids = replace(grids, small=small)
    say("buildings: street blocks, industrial parks and village hamlets")
    bs = candidate_buildings(rng, grids)
    bs, hall, pair = plant_straddler(rng, bs, small, grids.medium, involved)
    buildings, tags = to_frame(bs, grids)
    defects.append(building_split_defect(buildings, hall, pair))
    defects.append(plant_no_leader(rng, small, involved))
    involved |= set(defects[-1].ids)
    say("households")
    empty_id, gone_id = choose_household_defects(rng, buildings, tags)
    households = build_households(rng, buildings, skip=(empty_id,))
    defects += household_defects(households, buildings, empty_id, gone_id)
    keep = (buildings["building_id"] != gone_id).to_numpy()
    buildings, tags = buildings[keep].reset_index(drop=True), tags[keep]
    say("social units and equipment storage points")
    units = build_units(rng, buildings, tags)
    equipment, short = build_equipment(rng, grids.medium, small, buildings)
    say("a year of inspections and hazards")
    layers = {
        "grid_large": grids.large,
        "grid_medium": grids.medium,
        "grid_small": small,
        "buildings": buildings,
        "households": households,
        "units": units,
        "equipment_points": equipment,
    }
    lapses = plan_lapses(rng, small, grids.medium, involved)
    layers["inspections"], layers["hazards"] = _records(rng, layers, lapses)
    defects += _record_defects(lapses, layers["hazards"], short)
    say("a year of trainings, plans and drills, joint meetings; the fire teams")
    plan, kept_lapses = build_plan_records(np.random.default_rng([seed, PLAN_STREAM]), layers)
    layers.update(plan)
    defects += plan_defects(kept_lapses, plan, layers)
    say("done")
    return DemoDistrict(
        {name: conform(name, layers[name]) for name in schema.LAYERS}, tuple(defects)
    )


def _records(
    rng: np.random.Generator, layers: dict[str, gpd.GeoDataFrame], lapses: Lapses
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Inspections and hazards, knowing which zone, community and town each unit is in."""
    small, medium, units = layers["grid_small"], layers["grid_medium"], layers["units"]
    unit_zone = _zone_of_points(units.geometry.values, small)
    m_index = {g: i for i, g in enumerate(medium["grid_id"])}
    t_index = {g: i for i, g in enumerate(layers["grid_large"]["grid_id"])}
    zone_medium = np.array([m_index[p] for p in small["parent_id"]])
    medium_town = np.array([t_index[p] for p in medium["parent_id"]])
    unit_medium = zone_medium[unit_zone]
    log = build_inspections(rng, layers, unit_zone, medium_town[unit_medium], lapses)
    return build_hazards(rng, log, units, unit_zone, unit_medium)


def _record_defects(
    lapses: Lapses, hazards: gpd.GeoDataFrame, short: list[str]
) -> list[PlantedDefect]:
    first_monday = YEAR_START + pd.Timedelta(days=FIRST_MONDAY)
    long = {z: w for z, w in lapses.missed_weeks.items() if len(w) > 1}
    gaps = "; ".join(
        f"{z} from the week of {(first_monday + pd.Timedelta(weeks=w[0])).date()}, {len(w)} weeks"
        for z, w in long.items()
    )
    runs = {c: d for c, d in lapses.missed_days.items() if len(d) >= 7}
    run_text = "; ".join(
        f"{c} {(YEAR_START + pd.Timedelta(days=d[0])).date()} to "
        f"{(YEAR_START + pd.Timedelta(days=d[-1])).date()}"
        for c, d in runs.items()
    )
    overdue = hazards[(hazards["status"] == "open") & (hazards["deadline"] < YEAR_END)]
    oids = tuple(overdue["hazard_id"])
    return [
        PlantedDefect(
            "no_community_inspection",
            "grid_small",
            (lapses.never_visited,),
            f"Zone {lapses.never_visited} was never inspected by community staff "
            f"(weekly visits required, {WEEKS} expected).",
            f"小网格 {lapses.never_visited} 全年无社区（村）人员巡查记录。",
        ),
        PlantedDefect(
            "community_inspection_gap",
            "grid_small",
            tuple(lapses.missed_weeks),
            f"{len(lapses.missed_weeks)} zones missed their weekly community visit: {gaps} "
            "running; the others a single week.",
            f"{len(lapses.missed_weeks)} 个小网格有漏周巡查，其中 "
            + "、".join(long)
            + " 连续 4-7 周无社区（村）人员巡查，其余各漏 1 周。",
        ),
        PlantedDefect(
            "patrol_missed_days",
            "grid_medium",
            tuple(lapses.missed_days),
            f"{len(lapses.missed_days)} patrol teams missed days: {run_text} running; "
            "the others one to three single days.",
            f"{len(lapses.missed_days)} 个社区（村）巡防队有缺巡，其中 "
            + "、".join(runs)
            + " 连续 8-10 天无巡查记录，其余零星缺巡 1-3 天。",
        ),
        PlantedDefect(
            "hazard_overdue",
            "hazards",
            oids,
            f"{len(oids)} open hazards are past their deadline on 2026-10-31.",
            f"截至 2026-10-31，{len(oids)} 处隐患逾期未整改。",
        ),
        PlantedDefect(
            "equipment_short",
            "equipment_points",
            tuple(short),
            f"{len(short)} equipment storage points hold less than the standard kit.",
            f"{len(short)} 个消防器材存放点器材未按标准配齐。",
        ),
    ]
