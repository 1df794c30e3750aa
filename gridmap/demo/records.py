"""A year of inspection records and the hazards they found (2025-11-01 to 2026-10-31).

Frequencies follow the plan (定期检查制度): a patrol team per community every
day, community staff in every zone every week, the town safety office in
every community every month, police spot checks of several units per town
every week, and monthly self-inspections by key units. Realistic lapses are
planted: missed patrol days, zones left without a community visit for weeks,
one zone never visited at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.demo import names
from gridmap.demo.equipment import random_points
from gridmap.demo.grids import CRS
from gridmap.schema import TIMEZONE

YEAR_START = pd.Timestamp("2025-11-01", tz=TIMEZONE)
YEAR_END = pd.Timestamp("2026-10-31 23:59:59", tz=TIMEZONE)
DAYS = 365
FIRST_MONDAY = 2  # 2025-11-03
WEEKS = 52
SPRING_FESTIVAL = (106, 114)  # day indices of 2026-02-15 .. 2026-02-23
HAZARD_RATE = {
    "patrol": 0.004,
    "community": 0.027,
    "safety_office": 0.10,
    "police": 0.09,
    "unit": 0.03,
}


@dataclass(frozen=True)
class Lapses:
    """Planted gaps in the inspection record."""

    never_visited: str  # zone never inspected by community staff
    missed_weeks: dict[str, tuple[int, ...]]  # zone -> weeks (0 = week of 2025-11-03) unvisited
    missed_days: dict[str, tuple[int, ...]]  # community -> days (0 = 2025-11-01) without patrol


class _Log:
    """Column lists of inspection records; times in minutes since the start of the year."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {
            k: [] for k in ("minute", "role", "inspector", "target", "x", "y", "grid")
        }

    def add(self, minute, role, inspector, target, *, xy, grid) -> None:
        n = len(minute)
        self.cols["minute"].append(np.asarray(minute, np.int64))
        self.cols["role"].append(np.full(n, role, object))
        self.cols["inspector"].append(np.broadcast_to(np.asarray(inspector, object), (n,)))
        self.cols["target"].append(np.broadcast_to(np.asarray(target, object), (n,)))
        self.cols["x"].append(np.asarray(xy)[:, 0])
        self.cols["y"].append(np.asarray(xy)[:, 1])
        self.cols["grid"].append(np.broadcast_to(np.asarray(grid, np.int64), (n,)))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({k: np.concatenate(v) for k, v in self.cols.items()})


def _weekday(day: np.ndarray) -> np.ndarray:
    """Move weekend days on to the next Monday (2025-11-01 is a Saturday)."""
    dow = (day + 5) % 7  # 0 = Monday
    return np.clip(day + np.where(dow == 5, 2, 0) + np.where(dow == 6, 1, 0), 0, DAYS - 1)


def _month_starts() -> np.ndarray:
    """Day index of the first day of each of the twelve months of the year."""
    return np.array([(YEAR_START + pd.DateOffset(months=k) - YEAR_START).days for k in range(12)])


def plan_lapses(
    rng: np.random.Generator, small: gpd.GeoDataFrame, medium: gpd.GeoDataFrame, avoid: set[str]
) -> Lapses:
    """Choose who misses what.

    One zone never visited, three zones left for 4-7 weeks, nine zones missing a single
    week; three patrol teams off for 8-10 days running (two over the Spring Festival), four
    missing a day or three here and there.
    """
    zones = [z for z in small["grid_id"] if z not in avoid]
    picked = [zones[i] for i in rng.choice(len(zones), 13, replace=False)]
    missed_weeks: dict[str, tuple[int, ...]] = {}
    for z in picked[1:4]:
        length = int(rng.integers(4, 8))
        first = int(rng.integers(4, WEEKS - length - 4))
        missed_weeks[z] = tuple(range(first, first + length))
    for z in picked[4:]:
        missed_weeks[z] = (int(rng.integers(WEEKS)),)
    comms = [medium["grid_id"].iat[i] for i in rng.choice(len(medium), 7, replace=False)]
    runs = (SPRING_FESTIVAL, SPRING_FESTIVAL, (261, 270))
    missed_days = {c: tuple(range(a, b + 1)) for c, (a, b) in zip(comms, runs, strict=False)}
    for c in comms[3:]:
        missed_days[c] = tuple(sorted(rng.choice(DAYS, int(rng.integers(1, 4)), replace=False)))
    return Lapses(picked[0], dict(sorted(missed_weeks.items())), dict(sorted(missed_days.items())))


