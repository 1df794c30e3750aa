"""Cached analysis of the Inspections page, keyed on plain values (path, mtime, size, options).

The district comes from `gridmap_app.loading` (one shared copy); the placement
of inspections in grids is kept with ``st.cache_resource``, derived tables with
``st.cache_data``. Saving a record changes the file's mtime, so every cache
key changes with it.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from gridmap.analysis import inspections as ins
from gridmap.district import District
from gridmap.layers import LINEAGE_COLUMN
from gridmap.schema import GRID_LEVELS
from gridmap_app import loading

Key = tuple[str, int, int, str]


def district(key: Key) -> District:
    return loading.district(loading.Source(*key))


@st.cache_resource(show_spinner=False, max_entries=4)
def _places(path: str, mtime_ns: int, size: int, view: str) -> pd.DataFrame:
    return ins.place_table(district((path, mtime_ns, size, view)))


@st.cache_resource(show_spinner=False, max_entries=4)
def _assignment(path: str, mtime_ns: int, size: int, view: str) -> pd.DataFrame:
    key = (path, mtime_ns, size, view)
    return ins.assign_inspections(district(key), places=_places(*key))


def places(key: Key) -> pd.DataFrame:
    return _places(*key)


def assignment(key: Key) -> pd.DataFrame:
    return _assignment(*key)


def selection_mask(
    key: Key,
    *,
    start: str,
    end: str,
    roles: tuple[str, ...],
    results: tuple[str, ...],
    grid: tuple[str, str] | None,
) -> pd.Series:
    """Inspections in the period, of the roles and results, in the grid (level, id)."""
    found = district(key)
    mask = ins.select_inspections(found, start=start, end=end, roles=roles, results=results)
    if grid is not None:
        mask &= assignment(key)[LINEAGE_COLUMN[grid[0]]].to_numpy(dtype=object) == grid[1]
    return mask


@st.cache_data(show_spinner=False, max_entries=32)
def heat(
    path: str,
    mtime_ns: int,
    size: int,
    view: str,
    *,
    start: str,
    end: str,
    roles: tuple[str, ...],
    results: tuple[str, ...],
    grid: tuple[str, str] | None,
) -> tuple[pd.DataFrame, float, int]:
    key = (path, mtime_ns, size, view)
    layer = ins.event_layer(district(key), "inspections")
    mask = selection_mask(key, start=start, end=end, roles=roles, results=results, grid=grid)
    rows, cell = ins.heat_points(layer.geometry[mask])
    return rows, cell, int(mask.sum())


@st.cache_data(show_spinner=False, max_entries=16)
def weekly(
    path: str,
    mtime_ns: int,
    size: int,
    view: str,
    *,
    start: str,
    end: str,
    roles: tuple[str, ...],
    results: tuple[str, ...],
    grid: tuple[str, str] | None,
) -> ins.WeeklyHeat:
    key = (path, mtime_ns, size, view)
    layer = ins.event_layer(district(key), "inspections")
    mask = selection_mask(key, start=start, end=end, roles=roles, results=results, grid=grid)
    return ins.weekly_heat(layer.geometry[mask], layer["inspected_at"][mask], start=start, end=end)


@st.cache_data(show_spinner=False, max_entries=16)
def compliance(
    path: str, mtime_ns: int, size: int, view: str, *, start: str, end: str
) -> pd.DataFrame:
    key = (path, mtime_ns, size, view)
    return ins.compliance(district(key), start=start, end=end, assignment=assignment(key))


@st.cache_data(show_spinner=False, max_entries=16)
def missing(
    path: str, mtime_ns: int, size: int, view: str, *, start: str, end: str, roles: tuple[str, ...]
) -> ins.MissingInspections:
    key = (path, mtime_ns, size, view)
    return ins.missing_inspections(
        district(key),
        start=start,
        end=end,
        roles=roles,
        assignment=assignment(key),
        places=places(key),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def tallies(
    path: str, mtime_ns: int, size: int, view: str, *, start: str, end: str, level: str
) -> pd.DataFrame:
    key = (path, mtime_ns, size, view)
    return ins.tallies(district(key), start=start, end=end, level=level, assignment=assignment(key))


@st.cache_data(show_spinner=False, max_entries=16)
def hazard_states(path: str, mtime_ns: int, size: int, view: str, as_of: str) -> gpd.GeoDataFrame:
    return ins.hazard_states(district((path, mtime_ns, size, view)), as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def grid_names(path: str, mtime_ns: int, size: int, view: str) -> dict[str, dict[str, str]]:
    found = district((path, mtime_ns, size, view))
    return {level: found.grid_names(level).astype(str).to_dict() for level in GRID_LEVELS}
