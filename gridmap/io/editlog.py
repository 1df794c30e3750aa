"""Saving edits with history: the `edit_log` table, optimistic locking and undo.

`save_edit` applies edits to a loaded district and writes the changed layers
together with one new `edit_log` row per edit in a single atomic save. The
log row keeps who, when, what, why, the affected ids and the exact rows
before and after (geometry as WKB), so `undo` can restore any number of
steps and `export_version` can write any past state. Before writing, the
file's fingerprint is compared with the one taken at load: if someone else
saved in between, `ConflictError` says what changed and nothing is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from gridmap.district import District, Layer
from gridmap.errors import ConflictError, GridmapError, SaveError
from gridmap.io.gpkg import file_fingerprint as fingerprint
from gridmap.io.gpkg import read_district, write_layers
from gridmap.io.locking import file_lock
from gridmap.io.sharing import claim_for_replace
from gridmap.layers import Edit, apply_edit
from gridmap.schema import LAYERS, TIMEZONE

EDIT_LOG = "edit_log"
_LOG_COLUMNS = (
    "edit_id",
    "at",
    "user",
    "operation",
    "layer",
    "ids",
    "reason",
    "crs",
    "before",
    "after",
    "undoes",
)


def read_edit_log(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Return the file's edit history, oldest first (empty when nothing was edited)."""
    names = {str(n) for n, _ in pyogrio.list_layers(path)}
    if EDIT_LOG not in names:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _LOG_COLUMNS})
    log = pyogrio.read_dataframe(path, layer=EDIT_LOG, read_geometry=False)
    log["edit_id"] = log["edit_id"].astype(int)
    log["undoes"] = pd.to_numeric(log["undoes"], errors="coerce").astype("Int64")
    log["at"] = pd.to_datetime(log["at"], utc=True).dt.tz_convert(TIMEZONE)
    return log.sort_values("edit_id").reset_index(drop=True)


def _json_value(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    # The stubs type np.ndim and pd.isna for known array and scalar types; both take any object.
    anything = cast(Any, value)
    if value is None or (np.ndim(anything) == 0 and pd.isna(anything)):
        return None
    return value


def _records(frame: pd.DataFrame) -> str:
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    rows = []
    for record in frame.to_dict("records"):
        row = {k: _json_value(v) for k, v in record.items() if k != geometry}
        if geometry is not None:
            geom = record[geometry]
            row["__wkb__"] = None if geom is None else shapely.to_wkb(geom, hex=True)
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False)


def _frame(text: str, like: pd.DataFrame) -> pd.DataFrame:
    """Rebuild rows stored by `_records` with the dtypes of `like`."""
    rows = json.loads(text)
    data = pd.DataFrame(
        [{k: v for k, v in r.items() if k != "__wkb__"} for r in rows],
        columns=[
            c
            for c in like.columns
            if not isinstance(like, gpd.GeoDataFrame) or c != like.geometry.name
        ],
    )
    for column in data.columns:
        dtype = like[column].dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            data[column] = (
                pd.to_datetime(data[column], format="ISO8601", utc=True)
                .dt.tz_convert(dtype.tz)
                .astype(dtype)
            )
        else:
            with contextlib.suppress(TypeError, ValueError):
                data[column] = data[column].astype(dtype)
    if not isinstance(like, gpd.GeoDataFrame):
        return data
    geoms = [None if r.get("__wkb__") is None else shapely.from_wkb(r["__wkb__"]) for r in rows]
    data[like.geometry.name] = gpd.GeoSeries(geoms, crs=like.crs).values
    return gpd.GeoDataFrame(data, geometry=like.geometry.name, crs=like.crs)


def _empty_layer(name: str, district: District) -> gpd.GeoDataFrame:
    columns = {f.name: pd.Series(dtype=object) for f in LAYERS[name].fields}
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=district.crs), crs=district.crs)