def build_inspections(
    rng: np.random.Generator,
    layers: dict[str, gpd.GeoDataFrame],
    unit_zone: np.ndarray,
    unit_town: np.ndarray,
    lapses: Lapses,
) -> pd.DataFrame:
    """All inspection records as a plain frame (minute, role, inspector, target, x, y, grid).

    ``grid`` is the medium grid index for patrol and safety-office rows and the small grid
    index otherwise; ``unit_zone`` and ``unit_town`` give each unit's small and large grid.
    """
    log = _Log()
    _patrols(rng, log, layers["grid_medium"], lapses)
    _community_visits(rng, log, layers["grid_small"], lapses)
    _safety_office(rng, log, layers["grid_large"], layers["grid_medium"])
    _police_and_self_checks(rng, log, layers, unit_zone, unit_town)
    frame = log.frame()
    return frame.sort_values(["minute", "role", "target"], kind="stable").reset_index(drop=True)


def _patrols(rng: np.random.Generator, log: _Log, medium: gpd.GeoDataFrame, lapses: Lapses):
    """One patrol team per community or village, out every day but the planted misses."""
    teams = names.person_names(rng, len(medium))
    for m, (gid, geom) in enumerate(zip(medium["grid_id"], medium.geometry, strict=True)):
        days = np.setdiff1d(np.arange(DAYS), lapses.missed_days.get(gid, ()))
        minute = days * 1440 + rng.integers(8 * 60, 21 * 60, days.size)
        where = random_points(rng, geom, days.size)
        log.add(minute, "patrol", f"{teams[m]}（巡防队）", gid, xy=where, grid=m)


def _community_visits(rng: np.random.Generator, log: _Log, small: gpd.GeoDataFrame, lapses):
    """Log the zone officer's walk of the zone once a week, on a weekday, but the planted misses."""
    leaders, members = small["leader"].to_numpy(), small["members"].to_numpy()
    for z, (gid, geom) in enumerate(zip(small["grid_id"], small.geometry, strict=True)):
        if gid == lapses.never_visited:
            continue
        weeks = np.setdiff1d(np.arange(WEEKS), lapses.missed_weeks.get(gid, ()))
        days = FIRST_MONDAY + 7 * weeks + rng.integers(0, 5, weeks.size)
        minute = days * 1440 + rng.integers(9 * 60, 17 * 60 + 30, weeks.size)
        who = leaders[z] or members[z].split("、")[0]
        log.add(minute, "community", who, gid, xy=random_points(rng, geom, weeks.size), grid=z)


def _safety_office(
    rng: np.random.Generator, log: _Log, large: gpd.GeoDataFrame, medium: gpd.GeoDataFrame
) -> None:
    """Log each town's safety office: every community monthly, the town each half year.

    The half-yearly supervision of the whole town is recorded against the large grid, in
    December and June.
    """
    towns = large["grid_id"].tolist()
    office = names.person_names(rng, 2 * len(towns)).reshape(len(towns), 2)
    month_start = _month_starts()
    for m, (gid, parent, geom) in enumerate(
        zip(medium["grid_id"], medium["parent_id"], medium.geometry, strict=True)
    ):
        days = _weekday(month_start + rng.integers(0, 26, 12))
        minute = days * 1440 + rng.integers(9 * 60, 17 * 60, 12)
        who = office[towns.index(parent), rng.integers(0, 2, 12)]
        log.add(minute, "safety_office", who, gid, xy=random_points(rng, geom, 12), grid=m)
    for t, (gid, geom) in enumerate(zip(towns, large.geometry, strict=True)):
        days = _weekday(month_start[[1, 7]] + rng.integers(0, 20, 2))
        minute = days * 1440 + rng.integers(9 * 60, 17 * 60, 2)
        log.add(minute, "safety_office", office[t, 0], gid, xy=random_points(rng, geom, 2), grid=-1)


def _police_and_self_checks(
    rng: np.random.Generator,
    log: _Log,
    layers: dict[str, gpd.GeoDataFrame],
    unit_zone: np.ndarray,
    unit_town: np.ndarray,
) -> None:
    """Log police spot checks of several units per town weekly and key units' self-checks.

    Key units inspect themselves monthly (now and then forgotten).
    """
    units, towns = layers["units"], layers["grid_large"]["grid_id"].tolist()
    police = names.person_names(rng, 3 * len(towns)).reshape(len(towns), 3)
    u_xy = shapely.get_coordinates(units.geometry.values)
    unit_ids = units["unit_id"].to_numpy()
    for t in range(len(towns)):
        pool = np.flatnonzero(unit_town == t)
        for w in range(WEEKS):
            k = min(pool.size, 2 + int(rng.poisson(2)))
            pick = rng.choice(pool, k, replace=False)
            days = FIRST_MONDAY + 7 * w + rng.integers(0, 5, k)
            minute = days * 1440 + rng.integers(9 * 60, 21 * 60, k)
            who = police[t, rng.integers(0, 3, k)]
            log.add(minute, "police", who, unit_ids[pick], xy=u_xy[pick], grid=unit_zone[pick])
    month_start = _month_starts()
    managers = units["manager"].to_numpy()
    for u in np.flatnonzero(units["category"].to_numpy() == "key"):
        months = np.flatnonzero(rng.random(12) > 0.15)
        days = _weekday(month_start[months] + rng.integers(0, 26, months.size))
        minute = days * 1440 + rng.integers(8 * 60, 18 * 60, months.size)
        where = np.repeat(u_xy[u : u + 1], months.size, axis=0)
        log.add(minute, "unit", managers[u], unit_ids[u], xy=where, grid=unit_zone[u])


