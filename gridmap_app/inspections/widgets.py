"""What the views of the Inspections page share: labels, maps, outlines and the filters."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from gridmap import clock
from gridmap.analysis import inspections as ins
from gridmap.i18n import choice_label, t
from gridmap.render.web import inspections as rm
from gridmap.render.web.tiles import PROVIDERS
from gridmap.schema import INSPECTION_RESULTS, INSPECTOR_ROLES
from gridmap.standards.inspections import ROLE_LABELS
from gridmap_app.context import Context, asset_base
from gridmap_app.inspections import loading as data
from gridmap_app.widgets import multi_choice

Key = tuple[str, int, int, str]


def label(table: dict[str, tuple[str, str]], value: str, lang: str) -> str:
    """The Chinese or English label of `value` in a (zh, en) table; the value itself if absent."""
    pair = table.get(value)
    return (pair[1] if lang == "en" else pair[0]) if pair else value


def gcj02(ctx: Context) -> bool:
    """Whether the chosen basemap is in GCJ-02 (the overlays are shifted to match)."""
    return PROVIDERS[ctx.basemap].datum == "gcj02"


def map_args(ctx: Context) -> dict:
    provider = PROVIDERS[ctx.basemap]
    return {"tiles": provider, "tile_key": ctx.tile_key, "asset_base": asset_base(ctx.lang)}


def show(m, key: str, *, height: int = 560, returned: list[str] | None = None):
    return st_folium(m, key=key, height=height, width="stretch", returned_objects=returned or [])


def outlines(key: Key, shifted: bool):
    """The communities' outlines in EPSG:4326 (GCJ-02 when `shifted`), simplified."""
    return rm.community_outlines(data.district(key)["grid_medium"], gcj02=shifted)


def data_range(key: Key) -> tuple[dt.date, dt.date]:
    """The last 12 months of the inspection record (or of today in Shanghai when it is empty)."""
    layer = ins.event_layer(data.district(key), "inspections")
    times = ins.local_times(layer["inspected_at"]).dropna()
    last = times.max().date() if len(times) else clock.today_in_shanghai()
    return max(last - dt.timedelta(days=364), times.min().date() if len(times) else last), last


def filters(key: Key, lang: str) -> dict:
    """Period, roles, results and grid; returns them as plain cache-key values."""
    first, last = data_range(key)
    cols = st.columns([1.3, 1.4, 1, 1.4])
    period = cols[0].date_input(t("insp.period", lang), value=(first, last), key="insp_period")
    start, end = period if isinstance(period, tuple | list) and len(period) == 2 else (first, last)
    roles = multi_choice(
        t("insp.roles", lang),
        INSPECTOR_ROLES,
        name="insp_roles",
        lang=lang,
        format_func=lambda r: label(ROLE_LABELS, r, lang),
        container=cols[1],
    )
    results = multi_choice(
        t("insp.results", lang),
        INSPECTION_RESULTS,
        name="insp_results",
        lang=lang,
        format_func=lambda r: choice_label(r, lang),
        container=cols[2],
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
