"""Placing records in grids: inspections and hazards by their target and their point.

A record's ``target_id`` is looked up in the grids (small, medium, large), then
the social units, buildings and households; the first match wins, and a later
layer is only read for the ids not found in the earlier ones. A unit,
building or household stands in the small grid holding it (a unit's point, a
building's representative point, a household's building, else its point). A
record whose target names no place inside a grid is placed by its own point:
the first small grid in layer order containing it, else the medium or large
grid. When the target is a medium or large grid, the point fills in the levels
below if it lies inside that grid. Points are only tested where they are needed.
Duplicated ids resolve to their first row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.district import District
from gridmap.layers import LINEAGE_COLUMNS, first_hit
from gridmap.schema import LAYERS, TIMEZONE

#: A missing value for `np.where` (its stubs take an array, not a bare None).
_NONE = np.array(None, dtype=object)

#: Columns of `assign_records`'s result.
ASSIGNMENT_COLUMNS = ("small_id", "medium_id", "large_id", "target_kind", "unit_id")
_POSITIONS = ("small_pos", "medium_pos", "large_pos")


def _arrow():
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - streamlit depends on pyarrow
        return None, None
    return pa, pc


def text_ids(values: Iterable[object]) -> np.ndarray:
    """Ids as an object array of stripped text, None where blank or missing.

    Examples
    --------
    >>> text_ids(pd.Series([" S1", None, "", 7])).tolist()
    ['S1', None, None, '7']
    """
    if isinstance(values, pd.Series | pd.Index):
        # pandas-stubs' to_numpy overloads reject na_value=None, which pandas accepts.
        arr = cast(Any, values).to_numpy(dtype=object, na_value=None)
    else:
        arr = np.asarray(
            list(values) if not isinstance(values, np.ndarray) else values, dtype=object
        )
    pa, pc = _arrow()
    if pa is not None:
        try:  # strings only: Arrow trims a million ids in milliseconds
            text = pc.utf8_trim_whitespace(pa.array(arr, type=pa.string(), from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
        else:
            text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
            return text.to_numpy(zero_copy_only=False).astype(object)
    missing = pd.isna(arr)
    out = np.full(len(arr), None, dtype=object)
    if not missing.all():
        text = np.char.strip(arr[~missing].astype(str)).astype(object)
        out[~missing] = np.where(text == "", _NONE, text)
    return out


def _none(values: np.ndarray) -> np.ndarray:
    """Mask of the None entries of an object array (ids here are text or None, never NaN)."""
    return np.equal(np.asarray(values, dtype=object), _NONE)


def lookup(keys: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Position of each key's first occurrence in `table`; -1 where absent or missing.

    Examples
    --------
    >>> lookup(np.array(["b", None, "x", "a"], dtype=object),
    ...        np.array(["a", "b", "a"], dtype=object)).tolist()
    [1, -1, -1, 0]
    """
    table = np.asarray(table, dtype=object)
    keys = np.asarray(keys, dtype=object)
    pa, pc = _arrow()
    if pa is not None:
        try:  # Arrow's hash lookup keeps the first occurrence of duplicated values
            found = pc.index_in(
                pa.array(keys, type=pa.string(), from_pandas=True),
                value_set=pa.array(table, type=pa.string(), from_pandas=True),
                skip_nulls=True,
            )
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
        else:
            return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    codes, uniques = pd.factorize(table, use_na_sentinel=True)
    first = np.full(len(uniques), -1, dtype=np.int64)
    valid = np.flatnonzero(codes >= 0)
    seen, at = np.unique(codes[valid], return_index=True)  # first occurrence of each code
    first[seen] = valid[at]
    pos = pd.Index(uniques, dtype=object).get_indexer(keys)
    out = np.where(pos >= 0, first[np.maximum(pos, 0)], -1)
    out[pd.isna(keys)] = -1
    return out


