"""Schema conformance of one layer: names, types, enums and geometry types.

`conform_layer` takes a frame as read from a file and returns a typed copy in
the schema's field names together with every `Problem` found. It never raises
and never drops a feature; the caller decides what is fatal.
"""

from __future__ import annotations

from typing import TypedDict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.errors import Problem
from gridmap.schema import TIMEZONE, Field, LayerSpec


class _Where(TypedDict):
    """Where a problem is: the file and the layer (`Problem`'s keywords)."""

    file: str | None
    layer: str | None


_TRUE = {"1", "true", "yes", "y", "t", "是", "对", "√"}
_FALSE = {"0", "false", "no", "n", "f", "否", "不是", "×", ""}


def _examples(values: pd.Series, n: int = 3) -> str:
    shown = [repr(v) for v in pd.unique(values.astype(str))[:n]]
    return ", ".join(shown)


def rename_aliases(frame: pd.DataFrame, spec: LayerSpec) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename columns known as aliases to the schema's names; return the frame and the renames."""
    alias_map = spec.alias_map()
    present = set(frame.columns)
    renames: dict[str, str] = {}
    for column in frame.columns:
        target = alias_map.get(str(column).strip().lower())
        if target is None or target == column or target in present or target in renames.values():
            continue
        renames[column] = target
    return frame.rename(columns=renames), renames


def _none_for_blank(values: pd.Series) -> pd.Series:
    """Object column of the stripped texts, None where missing or blank."""
    arr = values.astype(object).to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr) | (arr == "")] = None
    return pd.Series(arr, index=values.index, dtype=object)


def _as_text(values: pd.Series) -> pd.Series:
    # Fast path (vectorised): a string column, or an object column holding only text.
    if isinstance(values.dtype, pd.StringDtype) or (
        pd.api.types.is_string_dtype(values.dtype)
        and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    ):
        return _none_for_blank(values.str.strip() if len(values) else values)

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = str(v).strip()
        return text or None

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def _missing(values: pd.Series) -> pd.Series:
    """Mask of missing values: NA, and blank text in a column of text or objects.

    A column already typed (datetime, number, boolean) holds no text, so it is not
    formatted as text to look for blanks (a million timestamps cost seconds).
    """
    missing = values.isna()
    if pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        missing |= values.astype(str).str.strip() == ""
    return missing


def _coerce(values: pd.Series, field: Field) -> tuple[pd.Series, pd.Series]:
    """Return the coerced column and a boolean mask of values that could not be read."""
    if field.kind in ("id", "text"):
        out = _as_text(values)
        if field.choices:
            labelled = out.map(field.choice_codes())
            bad = out.notna() & labelled.isna()
            out = _none_for_blank(labelled.where(~bad, out))
            return out, bad
        return out, pd.Series(False, index=values.index)
    missing = _missing(values)
    if field.kind in ("int", "float"):
        num = pd.to_numeric(values.where(~missing), errors="coerce")
        bad = num.isna() & ~missing
        if field.kind == "int":
            bad |= num.notna() & (num % 1 != 0)
            num = num.where(~bad).round().astype("Int64")
        return num, bad
    if field.kind == "bool":
        text = values.where(~missing).astype(str).str.strip().str.lower()
        out = pd.Series(pd.NA, index=values.index, dtype="boolean")
        out[text.isin(_TRUE)] = True
        out[text.isin(_FALSE - {""}) & ~missing] = False
        bad = out.isna() & ~missing
        return out, bad
    # datetime: naive values are Asia/Shanghai local time; aware ones are converted.
    return _to_local_datetime(values, missing)


def _localize(parsed: pd.Series) -> pd.Series:
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return parsed.dt.tz_convert(TIMEZONE)
    return parsed.dt.tz_localize(TIMEZONE)