def _for_source(layer: Layer, source_crs: str | None) -> Layer:
    if (
        isinstance(layer, gpd.GeoDataFrame)
        and source_crs
        and layer.crs is not None
        and not layer.crs.equals(source_crs)
    ):
        return layer.to_crs(source_crs)
    return layer


def _layer_changes(
    district: District, theirs_district: District, name: str
) -> dict[str, list[str]]:
    mine = district[name]
    theirs = theirs_district.get(name)
    key = LAYERS[name].id_field
    if theirs is None or key not in theirs.columns:
        return {"changed": ["(the layer is gone)"]}
    ours_ids, their_ids = set(mine[key].astype(str)), set(theirs[key].astype(str))
    changed: list[str] = []
    if isinstance(mine, gpd.GeoDataFrame) and isinstance(theirs, gpd.GeoDataFrame):
        theirs = theirs.to_crs(mine.crs) if theirs.crs is not None else theirs
        common = sorted(ours_ids & their_ids)
        a = mine.set_index(mine[key].astype(str)).loc[common].geometry.values
        b = theirs.set_index(theirs[key].astype(str)).loc[common].geometry.values
        same = shapely.equals_exact(a, b, tolerance=1e-6)
        changed = [i for i, s in zip(common, same, strict=True) if not s]
    changed = sorted({*changed, *_attribute_changes(mine, theirs, key, ours_ids & their_ids)})
    return {
        "added": sorted(their_ids - ours_ids),
        "removed": sorted(ours_ids - their_ids),
        "changed": changed,
    }


def _as_text(frame: pd.DataFrame, key: str, ids: set[str], columns: list[str]) -> pd.DataFrame:
    rows = frame[frame[key].astype(str).isin(ids)]
    rows = rows.drop_duplicates(key).set_index(rows[key].astype(str))
    return (
        rows[columns]
        .map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))
        .sort_index()
    )


def _attribute_changes(mine: Layer, theirs: Layer, key: str, common: set[str]) -> list[str]:
    """Ids present in both whose attributes (any shared non-geometry column) differ."""
    skip = {key}
    for frame in (mine, theirs):
        if isinstance(frame, gpd.GeoDataFrame):
            skip.add(frame.geometry.name)
    columns = [c for c in mine.columns if c in theirs.columns and c not in skip]
    if not common or not columns:
        return []
    a, b = _as_text(mine, key, common, columns), _as_text(theirs, key, common, columns)
    differs = (a != b.reindex(a.index)).any(axis=1)
    return sorted(differs.index[differs])


def _some(ids: list[str], shown: int = 8) -> str:
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def check_unchanged(district: District) -> None:
    """Raise `ConflictError` if the district's file changed since it was loaded."""
    if district.path is None or district.fingerprint is None:
        return
    path = Path(district.path)
    if not path.exists():
        raise ConflictError(f"{path} was moved or deleted since it was loaded; nothing was saved.")
    if fingerprint(path) == district.fingerprint:
        return
    try:  # their file, loaded and typed the way ours was
        theirs = read_district(path, working_crs=district.crs)
    except GridmapError as exc:
        raise ConflictError(
            f"{path} was saved by someone else after you loaded it, and it cannot be read now "
            f"({exc}). Nothing was saved."
        ) from exc
    changes = {name: _layer_changes(district, theirs, name) for name in district}
    changes = {k: v for k, v in changes.items() if any(v.values())}
    summary = (
        "; ".join(
            f"{layer}: " + ", ".join(f"{kind} {_some(ids)}" for kind, ids in c.items() if ids)
            for layer, c in changes.items()
        )
        or "layers outside GridMap's schema or the edit log"
    )
    raise ConflictError(
        f"{path} was saved by someone else after you loaded it ({summary}). Nothing was saved: "
        "reload the file, check their changes and redo your edit.",
        changes=changes,
    )


