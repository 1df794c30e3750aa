"""Widgets of the Edit grids page: the operation form, the drawing map, building the edit.

Geometry work is `gridmap.analysis.editing.operations`; this module gathers the
planner's choices. What the real browser showed about streamlit-folium's
Draw control decides the design: it returns the last drawn feature
(``last_active_drawing``) but no stable ids for shapes edited afterwards, and
the map component is rebuilt (its drawings gone) whenever the map changes.
So every operation is one new drawing plus grids chosen in the form; the
drawing is kept in the session (``edit_drawing``), shown on the map as a
dashed layer, and replaced only by a newer drawing or the Clear button.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from gridmap.analysis import editing
from gridmap.analysis.access import CONTACT_FIELDS, rows_in_scope, scope_of
from gridmap.analysis.coverage import CHECKS
from gridmap.district import District
from gridmap.errors import EditError
from gridmap.geo import from_web
from gridmap.i18n import field_label, layer_label, t
from gridmap.identity import Action, User
from gridmap.layers import Edit
from gridmap.render.web.coverage import build_map
from gridmap.render.web.editing import add_drawing_tools
from gridmap.render.web.tiles import PROVIDERS
from gridmap.schema import GRID_LEVELS, PARENT_LEVEL
from gridmap_app import loading
from gridmap_app.auth.trail import viewed_personal
from gridmap_app.context import Context, asset_base
from gridmap_app.widgets import choice

MAP_KEY = "edit_map"
DRAWING = "edit_drawing"
OPERATIONS = ("split", "merge", "reshape", "transfer", "draw", "attributes", "delete")
#: The drawing tools each operation offers, and the geometry kinds it accepts.
DRAW_TOOLS = {
    "split": ("polyline", "polygon", "rectangle"),
    "reshape": ("polyline",),
    "transfer": ("polygon", "rectangle"),
    "draw": ("polygon", "rectangle"),
}
SHAPES = {
    "split": ("LineString", "Polygon"),
    "reshape": ("LineString",),
    "transfer": ("Polygon",),
    "draw": ("Polygon",),
}
SHAPE_NAMES = {"split": "line_or_area", "reshape": "line", "transfer": "area", "draw": "area"}
EDITABLE = ("name", "leader", "phone", "members", "parent_id", "kind")


def _labels(frame: pd.DataFrame) -> dict[str, str]:
    names = frame["name"].fillna("") if "name" in frame else pd.Series("", index=frame.index)
    return {g: f"{g} {n}".strip() for g, n in zip(frame["grid_id"], names, strict=True)}


def neighbours(district: District, level: str, grid_id: str, *, same_parent: bool) -> list[str]:
    """Grids of `level` sharing a stretch of boundary with `grid_id`."""
    layer = district[level]
    row = layer[layer["grid_id"] == grid_id]
    if row.empty:
        return []
    shape = shapely.make_valid(row.geometry.iloc[0])
    near = layer.iloc[layer.sindex.query(shape, predicate="intersects")]
    near = near[near["grid_id"] != grid_id]
    if same_parent and "parent_id" in near:
        near = near[near["parent_id"] == row["parent_id"].iloc[0]]
    shared = shapely.intersection(shapely.make_valid(near.geometry.values), shape)
    return sorted(near["grid_id"][shapely.length(shared) > 0].astype(str))


def _pick(label: str, options: dict[str, str], key: str) -> str | None:
    if not options:
        return None
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)
    return st.selectbox(label, list(options), format_func=options.get, key=key)


def _split_list(text: str) -> list[str] | None:
    items = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    return items or None


def allowed_operations(user: User, lang: str) -> tuple[str, ...]:
    """The operations `user` may preview: all (planner, administrator), contacts only
    (grid leader, staff: the attribute table of their grids) or none (a read-only page)."""
    role = user.role.en if lang == "en" else user.role.zh
    if user.can(Action.EDIT_BOUNDARIES):
        return OPERATIONS
    if user.can(Action.EDIT_CONTACTS):
        st.info(t("auth.contacts_only", lang, role=role))
        return ("attributes",)
    st.info(t("auth.read_only", lang, role=role))
    return ()


def operation_form(
    district: District, lang: str, operations: tuple[str, ...] = OPERATIONS
) -> dict[str, Any]:
    """The planner's choices: level, operation, grids and options (`operations` offered)."""
    level = choice(
        st.selectbox,
        t("edit.level", lang),
        GRID_LEVELS[::-1],
        name="edit_level",
        lang=lang,
        format_func=lambda v: layer_label(v, lang),
    )
    if not operations:
        return {"level": level, "op": None}
    op = choice(
        st.radio,
        t("edit.operation", lang),
        operations,
        name="edit_op",
        lang=lang,
        format_func=lambda v: t(f"edit.op.{v}", lang),
    )
    layer = district[level]
    grids = _labels(layer)
    form: dict[str, Any] = {"level": level, "op": op}
    if op in ("split", "delete", "reshape", "transfer"):
        first = {"reshape": "edit.grid", "transfer": "edit.from"}.get(op, "edit.grid")
        form["grid"] = _pick(t(first, lang), grids, "edit_grid")
    if op == "split":
        form["names"] = _split_list(st.text_input(t("edit.split.names", lang), key="edit_names"))
        form["ids"] = _split_list(st.text_input(t("edit.split.ids", lang), key="edit_ids"))
    if op in ("reshape", "transfer", "delete") and form.get("grid"):
        form.update(_neighbour_fields(district, form, grids, lang))
    if op == "merge":
        form.update(_merge_fields(grids, lang))
    if op == "draw":
        form.update(_new_grid_fields(district, level, lang))
    if op in DRAW_TOOLS:
        form["snap"] = st.number_input(t("edit.snap", lang), 0.0, 50.0, 1.0, 0.5, key="edit_snap")
    return form


