"""Inspections for maps: hexagon heat, weekly series, missing inspections, tallies per zone.

Aggregation happens in the district's metric CRS, so a million records become
a few thousand cells: hexagons of `cell_size` metres across (flat to flat,
the distance between neighbouring centres). Only the cell centres are turned
into longitude/latitude, for the web map. When a budget of cells is given, the
cell size doubles until the result fits, so the payload of a map stays small
whatever the number of records.

>>> import numpy as np
>>> q, r = hex_cells(np.array([0.0, 10.0, 300.0]), np.array([0.0, 5.0, 0.0]), cell_size=100.0)
>>> q.tolist(), r.tolist()
([0, 0, 3], [0, 0, 0])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from gridmap.analysis.inspections.compliance import (
    as_date,
    assign_inspections,
    day_number,
    day_numbers,
    grid_ids,
    period_numbers,
    select_inspections,
)
from gridmap.analysis.inspections.placement import event_layer, lookup, place_table, text_ids
from gridmap.district import District
from gridmap.geo.crs import WEB_CRS, require_metric
from gridmap.layers import LINEAGE_COLUMN
from gridmap.schema import INSPECTOR_ROLES

_SQRT3 = np.sqrt(3.0)


# ---------------------------------------------------------------------------
# Hexagons


def hex_cells(x: np.ndarray, y: np.ndarray, *, cell_size: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial coordinates (q, r) of the pointy-top hexagon holding each point.

    Examples
    --------
    >>> import numpy as np
    >>> from gridmap.analysis.inspections import hex_cells
    >>> q, r = hex_cells(np.array([0.0, 10.0, 500.0]), np.array([0.0, 5.0, 0.0]), cell_size=100.0)
    >>> q.tolist(), r.tolist()
    ([0, 0, 5], [0, 0, 0])
    """
    if not cell_size > 0:
        raise ValueError(f"cell_size must be positive metres, not {cell_size}")
    radius = cell_size / _SQRT3
    qf = (_SQRT3 / 3 * x - y / 3) / radius
    rf = (2 / 3 * y) / radius
    sf = -qf - rf
    q, r, s = np.round(qf), np.round(rf), np.round(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype(np.int64), r.astype(np.int64)


def hex_centres(q: np.ndarray, r: np.ndarray, *, cell_size: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres (x, y) of hexagons given by axial coordinates.

    Examples
    --------
    >>> import numpy as np
    >>> from gridmap.analysis.inspections import hex_centres
    >>> x, y = hex_centres(np.array([0, 1]), np.array([0, 1]), cell_size=100.0)
    >>> x.round(1).tolist(), y.round(1).tolist()
    ([0.0, 150.0], [0.0, 86.6])
    """
    radius = cell_size / _SQRT3
    return radius * _SQRT3 * (q + r / 2), radius * 1.5 * r


def hex_polygons(q: np.ndarray, r: np.ndarray, *, cell_size: float) -> np.ndarray:
    """Hexagon polygons for axial coordinates (vectorised).

    Examples
    --------
    >>> import numpy as np
    >>> from gridmap.analysis.inspections import hex_polygons
    >>> hexagon = hex_polygons(np.array([0]), np.array([0]), cell_size=100.0)[0]
    >>> len(hexagon.exterior.coords), round(hexagon.area)
    (7, 8660)
    """
    cx, cy = hex_centres(np.asarray(q), np.asarray(r), cell_size=cell_size)
    radius = cell_size / _SQRT3
    angles = np.deg2rad(np.arange(6) * 60 + 30)
    xs = cx[:, None] + radius * np.cos(angles)[None, :]
    ys = cy[:, None] + radius * np.sin(angles)[None, :]
    ring = np.stack([xs, ys], axis=-1)
    ring = np.concatenate([ring, ring[:, :1]], axis=1)
    return np.asarray(shapely.polygons(ring), dtype=object)


def _xy(points: gpd.GeoSeries | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    geoms = np.asarray(points, dtype=object)
    has = ~(pd.isna(geoms) | shapely.is_empty(geoms))
    xy = shapely.get_coordinates(geoms[has])
    return xy[:, 0], xy[:, 1], has


def _encode(*columns: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """One int64 key per row from small-int columns, with the offsets to decode it."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    spans = []
    for col in columns:
        lo, hi = (int(col.min()), int(col.max())) if len(col) else (0, 0)
        key = key * (hi - lo + 1) + (col - lo)
        spans.append((lo, hi - lo + 1))
    return key, spans


def _decode(key: np.ndarray, spans: list[tuple[int, int]]) -> list[np.ndarray]:
    out = []
    for lo, width in reversed(spans):
        key, rest = np.divmod(key, width)
        out.append(rest + lo)
    return out[::-1]


def hex_counts(
    points: gpd.GeoSeries, *, cell_size: float = 250.0, weights: np.ndarray | None = None
) -> gpd.GeoDataFrame:
    """Hexagons holding at least one point: ``q``, ``r``, ``count``, polygon, in the points' CRS.

    Examples
    --------
    >>> from gridmap.analysis.inspections import hex_counts
    >>> cells = hex_counts(district["inspections"].geometry, cell_size=500.0)
    >>> len(cells), int(cells["count"].sum())
    (307, 21950)
    """
    require_metric(points, "the points to aggregate")
    x, y, has = _xy(points.values)
    q, r = hex_cells(x, y, cell_size=cell_size)
    key, spans = _encode(q, r)
    uniq, inverse = np.unique(key, return_inverse=True)
    w = np.ones(len(key)) if weights is None else np.asarray(weights, dtype=float)[has]
    count = np.bincount(inverse, weights=w, minlength=len(uniq))
    uq, ur = _decode(uniq, spans)
    return gpd.GeoDataFrame(
        {"q": uq, "r": ur, "count": count},
        geometry=hex_polygons(uq, ur, cell_size=cell_size),
        crs=points.crs,
    )


def _to_lonlat(x: np.ndarray, y: np.ndarray, crs: CRS) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = Transformer.from_crs(crs, WEB_CRS, always_xy=True).transform(x, y)
    return np.round(lon, 5), np.round(lat, 5)


def heat_points(
    points: gpd.GeoSeries, *, cell_size: float = 200.0, max_cells: int | None = 60_000
) -> tuple[pd.DataFrame, float]:
    """Heat-map input: one row ``lat``, ``lon``, ``weight`` per occupied hexagon.

    Returns the rows and the cell size used (doubled until at most `max_cells` rows).

    Examples
    --------
    >>> from gridmap.analysis.inspections import heat_points
    >>> frame, cell = heat_points(district["inspections"].geometry)
    >>> frame.columns.tolist(), len(frame), cell
    (['lat', 'lon', 'weight'], 1789, 200.0)
    """
    require_metric(points, "the points of the heat map")
    x, y, _ = _xy(points.values)
    while True:
        q, r = hex_cells(x, y, cell_size=cell_size)
        key, spans = _encode(q, r)
        uniq, count = np.unique(key, return_counts=True)
        if max_cells is None or len(uniq) <= max_cells:
            break
        cell_size *= 2
    uq, ur = _decode(uniq, spans)
    lon, lat = _to_lonlat(*hex_centres(uq, ur, cell_size=cell_size), points.crs)
    return pd.DataFrame({"lat": lat, "lon": lon, "weight": count.astype(np.int64)}), cell_size


@dataclass(frozen=True)
class WeeklyHeat:
    """A heat map per ISO week, for a time slider (folium ``HeatMapWithTime``).

    ``weeks`` are the Mondays (ISO dates) and ``frames[i]`` the ``[lat, lon,
    weight]`` rows of week i; every week of the range is present, empty or not.
    """

    weeks: list[str]
    frames: list[list[list[float]]]
    cell_size: float

    @property
    def cells(self) -> int:
        """The number of hexagon cells over every week."""
        return sum(len(f) for f in self.frames)


def weekly_heat(
    points: gpd.GeoSeries,
    times: pd.Series,
    *,
    start: object,
    end: object,
    cell_size: float = 400.0,
    max_cells: int | None = 120_000,
) -> WeeklyHeat:
    """Hexagon counts per ISO week of the range (records outside it are left out).

    Examples
    --------
    >>> from gridmap.analysis.inspections import weekly_heat
    >>> layer = district["inspections"]
    >>> weeks = {"start": "2026-01-05", "end": "2026-02-01"}
    >>> heat = weekly_heat(layer.geometry, layer["inspected_at"], **weeks)
    >>> len(heat.frames), heat.cells
    (4, 1033)
    """
    require_metric(points, "the points of the heat map")
    first, last = day_number(as_date(start)), day_number(as_date(end))
    days = day_numbers(times)
    x, y, has = _xy(points.values)
    days = days[has]
    inside = (days >= first) & (days <= last)
    x, y = x[inside], y[inside]
    w0 = int(period_numbers(np.array([first]), "weekly")[0])
    n_weeks = int(period_numbers(np.array([last]), "weekly")[0]) - w0 + 1
    week = period_numbers(days[inside], "weekly") - w0
    while True:
        q, r = hex_cells(x, y, cell_size=cell_size)
        key, spans = _encode(week, q, r)
        uniq, count = np.unique(key, return_counts=True)
        if max_cells is None or len(uniq) <= max_cells:
            break
        cell_size *= 2
    wk, uq, ur = _decode(uniq, spans) if len(uniq) else (uniq, uniq, uniq)
    lon, lat = _to_lonlat(*hex_centres(uq, ur, cell_size=cell_size), points.crs)
    bounds = np.searchsorted(wk, np.arange(n_weeks + 1))
    rows = np.column_stack([lat, lon, count]).tolist()
    frames = [rows[bounds[i] : bounds[i + 1]] for i in range(n_weeks)]
    mondays = (np.arange(n_weeks) + w0) * 7 - 3
    weeks = [str(d) for d in mondays.astype("datetime64[D]")]
    return WeeklyHeat(weeks, frames, cell_size)


# ---------------------------------------------------------------------------
# Missing inspections and tallies


@dataclass(frozen=True)
class MissingInspections:
    """Where inspections are missing in a date range.

    zones
        Every small grid (GeoDataFrame, its geometry): ``grid_id``, ``name``,
        ``medium_id``, ``large_id``, ``inspections``, ``units``,
        ``units_inspected``, ``households``, ``per_unit`` and
        ``per_household`` (inspections per unit / household; NaN where the
        zone has none), ``inspected`` (at least one inspection).
    units
        Social units no inspection targeted in the range: ``unit_id``,
        ``name``, ``category``, ``small_id``, ``medium_id``, ``large_id``,
        ``last_inspected`` (latest inspection of the unit before the range, NaT
        if never), geometry.
    """

    zones: gpd.GeoDataFrame
    units: gpd.GeoDataFrame

    @property
    def zones_missed(self) -> gpd.GeoDataFrame:
        """The zones with no inspection in the period."""
        return self.zones[~self.zones["inspected"]]


def _count_by(ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    pos = lookup(keys, ids)
    pos = pos[pos >= 0]
    return np.bincount(pos, minlength=len(ids)).astype(np.int64)


def missing_inspections(
    district: District,
    *,
    start: object,
    end: object,
    roles: Iterable[str] | None = None,
    assignment: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> MissingInspections:
    """Inspections per zone, unit and household, and the zones and units not inspected.

    Examples
    --------
    >>> from gridmap.analysis.inspections import missing_inspections
    >>> missed = missing_inspections(district, start="2026-01-01", end="2026-03-31")
    >>> len(missed.zones), len(missed.zones_missed)
    (150, 0)
    """
    places = place_table(district) if places is None else places
    assignment = assign_inspections(district, places=places) if assignment is None else assignment
    chosen = select_inspections(district, start=start, end=end, roles=roles)
    small = district["grid_small"]
    ids = text_ids(small["grid_id"])
    zones = gpd.GeoDataFrame(
        {
            "grid_id": ids,
            "name": small["name"].to_numpy(dtype=object) if "name" in small else None,
            "medium_id": text_ids(small["parent_id"]),
        },
        geometry=small.geometry.values,
        crs=small.crs,
    )
    large_of = places[places["kind"] == "grid_small"].set_index("id")["large_id"]
    zones["large_id"] = zones["grid_id"].map(large_of)
    zones["inspections"] = _count_by(ids, assignment["small_id"].to_numpy(dtype=object)[chosen])
    unit_rows = places[places["kind"] == "units"]
    zones["units"] = _count_by(ids, unit_rows["small_id"].to_numpy(dtype=object))
    targeted = assignment["unit_id"].to_numpy(dtype=object)
    seen = pd.unique(targeted[chosen & ~pd.isna(targeted)])
    inspected_units = unit_rows[unit_rows["id"].isin(seen)]
    zones["units_inspected"] = _count_by(ids, inspected_units["small_id"].to_numpy(dtype=object))
    households = places[places["kind"] == "households"]
    zones["households"] = _count_by(ids, households["small_id"].to_numpy(dtype=object))
    zones["per_unit"] = zones["inspections"] / zones["units"].where(zones["units"] > 0)
    zones["per_household"] = zones["inspections"] / zones["households"].where(
        zones["households"] > 0
    )
    zones["inspected"] = zones["inspections"] > 0
    return MissingInspections(zones, _units_missed(district, places, seen, assignment, start))


def _units_missed(
    district: District,
    places: pd.DataFrame,
    seen: np.ndarray,
    assignment: pd.DataFrame,
    start: object,
) -> gpd.GeoDataFrame:
    units = district.get("units")
    columns = ["unit_id", "name", "category", "small_id", "medium_id", "large_id", "last_inspected"]
    if units is None or not len(units):
        return gpd.GeoDataFrame(
            columns=[*columns, "geometry"], geometry="geometry", crs=district.crs
        )
    unit_ids = text_ids(units["unit_id"])
    keep = ~pd.Index(unit_ids).isin(seen)
    out = gpd.GeoDataFrame(
        {"unit_id": unit_ids[keep]}, geometry=units.geometry.values[keep], crs=units.crs
    )
    for column in ("name", "category"):
        out[column] = units[column].to_numpy(dtype=object)[keep] if column in units else None
    grid = places[places["kind"] == "units"].set_index("id")
    for column in ("small_id", "medium_id", "large_id"):
        out[column] = out["unit_id"].map(grid[column])
    times = event_layer(district, "inspections")["inspected_at"]
    before = day_numbers(times) < day_number(as_date(start))
    targeted = assignment["unit_id"].to_numpy(dtype=object)
    has = before & ~pd.isna(targeted)
    last = pd.Series(times[has].array, index=targeted[has]).groupby(level=0).max()
    out["last_inspected"] = last.reindex(out["unit_id"].to_numpy()).array
    return out[[*columns, "geometry"]].reset_index(drop=True)


def tallies(
    district: District,
    *,
    start: object,
    end: object,
    level: str = "grid_small",
    by: str = "inspector_role",
    assignment: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Inspections per grid of `level` and per role (or per inspector) in the range.

    With ``by="inspector_role"``: one row per grid, a column per role (every
    role of the schema, zeros included), ``total`` and ``hazards`` (inspections
    that found a hazard). With ``by="inspector"``: one row per grid and
    inspector with ``inspections`` and ``hazards``.

    Examples
    --------
    >>> from gridmap.analysis.inspections import tallies
    >>> table = tallies(district, start="2026-01-01", end="2026-01-31", level="grid_large")
    >>> table.columns.tolist()
    ['grid_id', 'patrol', 'community', 'safety_office', 'police', 'unit', 'total', 'hazards']
    """
    assignment = assign_inspections(district) if assignment is None else assignment
    frame = event_layer(district, "inspections")
    chosen = select_inspections(district, start=start, end=end)
    grid = assignment[LINEAGE_COLUMN[level]].to_numpy(dtype=object)
    chosen &= ~pd.isna(grid)
    hazard = (
        text_ids(frame["result"]) == "hazard" if "result" in frame else np.zeros(len(frame), bool)
    )
    if by == "inspector":
        who = text_ids(frame["inspector"]) if "inspector" in frame else np.full(len(frame), None)
        data = pd.DataFrame(
            {"grid_id": grid[chosen], "inspector": who[chosen], "hazards": hazard[chosen]}
        )
        data["inspector"] = data["inspector"].fillna("")
        out = data.groupby(["grid_id", "inspector"]).agg(
            inspections=("hazards", "size"), hazards=("hazards", "sum")
        )
        return out.reset_index()
    if by != "inspector_role":
        raise ValueError(f"by must be 'inspector_role' or 'inspector', not {by!r}")
    ids = grid_ids(district, level)
    grid_pos = lookup(grid[chosen], ids)
    role_pos = lookup(text_ids(frame["inspector_role"])[chosen], np.array(INSPECTOR_ROLES, object))
    ok = (grid_pos >= 0) & (role_pos >= 0)
    n_roles = len(INSPECTOR_ROLES)
    counts = np.bincount(
        grid_pos[ok] * n_roles + role_pos[ok], minlength=len(ids) * n_roles
    ).reshape(len(ids), n_roles)
    out = pd.DataFrame(counts.astype(np.int64), columns=list(INSPECTOR_ROLES))
    out.insert(0, "grid_id", ids)
    out["total"] = out[list(INSPECTOR_ROLES)].sum(axis=1)
    out["hazards"] = _count_by(ids, grid[chosen & hazard])
    return out
