"""Edits as data: what a change removes and adds in one layer, and how to apply or invert it.

Every change GridMap saves (a split, a merge, a reshaped boundary, a recorded
inspection, a planned equipment point) is an `Edit`: the rows it removes
(as they were) and the rows it adds (as they are now). Applying the inverse
restores the exact previous state, which is how undo works.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd

from gridmap.errors import DataError
from gridmap.schema import LAYERS


@dataclass(frozen=True)
class Edit:
    """One change to one layer.

    Parameters
    ----------
    layer
        Schema layer name, e.g. ``"grid_small"``.
    operation
        What the user did: draw, split, merge, reshape, reassign, delete, append, undo.
    removed
        Rows of the layer before the edit that the edit removes or changes.
    added
        Rows after the edit: new rows and the changed versions of removed ones.
    user, reason
        Who made the edit and why (a reason is required to accept new findings).
    """

    layer: str
    operation: str
    removed: pd.DataFrame
    added: pd.DataFrame
    user: str = ""
    reason: str | None = None

    @property
    def id_field(self) -> str:
        """The id field of the edited layer."""
        return LAYERS[self.layer].id_field

    def affected_ids(self) -> list[str]:
        """Return the ids the edit removes or adds, sorted, each once."""
        ids = [*self.removed[self.id_field].tolist(), *self.added[self.id_field].tolist()]
        return sorted(dict.fromkeys(str(i) for i in ids))

    def inverse(self) -> Edit:
        """Return the edit that undoes this one."""
        return replace(self, operation="undo", removed=self.added, added=self.removed)


def apply_edit(frame: pd.DataFrame, edit: Edit) -> pd.DataFrame:
    """Return `frame` with the edit's removed rows dropped and its added rows appended.

    Raises `DataError` when a removed id is not in the layer or an added id
    would duplicate one that stays. A field of the layer's schema that the
    frame lacks but the added rows give a value (a hazard's first
    ``rectified_at`` in a file without that column) is added; other extra
    columns are dropped.
    """
    key = edit.id_field
    ids = frame[key].astype(str)
    removed = set(edit.removed[key].astype(str))
    missing = removed - set(ids)
    if missing:
        raise DataError(
            f"layer {edit.layer!r}: the edit removes {sorted(missing)}, which the layer does not "
            "have; reload the file and redo the edit."
        )
    kept = frame[~ids.isin(removed)]
    clash = set(kept[key].astype(str)) & set(edit.added[key].astype(str))
    if clash:
        raise DataError(
            f"layer {edit.layer!r}: the edit adds ids that already exist: {sorted(clash)}."
        )
    fields = LAYERS[edit.layer].field_names
    new_fields = [
        c
        for c in edit.added.columns
        if c in fields and c not in frame.columns and edit.added[c].notna().any()
    ]
    added = edit.added.reindex(columns=[*frame.columns, *new_fields])
    for column in frame.columns:
        if column != getattr(frame, "_geometry_column_name", None):
            with contextlib.suppress(TypeError, ValueError):
                added[column] = added[column].astype(frame[column].dtype)
    parts = [part for part in (kept, added) if len(part)]
    if not parts:
        return frame.iloc[0:0].copy()
    out = pd.concat(parts, ignore_index=True)
    if isinstance(frame, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=frame.crs)
    return out