def _minutes_to_time(minute: np.ndarray) -> pd.DatetimeIndex:
    return (YEAR_START + pd.to_timedelta(minute, unit="min")).as_unit("ns")


def build_hazards(
    rng: np.random.Generator,
    log: pd.DataFrame,
    units: gpd.GeoDataFrame,
    unit_zone: np.ndarray,
    unit_medium: np.ndarray,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Decide which inspections found a hazard; return (inspections, hazards) frames."""
    n = len(log)
    role = log["role"].to_numpy()
    grid = log["grid"].to_numpy()
    hit = rng.random(n) < log["role"].map(HAZARD_RATE).to_numpy()
    unit_index = {u: i for i, u in enumerate(units["unit_id"])}
    unit = np.full(n, -1)
    by_zone = {z: np.flatnonzero(unit_zone == z) for z in np.unique(unit_zone)}
    by_medium = {m: np.flatnonzero(unit_medium == m) for m in np.unique(unit_medium)}
    for i in np.flatnonzero(hit).tolist():
        if role[i] in ("police", "unit"):
            unit[i] = unit_index[log["target"].iat[i]]
            continue
        pools = by_medium if role[i] in ("patrol", "safety_office") else by_zone
        pool = pools.get(int(grid[i]), np.empty(0, int))
        if pool.size:
            unit[i] = rng.choice(pool)
    hit &= unit >= 0
    rows = np.flatnonzero(hit)
    k = rows.size
    major = np.zeros(k, bool)
    major[rng.choice(k, int(round(0.05 * k)), replace=False)] = True
    desc = np.where(major, rng.choice(names.HAZARDS_MAJOR, k), rng.choice(names.HAZARDS_GENERAL, k))
    found = log["minute"].to_numpy()[rows]
    deadline = found + rng.integers(7, 31, k) * 1440
    end = DAYS * 1440 - 1
    status, rectified = _hazard_status(rng, found, deadline, major, end)
    note = np.full(n, None, object)
    note[rows] = desc
    inspections = gpd.GeoDataFrame(
        {
            "inspection_id": names.format_ids("I", np.arange(1, n + 1), 6),
            "inspected_at": _minutes_to_time(log["minute"].to_numpy()),
            "inspector_role": log["role"].to_numpy(object),
            "inspector": log["inspector"].to_numpy(object),
            "target_id": log["target"].to_numpy(object),
            "result": np.where(hit, "hazard", "ok").astype(object),
            "note": note,
        },
        geometry=shapely.points(np.round(log[["x", "y"]].to_numpy(), 2)),
        crs=CRS,
    )
    order = np.lexsort((unit[rows], found))
    rect_time = _minutes_to_time(np.where(rectified >= 0, rectified, 0))
    hazards = gpd.GeoDataFrame(
        {
            "hazard_id": names.format_ids("HZ", np.arange(1, k + 1), 4),
            "found_at": _minutes_to_time(found[order]),
            "severity": np.where(major, "major", "general")[order].astype(object),
            "status": status[order].astype(object),
            "deadline": _minutes_to_time(deadline[order]),
            "rectified_at": rect_time.where(rectified >= 0)[order],
            "unit_id": units["unit_id"].to_numpy()[unit[rows]][order],
            "description": desc[order].astype(object),
        },
        geometry=units.geometry.values[unit[rows]][order],
        crs=CRS,
    )
    return inspections, hazards


def _hazard_status(
    rng: np.random.Generator, found: np.ndarray, deadline: np.ndarray, major: np.ndarray, end: int
) -> tuple[np.ndarray, np.ndarray]:
    """Status and rectification minute (-1 if none) of each hazard as of the end of the year.

    Overdue hazards are mostly rectified late, some handed to the police station, a few
    still open; major hazards are mostly under government supervision; hazards whose
    deadline lies beyond the year are mostly still open.
    """
    k = found.size
    due = deadline < end
    r = rng.random(k)
    status = np.where(
        due,
        np.select(
            [r < 0.84, r < 0.93, r < 0.96], ["rectified", "transferred", "supervised"], "open"
        ),
        np.where(r < 0.3, "rectified", "open"),
    )
    status = np.where(
        major,
        np.where(rng.random(k) < 0.75, "supervised", np.where(due, "rectified", "supervised")),
        status,
    )
    late = rng.random(k) < 0.08
    span = np.maximum(deadline - found, 1440)
    when = found + 60 + (rng.random(k) * (span - 60)).astype(np.int64)
    when = np.where(late & due, deadline + rng.integers(1440, 15 * 1440, k), when)
    when = np.maximum(np.minimum(when, end - 60), found + 1)
    rectified = np.where(status == "rectified", when, -1)
    return status, rectified
