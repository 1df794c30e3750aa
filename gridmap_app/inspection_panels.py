"""Widgets of the Inspections page: filters, heat, missing, tallies, compliance, hazards, form."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from gridmap.analysis import hazards as hz
from gridmap.analysis import inspections as ins
from gridmap.analysis.recording import hazard_edit, inspection_edit
from gridmap.coords import gcj02_to_wgs84
from gridmap.errors import ConflictError, GridmapError
from gridmap.i18n import choice_label, field_label, layer_label, t
from gridmap.io import save_edit
from gridmap.io.ledger_inspections import (
    Sheet,
    compliance_summary_zh,
    compliance_table_zh,
    hazard_ledger_sheets,
    workbook_bytes,
)
from gridmap.render import inspection_maps as rm
from gridmap.render.tiles import PROVIDERS
from gridmap.schema import HAZARD_SEVERITIES, INSPECTION_RESULTS, INSPECTOR_ROLES, TIMEZONE
from gridmap.standards.inspections import (
    DEFAULT_FREQUENCIES,
    ROLE_LABELS,
    STATUS_LABELS,
)
from gridmap_app import inspection_loading as data
from gridmap_app.context import Context
from gridmap_app.coverage_panels import _asset_base

VIEWS = ("heat", "missing", "tallies", "compliance", "hazards", "record")
RECORD_MAP = "inspection_record_map"
Key = tuple[str, int, int]


def _label(table: dict[str, tuple[str, str]], value: str, lang: str) -> str:
    pair = table.get(value)
    return (pair[1] if lang == "en" else pair[0]) if pair else value


def _map_args(ctx: Context) -> dict:
    provider = PROVIDERS[ctx.basemap]
    return {"tiles": provider, "tile_key": ctx.tile_key, "asset_base": _asset_base(ctx.lang)}


def _show(m, key: str, *, height: int = 560, returned: list[str] | None = None):
    return st_folium(m, key=key, height=height, width="stretch", returned_objects=returned or [])


def data_range(key: Key) -> tuple[dt.date, dt.date]:
    """The last 12 months of the inspection record (or of today when it is empty)."""
    layer = ins.event_layer(data.district(key), "inspections")
    times = ins.local_times(layer["inspected_at"]).dropna()
    last = times.max().date() if len(times) else pd.Timestamp.now(tz=TIMEZONE).date()
    return max(last - dt.timedelta(days=364), times.min().date() if len(times) else last), last


def filters(key: Key, lang: str) -> dict:
    """Period, roles, results and grid; returns them as plain cache-key values."""
    first, last = data_range(key)
    cols = st.columns([1.3, 1.4, 1, 1.4])
    period = cols[0].date_input(t("insp.period", lang), value=(first, last), key="insp_period")
    start, end = period if isinstance(period, tuple | list) and len(period) == 2 else (first, last)
    roles = cols[1].multiselect(
        t("insp.roles", lang),
        list(INSPECTOR_ROLES),
        default=list(INSPECTOR_ROLES),
        key="insp_roles",
        format_func=lambda r: _label(ROLE_LABELS, r, lang),
    )
    results = cols[2].multiselect(
        t("insp.results", lang),
        list(INSPECTION_RESULTS),
        default=list(INSPECTION_RESULTS),
        key="insp_results",
    )
    names = data.grid_names(*key)
    options = {"": t("sel.district", lang)}
    for level in ("grid_large", "grid_medium"):
        options.update({f"{level}|{gid}": f"{name}（{gid}）" for gid, name in names[level].items()})
    picked = cols[3].selectbox(
        t("insp.grid", lang), list(options), key="insp_grid", format_func=options.get
    )
    grid = tuple(picked.split("|", 1)) if picked else None
    return {
        "start": str(start),
        "end": str(end),
        "roles": tuple(roles),
        "results": tuple(results),
        "grid": grid,
    }


def _outlines(key: Key, gcj02: bool):
    found = data.district(key)
    return rm.to_web(
        found["grid_medium"][["grid_id", "name", "geometry"]], tolerance=10, gcj02=gcj02
    )


def heat_view(key: Key, ctx: Context, f: dict) -> None:
    lang = ctx.lang
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    bounds = rm.bounds_of(data.district(key)["grid_large"])
    by_week = st.toggle(t("insp.by_week", lang), key="insp_by_week")
    if by_week:
        weekly = data.weekly(*key, f["start"], f["end"], f["roles"], f["results"], f["grid"])
        if not weekly.weeks:
            return
        week = st.select_slider(t("insp.week", lang), options=weekly.weeks, key="insp_week")
        frame = pd.DataFrame(
            weekly.frames[weekly.weeks.index(week)], columns=["lat", "lon", "weight"]
        )
        st.caption(t("insp.cells", lang, n=len(frame), size=weekly.cell_size))
    else:
        frame, cell, count = data.heat(
            *key, f["start"], f["end"], f["roles"], f["results"], f["grid"]
        )
        st.caption(
            t("insp.count", lang, n=count) + " · " + t("insp.cells", lang, n=len(frame), size=cell)
        )
    m = rm.heat_map(
        frame,
        bounds=bounds,
        outlines=_outlines(key, gcj02),
        gcj02=gcj02,
        names={"heat": t("insp.heat", lang), "outlines": t("insp.outlines", lang)},
        **_map_args(ctx),
    )
    _show(m, "insp_heat_map")


def _headers(lang: str) -> dict[str, str]:
    """Column labels of the zone and unit lists (schema labels where the schema has them)."""
    out = {
        "grid_id": field_label("grid_small", "grid_id", lang),
        "name": field_label("grid_small", "name", lang),
        "unit_id": field_label("units", "unit_id", lang),
        "category": field_label("units", "category", lang),
        "medium_id": layer_label("grid_medium", lang),
        "large_id": layer_label("grid_large", lang),
        "small_id": layer_label("grid_small", lang),
        "units": t("panel.units", lang),
        "households": t("panel.households", lang),
        "last_inspected": t("insp.last_inspected", lang),
    }
    return out


def missing_view(key: Key, ctx: Context, f: dict) -> None:
    lang = ctx.lang
    result = data.missing(*key, f["start"], f["end"], f["roles"])
    zones = result.zones
    choice = st.radio(
        t("insp.missing.colour", lang),
        ("inspected", "per_unit", "per_household"),
        horizontal=True,
        key="insp_missing_colour",
        format_func=lambda c: t(f"insp.missing.{c}", lang),
    )
    if choice == "inspected":
        colour = zones["inspected"].map({True: "#2ca02c", False: "#d62728"})
        legend = {t("insp.yes", lang): "#2ca02c", t("insp.no", lang): "#d62728"}
    else:
        colour, legend = rm.classify(zones[choice])
    web = rm.to_web(zones, gcj02=PROVIDERS[ctx.basemap].datum == "gcj02")
    web["per_unit"], web["per_household"] = (web[c].round(2) for c in ("per_unit", "per_household"))
    fields = {
        "grid_id": t("col.id", lang),
        "name": t("col.name", lang),
        "inspections": t("insp.count", lang, n="").strip(),
        "units": "units",
        "per_unit": t("insp.missing.per_unit", lang),
        "per_household": t("insp.missing.per_household", lang),
    }
    m = rm.choropleth_map(
        web,
        colour=colour,
        fields=fields,
        bounds=rm.bounds_of(zones),
        legend=legend,
        **_map_args(ctx),
    )
    _show(m, "insp_missing_map")
    left, right = st.columns(2)
    missed = result.zones_missed.drop(columns="geometry")
    left.markdown(f"**{t('insp.missing.zones', lang, n=len(missed))}**")
    left.dataframe(
        missed[["grid_id", "name", "medium_id", "units", "households"]].rename(
            columns=_headers(lang)
        ),
        hide_index=True,
    )
    units = result.units.drop(columns="geometry")
    right.markdown(f"**{t('insp.missing.units', lang, n=len(units))}**")
    units["category"] = units["category"].map(lambda c: choice_label(c, lang) if c else c)
    right.dataframe(units.rename(columns=_headers(lang)), hide_index=True)


def tallies_view(key: Key, ctx: Context, f: dict) -> None:
    lang = ctx.lang
    level = st.radio(
        t("insp.level", lang),
        ("grid_small", "grid_medium", "grid_large"),
        horizontal=True,
        key="insp_tally_level",
        format_func=lambda v: layer_label(v, lang),
    )
    table = data.tallies(*key, f["start"], f["end"], level)
    names = data.grid_names(*key)[level]
    table.insert(1, "name", table["grid_id"].map(names))
    table = table.rename(columns={r: _label(ROLE_LABELS, r, lang) for r in INSPECTOR_ROLES})
    st.dataframe(table, hide_index=True)


def compliance_view(key: Key, ctx: Context, f: dict) -> None:
    lang = ctx.lang
    result = data.compliance(*key, f["start"], f["end"])
    level = st.radio(
        t("insp.level", lang),
        ("grid_small", "grid_medium", "grid_large"),
        horizontal=True,
        key="insp_compliance_level",
        format_func=lambda v: layer_label(v, lang),
    )
    worst = ins.worst_status(result, level).set_index("grid_id")
    grids = data.district(key)[level]
    zones = rm.to_web(
        grids[["grid_id", "name", "geometry"]], gcj02=PROVIDERS[ctx.basemap].datum == "gcj02"
    )
    zones["status"] = (
        zones["grid_id"]
        .map(worst["status"])
        .map(lambda s: _label(STATUS_LABELS, s, lang) if isinstance(s, str) else "")
    )
    zones["rate"] = zones["grid_id"].map(worst["rate"]).round(3)
    colour = zones["grid_id"].map(worst["status"]).map(rm.STATUS_COLOURS)
    legend = {_label(STATUS_LABELS, s, lang): c for s, c in rm.STATUS_COLOURS.items()}
    fields = {
        "grid_id": t("col.id", lang),
        "name": t("col.name", lang),
        "status": t("insp.compliance.worst", lang),
        "rate": "done / required",
    }
    m = rm.choropleth_map(
        zones,
        colour=colour,
        fields=fields,
        bounds=rm.bounds_of(grids),
        legend=legend,
        **_map_args(ctx),
    )
    _show(m, "insp_compliance_map")
    summary = ins.compliance_summary(result)
    periods = {(r.role, r.level): r.period for r in DEFAULT_FREQUENCIES}
    st.markdown(f"**{t('insp.compliance.summary', lang)}**")
    st.dataframe(
        compliance_summary_zh(summary, periods=periods) if lang == "zh" else summary,
        hide_index=True,
    )
    names = pd.Series(
        {k: v for level_names in data.grid_names(*key).values() for k, v in level_names.items()}
    )
    table = compliance_table_zh(result, names=names, periods=periods)
    st.dataframe(table if lang == "zh" else result, hide_index=True)
    book = workbook_bytes(
        [
            Sheet("汇总", "巡查频次落实情况 汇总", compliance_summary_zh(summary, periods=periods)),
            Sheet("明细", f"巡查频次落实情况（{f['start']} 至 {f['end']}）", table),
        ]
    )
    st.download_button(
        t("insp.compliance.download", lang),
        book,
        key="insp_compliance_xlsx",
        file_name=f"巡查频次_{f['start']}_{f['end']}.xlsx",
    )


def hazards_view(key: Key, ctx: Context) -> None:
    lang = ctx.lang
    today = pd.Timestamp.now(tz=TIMEZONE).date()
    as_of = st.date_input(t("insp.as_of", lang), value=today, key="insp_as_of")
    states = data.hazard_states(*key, str(as_of))
    if states.empty:
        st.info(t("insp.hazards.none", lang))
        return
    cols = st.columns(2)
    severities = cols[0].multiselect(
        t("insp.hazards.severity", lang),
        list(HAZARD_SEVERITIES),
        default=list(HAZARD_SEVERITIES),
        key="insp_hz_severity",
        format_func=lambda s: _label(hz.SEVERITY_LABELS, s, lang),
    )
    chosen = cols[1].multiselect(
        t("insp.hazards.state", lang),
        list(hz.HAZARD_STATES),
        default=list(hz.HAZARD_STATES),
        key="insp_hz_state",
        format_func=lambda s: _label(hz.STATE_LABELS, s, lang),
    )
    shown = states[states["severity"].isin(severities) & states["state"].isin(chosen)]
    due = hz.escalations_due(states)
    st.warning(t("insp.hazards.escalations", lang, n=len(due), new=int(due["new_today"].sum())))
    found = data.district(key)
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    web = rm.to_web(shown[["hazard_id", "geometry"]], tolerance=0, gcj02=gcj02)
    web["state"], web["severity"] = shown["state"].to_numpy(), shown["severity"].to_numpy()
    popups = (
        shown["hazard_id"]
        + " "
        + shown["description"].fillna("").astype(str)
        + " · "
        + shown["state"].map(lambda s: _label(hz.STATE_LABELS, s, lang))
    )
    labels = {s: _label(hz.STATE_LABELS, s, lang) for s in hz.HAZARD_STATES}
    m = rm.hazard_map(
        web,
        bounds=rm.bounds_of(found["grid_large"]),
        labels=labels,
        popups=popups.reset_index(drop=True),
        outlines=_outlines(key, gcj02),
        names={"outlines": t("insp.outlines", lang)},
        **_map_args(ctx),
    )
    _show(m, "insp_hazard_map")
    ledger = hz.hazard_ledger(shown, found, lang=lang)
    st.markdown(f"**{t('insp.hazards.ledger', lang)}**")
    st.dataframe(ledger, hide_index=True)
    zh = hz.hazard_ledger(shown, found, lang="zh")
    st.download_button(
        t("insp.hazards.download", lang),
        workbook_bytes(hazard_ledger_sheets(zh, as_of=as_of)),
        key="insp_hazard_xlsx",
        file_name=f"隐患台帐_{as_of}.xlsx",
    )


def _click(ctx: Context) -> tuple[float, float] | None:
    value = st.session_state.get(RECORD_MAP) or {}
    click = value.get("last_clicked") if isinstance(value, dict) else None
    if not click:
        return None
    lon, lat = float(click["lng"]), float(click["lat"])
    if PROVIDERS[ctx.basemap].datum == "gcj02":
        lon, lat = (float(np.asarray(v).ravel()[0]) for v in gcj02_to_wgs84([lon], [lat]))
    return lon, lat


def record_view(key: Key, ctx: Context) -> None:
    lang = ctx.lang
    st.caption(t("insp.record.hint", lang))
    found = data.district(key)
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    m = rm.heat_map(
        pd.DataFrame({"lat": [], "lon": [], "weight": []}),
        bounds=rm.bounds_of(found["grid_large"]),
        outlines=_outlines(key, gcj02),
        names={"outlines": t("insp.outlines", lang)},
        **_map_args(ctx),
    )
    _show(m, RECORD_MAP, height=420, returned=["last_clicked"])
    lonlat = _click(ctx)
    st.write(
        t("insp.record.where", lang, lat=lonlat[1], lon=lonlat[0])
        if lonlat
        else t("insp.record.nowhere", lang)
    )
    kind = st.radio(
        t("insp.record.kind", lang),
        ("inspection", "hazard"),
        horizontal=True,
        key="rec_kind",
        format_func=lambda k: t(f"insp.record.{k}", lang),
    )
    now = pd.Timestamp.now(tz=TIMEZONE)
    with st.form("record_form"):
        cols = st.columns(2)
        day = cols[0].date_input(t("insp.record.date", lang), value=now.date(), key="rec_date")
        time = cols[1].time_input(t("insp.record.time", lang), value=dt.time(9, 0), key="rec_time")
        if kind == "inspection":
            role = st.selectbox(
                t("insp.record.role", lang),
                list(INSPECTOR_ROLES),
                key="rec_role",
                format_func=lambda r: _label(ROLE_LABELS, r, lang),
            )
            target = st.text_input(t("insp.record.target", lang), key="rec_target")
            result = st.selectbox(
                t("insp.record.result", lang), list(INSPECTION_RESULTS), key="rec_result"
            )
            inspector = st.text_input(t("insp.record.inspector", lang), key="rec_inspector")
        else:
            unit = st.text_input(t("insp.record.unit", lang), key="rec_unit")
            severity = st.selectbox(
                t("insp.record.severity", lang),
                list(HAZARD_SEVERITIES),
                key="rec_severity",
                format_func=lambda s: _label(hz.SEVERITY_LABELS, s, lang),
            )
            deadline = st.date_input(
                t("insp.record.deadline", lang),
                value=now.date() + dt.timedelta(days=14),
                key="rec_deadline",
            )
        note = st.text_input(t("insp.record.note", lang), key="rec_note")
        user = st.text_input(t("insp.record.user", lang), key="rec_user")
        submitted = st.form_submit_button(t("insp.record.submit", lang))
    if not submitted:
        return
    at = pd.Timestamp.combine(day, time)
    try:
        if kind == "inspection":
            edit = inspection_edit(
                found,
                at=at,
                role=role,
                lonlat=lonlat,
                now=now,
                target_id=target or None,
                result=result,
                inspector=inspector or None,
                note=note or None,
                user=user,
            )
        else:
            edit = hazard_edit(
                found,
                found_at=at,
                severity=severity,
                deadline=deadline,
                lonlat=lonlat,
                now=now,
                unit_id=unit or None,
                description=note or None,
                user=user,
            )
        save_edit(found, edit)
    except ConflictError as exc:
        st.error(t("insp.record.conflict", lang) + f" {exc}")
        return
    except GridmapError as exc:
        st.error(t("insp.record.refused", lang) + "  \n" + str(exc).replace("\n", "  \n"))
        return
    new_id = edit.added[edit.id_field].iloc[0]
    st.session_state["insp_saved"] = t("insp.record.saved", lang, id=new_id)
    st.rerun()