def save_edit(
    district: District, edits: Edit | Sequence[Edit], *, _undoes: Sequence[int | None] | None = None
) -> District:
    """Apply `edits` and save the changed layers and the log atomically; return the new state.

    Raises `ConflictError` if the file changed since `district` was loaded,
    `DataError` if an edit does not fit the layer, `SaveError` if writing fails;
    in every case the file is left as it was.
    """
    edits = [edits] if isinstance(edits, Edit) else list(edits)
    if district.masked:
        raise SaveError(
            "this is a view with personal data masked for showing; saving it would write the "
            "masked values into the file. Nothing was saved: save from the district as loaded."
        )
    if district.path is None:
        raise SaveError("the district has no file to save edits to; write it first.")
    path = Path(district.path)
    with file_lock(path):
        log = read_edit_log(path)  # read before the claim: reading would drop SQLite's lock
        with claim_for_replace(path) as claim:  # refused while another program holds the file
            if district.fingerprint in (None, claim.fingerprint()):
                return _save_locked(district, path, edits, log, _undoes)
        check_unchanged(district)  # changed since it was loaded: says what, out of the claim
        raise ConflictError(
            f"{path} changed while it was being saved; nothing was saved. Reload it and save again."
        )


def _save_locked(
    district: District,
    path: Path,
    edits: list[Edit],
    log: pd.DataFrame,
    _undoes: Sequence[int | None] | None,
) -> District:
    layers = dict(district.layers)
    for edit in edits:
        current = layers.get(edit.layer)
        layers[edit.layer] = apply_edit(
            current if current is not None else _empty_layer(edit.layer, district), edit
        )
    next_id = int(log["edit_id"].max()) + 1 if len(log) else 1
    now = pd.Timestamp.now(tz="UTC")
    rows = [
        {
            "edit_id": next_id + i,
            "at": now,
            "user": edit.user,
            "operation": edit.operation,
            "layer": edit.layer,
            "ids": json.dumps(edit.affected_ids(), ensure_ascii=False),
            "reason": edit.reason,
            "crs": district.crs.to_string(),
            "before": _records(edit.removed),
            "after": _records(edit.added),
            "undoes": (_undoes[i] if _undoes else None),
        }
        for i, edit in enumerate(edits)
    ]
    log_out = pd.concat(
        [
            log.assign(at=log["at"].dt.tz_convert("UTC")) if len(log) else None,
            pd.DataFrame(rows, columns=list(_LOG_COLUMNS)),
        ],
        ignore_index=True,
    )
    log_out["undoes"] = pd.to_numeric(log_out["undoes"], errors="coerce").astype("Int64")
    changed = dict.fromkeys(edit.layer for edit in edits)
    out = {
        district.source_names.get(n, n): _for_source(layers[n], district.source_crs.get(n))
        for n in changed
    }
    out[EDIT_LOG] = log_out
    write_layers(path, out, name=district.name or None)
    extra = (
        district.extra_layers
        if EDIT_LOG in district.extra_layers
        else (*district.extra_layers, EDIT_LOG)
    )
    return replace(district, layers=layers, fingerprint=fingerprint(path), extra_layers=extra)


def _undo_edits(district: District, log: pd.DataFrame, rows: pd.DataFrame, user: str) -> list[Edit]:
    edits = []
    for row in rows.itertuples():
        layer = str(row.layer)  # the log's text columns hold str (the stubs: any scalar)
        like = district.get(layer)
        like = like if like is not None else _empty_layer(layer, district)
        edits.append(
            Edit(
                layer=layer,
                operation="undo",
                removed=_frame(str(row.after), like),
                added=_frame(str(row.before), like),
                user=user,
                reason=f"undo edit {row.edit_id} ({row.operation})",
            )
        )
    return edits


def _open_edits(log: pd.DataFrame) -> pd.DataFrame:
    """Edits in effect (not undo entries, not undone), newest first."""
    undone = set(log["undoes"].dropna().astype(int))
    live = log[(log["operation"] != "undo") & ~log["edit_id"].isin(undone)]
    return live.sort_values("edit_id", ascending=False)