def _neighbour_fields(
    district: District, form: dict[str, Any], grids: dict[str, str], lang: str
) -> dict[str, Any]:
    op = form["op"]
    near = neighbours(district, form["level"], form["grid"], same_parent=op == "delete")
    options = {g: grids[g] for g in near}
    if op == "delete":
        options = {"": t("edit.into.none", lang), **options}
        into = _pick(t("edit.into", lang), options, "edit_into") or None
        if into is not None:
            return {"into": into}
        return {
            "into": None,
            "reason": st.text_input(t("edit.delete.reason", lang), key="edit_del_why"),
        }
    if not options:
        st.caption(t("edit.no_neighbour", lang))
        return {}
    key = "edit.neighbour" if op == "reshape" else "edit.to"
    return {"other": _pick(t(key, lang), options, "edit_other")}


def _merge_fields(grids: dict[str, str], lang: str) -> dict[str, Any]:
    chosen = st.multiselect(
        t("edit.grids", lang), list(grids), key="edit_grids", format_func=grids.get
    )
    if not chosen:
        return {"grids": chosen}
    options = {g: grids[g] for g in chosen}
    return {
        "grids": chosen,
        "keep": _pick(t("edit.keep", lang), options, "edit_keep"),
        "leader_from": _pick(t("edit.leader_from", lang), options, "edit_leader_from"),
    }