def _pick(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``values[positions]`` as objects, None where a position is -1."""
    out = np.full(len(positions), None, dtype=object)
    hit = positions >= 0
    out[hit] = np.asarray(values, dtype=object)[positions[hit]]
    return out


def _take(positions: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``positions[at]`` for integer links, -1 where `at` is -1."""
    if len(positions) == 0:
        return np.full(len(at), -1, dtype=np.int64)
    return np.where(at >= 0, positions[np.maximum(at, 0)], -1)


def _grid_tables(district: District) -> dict[str, np.ndarray]:
    """Ids of the grid levels and, as row positions, the declared parents (-1 where broken)."""
    small, medium = district["grid_small"], district["grid_medium"]
    large_ids = text_ids(district["grid_large"]["grid_id"])
    medium_ids = text_ids(medium["grid_id"])
    small_ids = text_ids(small["grid_id"])
    medium_large = lookup(text_ids(medium["parent_id"]), large_ids)
    small_medium = lookup(text_ids(small["parent_id"]), medium_ids)
    return {
        "small": small_ids,
        "medium": medium_ids,
        "large": large_ids,
        "small_medium": small_medium,
        "small_large": _take(medium_large, small_medium),
        "medium_large": medium_large,
    }


def _lineage_of_small(tables: dict[str, np.ndarray], small_pos: np.ndarray) -> np.ndarray:
    """(n, 3) int64 row positions of the small, medium and large grid (-1: none)."""
    return np.column_stack(
        [
            small_pos,
            _take(tables["small_medium"], small_pos),
            _take(tables["small_large"], small_pos),
        ]
    ).astype(np.int64)


def locate_points(
    district: District, points: np.ndarray, *, tables: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    """(n, 3) int64 row positions of the small, medium and large grid holding each point.

    -1 where none; a point in no small grid is looked up in the medium grids,
    then the large grids.

    Examples
    --------
    >>> from gridmap.analysis.inspections import locate_points
    >>> rows = locate_points(district, district["equipment_points"].geometry.to_numpy())
    >>> rows.shape, rows[0].tolist()
    ((64, 3), [0, 0, 0])
    """
    tables = _grid_tables(district) if tables is None else tables
    points = np.asarray(points, dtype=object)
    out = _lineage_of_small(tables, first_hit(points, district["grid_small"].geometry.values))
    outside = (out[:, 0] < 0) & ~_none(points)
    if outside.any():
        medium = first_hit(points[outside], district["grid_medium"].geometry.values)
        large = _take(tables["medium_large"], medium)
        no_large = large < 0
        if no_large.any():
            large[no_large] = first_hit(
                points[outside][no_large], district["grid_large"].geometry.values
            )
        out[outside, 1], out[outside, 2] = medium, large
    return out


def _part(ids: np.ndarray, kind: str, grids: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame({"id": ids, "kind": kind}, dtype=object)
    for k, column in enumerate(_POSITIONS):
        frame[column] = np.asarray(grids[:, k], dtype=np.int64)
    return frame


def place_parts(
    district: District, tables: dict[str, np.ndarray] | None = None
) -> Iterator[pd.DataFrame]:
    """Return the rows of `place_table` (positions only), a layer family at a time, built lazily.

    Examples
    --------
    >>> from gridmap.analysis.inspections import place_parts
    >>> [len(part) for part in place_parts(district)]
    [188, 1500, 5043, 40869]
    """
    tables = _grid_tables(district) if tables is None else tables
    n_small, n_medium, n_large = (len(tables[k]) for k in ("small", "medium", "large"))
    none_m, none_l = np.full(n_medium, -1), np.full(n_large, -1)
    yield pd.concat(
        [
            _part(tables["small"], "grid_small", _lineage_of_small(tables, np.arange(n_small))),
            _part(
                tables["medium"],
                "grid_medium",
                np.column_stack([none_m, np.arange(n_medium), tables["medium_large"]]),
            ),
            _part(
                tables["large"], "grid_large", np.column_stack([none_l, none_l, np.arange(n_large)])
            ),
        ],
        ignore_index=True,
    )
    units = district.get("units")
    if isinstance(units, gpd.GeoDataFrame) and len(units):
        yield _part(
            text_ids(units["unit_id"]),
            "units",
            locate_points(district, units.geometry.values, tables=tables),
        )
    buildings = district.get("buildings")
    building_grids = None
    if isinstance(buildings, gpd.GeoDataFrame) and len(buildings):
        geoms = buildings.geometry.values
        placed = ~(pd.isna(geoms) | shapely.is_empty(geoms))
        points = np.full(len(geoms), None, dtype=object)
        points[placed] = shapely.point_on_surface(geoms[placed])
        building_grids = locate_points(district, points, tables=tables)
        yield _part(text_ids(buildings["building_id"]), "buildings", building_grids)
    households = district.get("households")
    if households is not None and len(households):
        grids = np.full((len(households), 3), -1, dtype=np.int64)
        if building_grids is not None and buildings is not None:
            pos = lookup(text_ids(households["building_id"]), text_ids(buildings["building_id"]))
            grids = np.column_stack([_take(building_grids[:, k], pos) for k in range(3)])
        if isinstance(households, gpd.GeoDataFrame):
            unplaced = grids[:, 0] < 0
            if unplaced.any():
                grids[unplaced] = locate_points(
                    district, households.geometry.values[unplaced], tables=tables
                )
        yield _part(text_ids(households["household_id"]), "households", grids)


def place_table(district: District) -> pd.DataFrame:
    """Every id a record may target, with its kind and grids.

    Columns: ``id``, ``kind`` (a layer name), ``small_id``, ``medium_id``,
    ``large_id`` (None where none) and the grids' row positions
    ``small_pos``, ``medium_pos``, ``large_pos`` (-1 where none); in lookup
    order (grids small, medium, large, then units, buildings, households), so
    the first row of an id wins (`lookup`).

    Examples
    --------
    >>> from gridmap.analysis.inspections import place_table
    >>> places = place_table(district)
    >>> places.columns.tolist(), places["kind"].value_counts().sort_index().to_dict()
    (['id', 'kind', 'small_id', 'medium_id', 'large_id', 'small_pos', 'medium_pos',
    'large_pos'], {'buildings': 5043, 'grid_large': 6, 'grid_medium': 32, 'grid_small': 150,
    'households': 40869, 'units': 1500})
    """
    tables = _grid_tables(district)
    table = pd.concat(list(place_parts(district, tables)), ignore_index=True)
    for column, level, pos in zip(
        LINEAGE_COLUMNS, ("small", "medium", "large"), _POSITIONS, strict=True
    ):
        table.insert(
            list(table.columns).index(_POSITIONS[0]),
            column,
            _pick(tables[level], table[pos].to_numpy()),
        )
    return table


def _resolve(keys: np.ndarray, parts: Iterable[pd.DataFrame]) -> tuple[np.ndarray, np.ndarray]:
    """Grid positions (n, 3) and kind of each key, from the first part that has it."""
    target = np.full((len(keys), 3), -1, dtype=np.int64)
    kind = np.full(len(keys), None, dtype=object)
    pending = ~_none(keys)
    for part in parts:
        if not pending.any():
            break
        rows = np.flatnonzero(pending)
        pos = lookup(keys[rows], part["id"].to_numpy(dtype=object))
        hit = pos >= 0
        rows, pos = rows[hit], pos[hit]
        target[rows] = part[list(_POSITIONS)].to_numpy(dtype=np.int64)[pos]
        kind[rows] = part["kind"].to_numpy(dtype=object)[pos]
        pending[rows] = False
    return target, kind


def assign_records(
    district: District,
    target_ids: pd.Series,
    points: np.ndarray,
    *,
    places: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Grids of records with a target id and a point (inspections, hazards).

    Returns, on `target_ids`' index, ``small_id``, ``medium_id``, ``large_id``,
    ``target_kind`` (layer the target id was found in, None if not found or
    outside every grid), ``unit_id`` (the target when it is a unit) and the
    grids' row positions ``small_pos``, ``medium_pos``, ``large_pos`` (-1: none).
    `places` is `place_table(district)` when already computed.

    Examples
    --------
    >>> from gridmap.analysis.inspections import assign_records
    >>> hazards = district["hazards"]
    >>> found = assign_records(district, hazards["unit_id"], hazards.geometry.to_numpy())
    >>> found[["target_kind", "unit_id", "small_id"]].head(2)
      target_kind unit_id         small_id
    0       units  U01434  410106100202002
    1       units  U01428  410106100201001
    """
    tables = _grid_tables(district)
    keys = text_ids(target_ids)
    parts = [places] if places is not None else place_parts(district, tables)
    target, kind = _resolve(keys, parts)
    t_small, t_medium, t_large = target.T
    resolved = ~_none(kind) & (target >= 0).any(axis=1)
    point = np.full((len(keys), 3), -1, dtype=np.int64)
    need = ~resolved | (t_small < 0)  # the point adds nothing below a small grid
    if need.any():
        point[need] = locate_points(district, np.asarray(points, dtype=object)[need], tables=tables)
    p_small, p_medium, p_large = point.T
    large = np.where(resolved, t_large, p_large)
    fill_medium = (t_medium < 0) & (t_large >= 0) & (p_large == t_large)
    medium = np.where(resolved, np.where(fill_medium, p_medium, t_medium), p_medium)
    fill_small = (t_small < 0) & (medium >= 0) & (p_medium == medium)
    small = np.where(resolved, np.where(fill_small, p_small, t_small), p_small)
    kind = np.where(resolved, kind, _NONE)
    return pd.DataFrame(
        {
            "small_id": _pick(tables["small"], small),
            "medium_id": _pick(tables["medium"], medium),
            "large_id": _pick(tables["large"], large),
            "target_kind": kind,
            "unit_id": np.where(kind == "units", keys, _NONE),
        },
        index=target_ids.index,
        dtype=object,
    ).assign(small_pos=small, medium_pos=medium, large_pos=large)


def event_layer(district: District, name: str) -> gpd.GeoDataFrame:
    """Layer ``inspections`` or ``hazards``; an empty one with the schema's fields if absent.

    Examples
    --------
    >>> from gridmap.analysis.inspections import event_layer
    >>> len(event_layer(district, "hazards")), event_layer(district, "hazards").crs.to_epsg()
    (382, 4547)
    """
    frame = district.get(name)
    if frame is not None:
        return frame
    fields = LAYERS[name].fields
    columns = {
        f.name: pd.Series(
            [], dtype=f"datetime64[ms, {TIMEZONE}]" if f.kind == "datetime" else object
        )
        for f in fields
    }
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=district.crs), crs=district.crs)