def undo(district: District, *, steps: int = 1, user: str = "") -> District:
    """Undo the last `steps` edits still in effect; the undo is itself logged."""
    if district.path is None:
        raise SaveError("the district has no file, so it has no edit history.")
    log = read_edit_log(district.path)
    rows = _open_edits(log).head(steps)
    if len(rows) < steps:
        raise GridmapError(f"only {len(rows)} edits can be undone, not {steps}.")
    edits = _undo_edits(district, log, rows, user)
    _check_still_as_logged(district, edits, rows["edit_id"].astype(int).tolist())
    return save_edit(district, edits, _undoes=rows["edit_id"].astype(int).tolist())


def _check_still_as_logged(district: District, edits: list[Edit], edit_ids: list[int]) -> None:
    """Refuse an undo that would overwrite changes made after the logged edits (in QGIS, say)."""
    layers = dict(district.layers)
    for edit, edit_id in zip(edits, edit_ids, strict=True):
        current = layers.get(edit.layer)
        current = current if current is not None else _empty_layer(edit.layer, district)
        key = edit.id_field
        logged = edit.removed
        ids = set(logged[key].astype(str))
        found = current[current[key].astype(str).isin(ids)]
        differs = sorted(ids - set(found[key].astype(str)))
        differs += _attribute_changes(found, logged, key, ids & set(found[key].astype(str)))
        if isinstance(found, gpd.GeoDataFrame) and isinstance(logged, gpd.GeoDataFrame):
            common = sorted(ids & set(found[key].astype(str)))
            a = found.set_index(found[key].astype(str)).loc[common].geometry.values
            b = logged.set_index(logged[key].astype(str)).loc[common].geometry.values
            same = shapely.equals_exact(a, b, tolerance=1e-3)
            differs += [i for i, ok in zip(common, same, strict=True) if not ok]
        if differs:
            raise ConflictError(
                f"layer {edit.layer!r}: {', '.join(sorted(set(differs)))} changed after edit "
                f"{edit_id} (outside GridMap's log, for example in QGIS); undoing it would "
                "overwrite that change. Nothing was undone: redo the change by hand instead.",
                changes={edit.layer: {"changed": sorted(set(differs))}},
            )
        layers[edit.layer] = apply_edit(current, edit)


def export_version(district: District, edit_id: int, path: str | os.PathLike[str]) -> None:
    """Write the state right after edit `edit_id` (0: before any edit) to a new file."""
    if district.path is None:
        raise SaveError("the district has no file, so it has no edit history.")
    check_unchanged(district)
    log = read_edit_log(district.path)
    if edit_id < 0 or (edit_id > 0 and edit_id not in set(log["edit_id"])):
        raise GridmapError(
            f"{district.path} has no edit {edit_id}; its log holds edits "
            f"1 to {int(log['edit_id'].max()) if len(log) else 0} (0 is the original)."
        )
    # Every later log entry, undo entries included, is inverted newest first.
    later = log[log["edit_id"] > edit_id].sort_values("edit_id", ascending=False)
    layers = dict(district.layers)
    for edit in _undo_edits(district, log, later, user=""):
        current = layers.get(edit.layer)
        current = current if current is not None else _empty_layer(edit.layer, district)
        layers[edit.layer] = apply_edit(current, edit)
    write_layers(path, {n: _for_source(layers[n], district.source_crs.get(n)) for n in layers})


def version_bytes(district: District, edit_id: int) -> bytes:
    """Return the GeoPackage of the state right after edit `edit_id`, as bytes (for a download)."""
    with tempfile.TemporaryDirectory(prefix="gridmap-version-") as folder:
        out = Path(folder) / f"version_{edit_id}.gpkg"
        export_version(district, edit_id, out)
        return out.read_bytes()