def _to_local_datetime(values: pd.Series, missing: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _localize(values), pd.Series(False, index=values.index)
    text = values.where(~missing)
    try:
        parsed = _localize(pd.to_datetime(text, errors="coerce", format="ISO8601"))
    except (ValueError, TypeError, AttributeError):
        # Mixed offsets or odd formats: parse one by one.
        stamps: list[object] = []
        for v in text:
            try:
                ts = pd.Timestamp(v) if v is not None and not pd.isna(v) else pd.NaT
            except (ValueError, TypeError):
                ts = pd.NaT
            if pd.isna(ts):
                stamps.append(pd.NaT)
            else:
                stamps.append(
                    ts.tz_localize(TIMEZONE) if ts.tzinfo is None else ts.tz_convert(TIMEZONE)
                )
        parsed = pd.Series(stamps, index=values.index, dtype=f"datetime64[ms, {TIMEZONE}]")
    bad = parsed.isna() & ~missing
    return parsed, bad


def _check_id_values(frame: pd.DataFrame, field: Field, where: _Where) -> list[Problem]:
    column = frame[field.name]
    if pd.api.types.is_numeric_dtype(column.dtype) and not column.isna().all():
        return [
            Problem(
                "error",
                f"ids are stored as numbers ({column.dtype}), not text; codes such as "
                "410106001001 lose leading zeros and precision as numbers.",
                field=field.name,
                count=int(column.notna().sum()),
                fix=f"store {field.name!r} as a text column (QGIS: Processing > Refactor fields, "
                "type String) or pass coerce_ids=True to convert them.",
                **where,
            )
        ]
    return []


def _non_finite(geoms: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Mask of the geometries with a NaN or infinite coordinate (x, y or z).

    >>> _non_finite(np.array([shapely.Point(0, 1), shapely.LineString([(0, 0), (np.inf, 1)])]),
    ...             np.array([True, True])).tolist()
    [False, True]
    """
    mask = np.zeros(len(geoms), dtype=bool)
    if not present.any():
        return mask
    coords, index = shapely.get_coordinates(geoms[present], include_z=True, return_index=True)
    bad = ~np.isfinite(coords[:, :2]).all(axis=1)
    if coords.shape[1] > 2:  # a missing z is NaN in 2D geometries; an infinite one is not
        bad |= np.isinf(coords[:, 2])
    mask[np.flatnonzero(present)[np.unique(index[bad])]] = True
    return mask


def _ids(frame: pd.DataFrame, mask: pd.Series | np.ndarray, spec: LayerSpec, n: int = 5) -> str:
    """Return the ids of the first features under `mask` (their row numbers when there is no id)."""
    rows = np.flatnonzero(np.asarray(mask))
    if spec.id_field in frame.columns:
        shown = [repr(str(v)) for v in frame[spec.id_field].iloc[rows[:n]]]
        label = f"{spec.id_field} "
    else:
        shown = [str(int(r) + 1) for r in rows[:n]]
        label = "features "
    more = f" and {len(rows) - n} more" if len(rows) > n else ""
    return label + ", ".join(shown) + more


def _check_geometry(frame: pd.DataFrame, spec: LayerSpec, where: _Where) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(frame, gpd.GeoDataFrame):
        if not spec.geometry_optional:
            problems.append(
                Problem(
                    "error",
                    f"the layer has no geometry; expected {' or '.join(spec.geometry or ())}.",
                    fix="save it as a spatial layer, not an attribute table.",
                    **where,
                )
            )
        return problems
    geoms = frame.geometry
    present = ~geoms.isna() & ~geoms.is_empty  # notna() warns on empty geometries
    types = geoms[present].geom_type
    wrong = types[~types.isin(spec.geometry or ())]
    if len(wrong):
        found = ", ".join(f"{t} ({n})" for t, n in wrong.value_counts().items())
        problems.append(
            Problem(
                "error",
                f"wrong geometry type: found {found}; expected {' or '.join(spec.geometry or ())}.",
                field=frame.geometry.name,
                count=len(wrong),
                fix="convert the features (QGIS: Polygons to lines / Lines to polygons, or "
                "Centroids for point layers) or move them to the right layer.",
                **where,
            )
        )
    if not spec.geometry_optional and (~present).any():
        problems.append(
            Problem(
                "warning",
                "features without geometry are kept but cannot be placed on the map.",
                count=int((~present).sum()),
                **where,
            )
        )
    non_finite = _non_finite(geoms.values, present.to_numpy())
    if non_finite.any():
        problems.append(
            Problem(
                "error",
                f"{int(non_finite.sum())} geometries have coordinates that are not finite "
                f"numbers (NaN or infinity), e.g. {_ids(frame, non_finite, spec)}.",
                field=frame.geometry.name,
                count=int(non_finite.sum()),
                fix="redraw these features or correct their vertices (QGIS: Vertex tool), "
                "or restore the file from its backup (.bak).",
                **where,
            )
        )
        present = present & ~non_finite
    polygonal = present & geoms.geom_type.isin(("Polygon", "MultiPolygon"))
    invalid = polygonal & ~shapely.is_valid(geoms.values)
    if invalid.any():
        ids = frame.loc[invalid, spec.id_field].astype(str).tolist()[:5]
        problems.append(
            Problem(
                "warning",
                f"invalid geometries (kept; the coverage check repairs and reports them), "
                f"e.g. {', '.join(ids)}.",
                count=int(invalid.sum()),
                **where,
            )
        )
    return problems


def conform_layer(
    frame: pd.DataFrame, spec: LayerSpec, *, file: str | None = None, coerce_ids: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Return `frame` renamed and typed to `spec`, with every problem found.

    Columns that the schema does not know are kept unchanged.
    """
    where: _Where = {"file": file, "layer": spec.name}
    frame, _ = rename_aliases(frame, spec)
    frame = frame.copy()
    problems: list[Problem] = []
    for field in spec.fields:
        if field.name not in frame.columns:
            if field.required:
                accepted = ", ".join((field.name, *field.aliases[:4]))
                problems.append(
                    Problem(
                        "error",
                        f"required field {field.name!r} ({field.zh}) is missing.",
                        field=field.name,
                        fix=f"add a column named one of: {accepted}.",
                        **where,
                    )
                )
            continue
        if field.kind == "id" and not coerce_ids:
            id_problems = _check_id_values(frame, field, where)
            if id_problems:
                problems += id_problems
                continue
        coerced, bad = _coerce(frame[field.name], field)
        if bad.any():
            expected = (
                f"one of {field.accepted_values()}"
                if field.choices
                else {
                    "int": "whole numbers",
                    "float": "numbers",
                    "bool": "yes/no values",
                    "datetime": "dates such as 2025-06-01 08:30",
                }.get(field.kind, "text")
            )
            problems.append(
                Problem(
                    "error",
                    f"{int(bad.sum())} values cannot be read as {expected}, e.g. "
                    f"{_examples(frame.loc[bad, field.name])}.",
                    field=field.name,
                    count=int(bad.sum()),
                    fix="correct or clear these values.",
                    **where,
                )
            )
        frame[field.name] = coerced
    if spec.id_field in frame.columns:
        blank = frame[spec.id_field].isna()
        if blank.any() and not any(p.field == spec.id_field for p in problems):
            problems.append(
                Problem(
                    "error",
                    f"{int(blank.sum())} features have no {spec.id_field}.",
                    field=spec.id_field,
                    count=int(blank.sum()),
                    fix=f"give every feature a {spec.id_field}.",
                    **where,
                )
            )
    problems += _check_geometry(frame, spec, where)
    return frame, problems