def _new_grid_fields(district: District, level: str, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    parent_level = PARENT_LEVEL.get(level)
    if parent_level:
        out["parent"] = _pick(
            t("edit.parent", lang), _labels(district[parent_level]), "edit_parent"
        )
    for field in ("name", "leader", "phone"):
        out[field] = st.text_input(t(f"edit.new_{field}", lang), key=f"edit_new_{field}")
    return out


def _focus(form: dict[str, Any]) -> tuple[str, str] | None:
    if form.get("parent"):
        return PARENT_LEVEL[form["level"]], form["parent"]
    grid = form.get("grid") or form.get("keep")
    return (form["level"], grid) if grid else None


def current_drawing() -> dict | None:
    """The planner's drawing (GeoJSON geometry in lon/lat): the newest one the map returned."""
    value = st.session_state.get(MAP_KEY)
    drawn = value.get("last_active_drawing") if isinstance(value, dict) else None
    geometry = drawn.get("geometry") if isinstance(drawn, dict) else None
    if geometry and drawn != st.session_state.get("_edit_seen"):
        st.session_state["_edit_seen"] = drawn
        st.session_state[DRAWING] = geometry
    return st.session_state.get(DRAWING)


def clear_drawing() -> None:
    st.session_state[DRAWING] = None
    st.session_state["_edit_seen"] = (st.session_state.get(MAP_KEY) or {}).get(
        "last_active_drawing"
    )


def drawing_map(source: loading.Source, ctx: Context, form: dict[str, Any]) -> dict | None:
    """The coverage map with the tools the operation needs; returns the current drawing."""
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    data = loading.map_data(*source.key, focus=_focus(form), indicator=None, gcj02=gcj02)
    base = asset_base(ctx.lang)
    m = build_map(
        data,
        lang=ctx.lang,
        tiles=PROVIDERS[ctx.basemap],
        tile_key=ctx.tile_key,
        asset_base=base,
        checks=CHECKS,
    )
    drawing = current_drawing()
    shown = (
        gpd.GeoDataFrame(geometry=[shapely.geometry.shape(drawing)], crs=4326) if drawing else None
    )
    add_drawing_tools(
        m,
        DRAW_TOOLS.get(form["op"] or "", ()),
        drawing=shown,
        drawing_name=t("edit.map.drawing", ctx.lang),
        asset_base=base,
    )
    st_folium(
        m,
        key=MAP_KEY,
        height=560,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
    if form["op"] in DRAW_TOOLS:
        left, right = st.columns([3, 1])
        kind = (drawing or {}).get("type")
        left.caption(
            t("edit.drawn", ctx.lang, kind=kind) if kind else t("edit.draw_hint", ctx.lang)
        )
        right.button(
            t("edit.clear", ctx.lang),
            key="edit_clear",
            on_click=clear_drawing,
            disabled=drawing is None,
        )
    return drawing


def attribute_table(
    district: District, form: dict[str, Any], lang: str, user: User
) -> list[tuple[str, dict[str, Any]]]:
    """An editable table of the level's attributes; returns the changed rows.

    A user who may change contacts only (grid leader, staff) gets the leaders,
    phones and members of the grids in their scope; showing them is audited.
    """
    layer = district[form["level"]]
    editable = EDITABLE if user.can(Action.EDIT_BOUNDARIES) else tuple(CONTACT_FIELDS)
    layer = layer[rows_in_scope(district, form["level"], layer, scope_of(user, district))]
    columns = ["grid_id", *[c for c in EDITABLE if c in layer.columns and c in editable]]
    table = pd.DataFrame(layer[columns]).astype(object).reset_index(drop=True)
    viewed_personal(user, table["grid_id"].astype(str), detail="edit page: attribute table")
    st.caption(t("edit.attributes.hint", lang))
    edited = st.data_editor(
        table,
        key=f"edit_table_{form['level']}",
        disabled=["grid_id"],
        hide_index=True,
        width="stretch",
        column_config={c: field_label(form["level"], c, lang) for c in columns},
    )
    changes = []
    for (_, old), (_, new) in zip(table.iterrows(), edited.iterrows(), strict=True):
        diff = {c: new[c] for c in columns[1:] if not _same(old[c], new[c])}
        if diff:
            changes.append((old["grid_id"], diff))
    return changes


def _same(a: object, b: object) -> bool:
    blank_a, blank_b = pd.isna(a) or a == "", pd.isna(b) or b == ""
    return (blank_a and blank_b) if (blank_a or blank_b) else str(a) == str(b)


def signature(form: dict[str, Any], drawing: dict | None, changes: list) -> str:
    """What the preview was built from; a different signature makes the preview stale."""
    return json.dumps([form, drawing, changes], sort_keys=True, default=str, ensure_ascii=False)


def _shape(form: dict[str, Any], drawing: dict | None, district: District, gcj02: bool, lang: str):
    op = form["op"]
    if drawing is None:
        raise EditError(t("edit.no_drawing", lang))
    shape = from_web(drawing, district.crs, gcj02=gcj02)
    if shape.geom_type not in SHAPES[op]:
        need = t(f"edit.shape.{SHAPE_NAMES[op]}", lang)
        raise EditError(t("edit.wrong_shape", lang, need=need, kind=shape.geom_type))
    return shape


def build_edits(
    district: District,
    form: dict[str, Any],
    drawing: dict | None,
    changes: list[tuple[str, dict[str, Any]]],
    *,
    lang: str,
    gcj02: bool = False,
) -> list[Edit]:
    """Turn the form and the drawing into edits (raises `EditError` saying why not)."""
    level, op = form["level"], form["op"]
    if op == "attributes":
        return [editing.reassign_grid(district, level, g, c) for g, c in changes]
    if op == "merge":
        layer = district[level].set_index("grid_id")
        source = form.get("leader_from")
        overrides = {
            f: layer.at[source, f]
            for f in ("leader", "phone")
            if source and source != form.get("keep") and f in layer.columns
        }
        return [
            editing.merge_grids(
                district,
                level,
                form.get("grids") or [],
                keep=form.get("keep"),
                attributes=overrides,
            )
        ]
    if op == "delete":
        return [
            editing.delete_grid(
                district, level, form["grid"], into=form.get("into"), reason=form.get("reason")
            )
        ]
    if op in ("reshape", "transfer") and not form.get("other"):
        raise EditError(t("edit.no_neighbour", lang))
    shape = _shape(form, drawing, district, gcj02, lang)
    snap = float(form.get("snap") or 0.0)
    if op == "split":
        return [
            editing.split_grid(
                district,
                level,
                form["grid"],
                shape,
                snap_tolerance=snap,
                names=form.get("names"),
                new_ids=form.get("ids"),
            )
        ]
    if op == "reshape":
        return [
            editing.reshape_boundary(
                district, level, form["grid"], form["other"], shape, snap_tolerance=snap
            )
        ]
    if op == "transfer":
        return [editing.transfer_area(district, level, form["grid"], form["other"], shape)]
    attributes = {k: form.get(k) or None for k in ("name", "leader", "phone")}
    return [
        editing.draw_grid(
            district,
            level,
            shape,
            parent_id=form.get("parent"),
            attributes=attributes,
            snap_tolerance=snap,
        )
    ]
