"""Writing a layer in its schema's column types (INTEGER counts, DATETIME dates).

`schema_types` is applied by `gridmap.io.gpkg` to every layer it writes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridmap.district import Layer
from gridmap.schema import LAYERS, TIMEZONE, layer_alias_map


def _typed_column(values: pd.Series, kind: str) -> pd.Series | None:
    """`values` (an object column) as the schema's type, or None when some value does not fit."""
    present = values.notna()
    if kind in ("int", "float"):
        numbers = pd.to_numeric(values, errors="coerce")
        if (numbers.notna() != present).any():
            return None
        if kind == "float":
            return numbers.astype("float64")
        if (numbers.dropna() % 1 != 0).any():
            return None
        return numbers.astype("Int64")
    if kind == "datetime":  # naive values are Shanghai wall time, as the loader reads them
        try:
            stamps = pd.to_datetime(values, format="ISO8601")
        except (ValueError, TypeError):  # mixed offsets
            try:
                stamps = pd.to_datetime(values, utc=True, format="ISO8601")
            except (ValueError, TypeError):
                return None
        if not isinstance(stamps.dtype, pd.DatetimeTZDtype):
            stamps = stamps.dt.tz_localize(TIMEZONE)
        return stamps if (stamps.notna() == present).all() else None
    if kind == "bool" and values.dropna().map(type).isin([bool, np.bool_]).all():
        return values.astype("boolean")
    return None


def schema_types(layer: Layer, name: str) -> Layer:
    """Return a schema layer's object columns in the schema's types.

    Counts become integers and dates datetimes, so GDAL writes INTEGER and DATETIME columns
    instead of TEXT or mixed offsets.

    A layer built from an empty, untyped frame (the first record of a layer a file did
    not have) holds its values as Python objects; written as they are, pyogrio stores an
    integer count as TEXT and a Shanghai time with its +08:00 offset, which GDAL reads
    back with a "Non-conformant content" warning. Columns that are typed already, and
    values that do not fit the type, are left as they are.
    """
    spec = LAYERS.get(layer_alias_map().get(name.strip().lower(), name))
    if spec is None:
        return layer
    out = None
    for field in spec.fields:
        if field.kind in ("id", "text") or field.name not in layer.columns:
            continue
        if layer[field.name].dtype != object:
            continue
        typed = _typed_column(layer[field.name], field.kind)
        if typed is not None:
            out = layer.copy() if out is None else out
            out[field.name] = typed
    return layer if out is None else out
