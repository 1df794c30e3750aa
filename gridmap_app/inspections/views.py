"""The inspection views of the Inspections page: heat map, missing inspections, tallies."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gridmap.i18n import choice_label, field_label, layer_label, t
from gridmap.render.web import inspections as rm
from gridmap.schema import INSPECTOR_ROLES
from gridmap.standards.inspections import ROLE_LABELS
from gridmap_app.context import Context
from gridmap_app.inspections import loading as data
from gridmap_app.inspections.widgets import Key, gcj02, label, map_args, outlines, show


def heat_view(key: Key, ctx: Context, f: dict) -> None:
    lang = ctx.lang
    shifted = gcj02(ctx)
    bounds = rm.bounds_of(data.district(key)["grid_large"])
    by_week = st.toggle(t("insp.by_week", lang), key="insp_by_week")
    if by_week:
        weekly = data.weekly(
            *key,
            start=f["start"],
            end=f["end"],
            roles=f["roles"],
            results=f["results"],
            grid=f["grid"],
        )
        if not weekly.weeks:
            return
        week = st.select_slider(t("insp.week", lang), options=weekly.weeks, key="insp_week")
        frame = pd.DataFrame(
            weekly.frames[weekly.weeks.index(week)], columns=["lat", "lon", "weight"]
        )
        st.caption(t("insp.cells", lang, n=len(frame), size=weekly.cell_size))
    else:
        frame, cell, count = data.heat(
            *key,
            start=f["start"],
            end=f["end"],
            roles=f["roles"],
            results=f["results"],
            grid=f["grid"],
        )
        st.caption(
            t("insp.count", lang, n=count) + " · " + t("insp.cells", lang, n=len(frame), size=cell)
        )
    m = rm.heat_map(
        frame,
        bounds=bounds,
        outlines=outlines(key, shifted),
        gcj02=shifted,
        names={"heat": t("insp.heat", lang), "outlines": t("insp.outlines", lang)},
        **map_args(ctx),
    )
    show(m, "insp_heat_map")


def _headers(lang: str) -> dict[str, str]:
    """Column labels of the zone and unit lists (schema labels where the schema has them)."""
    return {
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


def missing_view(key: Key, ctx: Context, f: dict) -> None:
    lang = ctx.lang
    result = data.missing(*key, start=f["start"], end=f["end"], roles=f["roles"])
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
    web = rm.to_web(zones, gcj02=gcj02(ctx))
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
        **map_args(ctx),
    )
    show(m, "insp_missing_map")
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
    table = data.tallies(*key, start=f["start"], end=f["end"], level=level)
    names = data.grid_names(*key)[level]
    table.insert(1, "name", table["grid_id"].map(names))
    table = table.rename(columns={r: label(ROLE_LABELS, r, lang) for r in INSPECTOR_ROLES})
    st.dataframe(table, hide_index=True)
