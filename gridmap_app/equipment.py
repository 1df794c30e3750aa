"""Widgets of the Equipment page: siting form, result map and table, accept, BOM and shortfalls.

Analysis is cached on plain values (path, mtime, size and the options); the
result is kept with ``st.cache_resource`` (read-only, not pickled). Saving the
sites (staff and administrators: `Action.SITE_EQUIPMENT`) goes through
`gridmap_app.auth.guard.save` as the signed-in user and changes the file, so
every cache key changes with it.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from gridmap.analysis.equipment import (
    WALKING_SPEED_KMH,
    SitingOptions,
    SitingResult,
    bill_of_materials,
    inventory_shortfalls,
    pilot_communities,
    shortfall_table,
    site_equipment,
    siting_edit,
)
from gridmap.errors import AccessDenied, ConflictError, GridmapError
from gridmap.i18n import t
from gridmap.identity import Action, User
from gridmap.render.web import equipment as em
from gridmap.render.web import inspections as rm
from gridmap.render.web.tiles import PROVIDERS
from gridmap.tasks import equipment_workbook_bytes
from gridmap_app import loading
from gridmap_app.auth import guard
from gridmap_app.context import Context, asset_base

Key = tuple[str, int, int, str]
RESULT = "eq_result"


def _district(key: Key):
    return loading.district(loading.Source(*key))


@st.cache_resource(show_spinner=False, max_entries=8)
def run_siting(  # noqa: PLR0913 -- the cache key: plain values, as cached loaders take them
    path: str,
    mtime_ns: int,
    size: int,
    view: str,
    *,
    model: str,
    count: int,
    radius: float,
    demand: str,
    candidates: str,
    keep: bool,
    pilot_min: bool,
    minutes: float | None = None,
    speed_kmh: float = WALKING_SPEED_KMH,
) -> SitingResult:
    district = _district((path, mtime_ns, size, view))
    minimum = dict.fromkeys(pilot_communities(district), 1) if pilot_min else 0
    options = SitingOptions(
        model=model,
        count=count if model == "mclp" else None,
        radius=radius,
        minutes=minutes,
        speed_kmh=speed_kmh,
        demand=demand,
        candidates=candidates,
        keep_existing=keep,
        min_per_grid=minimum,
        time_limit=60,
    )
    return site_equipment(district, options)


@st.cache_resource(show_spinner=False, max_entries=4)
def kit(path: str, mtime_ns: int, size: int, view: str):
    district = _district((path, mtime_ns, size, view))
    return bill_of_materials(district), inventory_shortfalls(district)


def _map_args(ctx: Context) -> dict:
    return {
        "tiles": PROVIDERS[ctx.basemap],
        "tile_key": ctx.tile_key,
        "asset_base": asset_base(ctx.lang),
    }


def _web(frame: gpd.GeoDataFrame, gcj02: bool) -> gpd.GeoDataFrame:
    return rm.to_web(frame, tolerance=0, gcj02=gcj02)


def siting_form(key: Key, lang: str) -> dict | None:
    """The options; returned when the user runs them (kept in the session afterwards)."""
    with st.form("eq_form"):
        left, right = st.columns(2)
        model = left.radio(
            t("eq.model", lang),
            ["mclp", "lscp"],
            key="eq_model",
            format_func=lambda m: t(f"eq.model.{m}", lang),
        )
        count = left.number_input(t("eq.count", lang), 0, 500, 5, key="eq_count")
        reach = left.radio(
            t("eq.reach", lang),
            ["metres", "minutes"],
            key="eq_reach",
            horizontal=True,
            format_func=lambda r: t(f"eq.reach.{r}", lang),
        )
        radius = left.number_input(t("eq.radius", lang), 50, 3000, 300, step=50, key="eq_radius")
        minutes = left.number_input(
            t("eq.minutes", lang), 1.0, 60.0, 4.0, step=0.5, key="eq_minutes"
        )
        speed = left.number_input(
            t("eq.speed", lang), 1.0, 10.0, float(WALKING_SPEED_KMH), step=0.5, key="eq_speed"
        )
        demand = right.selectbox(
            t("eq.demand", lang),
            ["households", "units", "both"],
            key="eq_demand",
            format_func=lambda d: t(f"eq.demand.{d}", lang),
        )
        candidates = right.selectbox(
            t("eq.candidates", lang),
            ["auto", "lattice"],
            key="eq_candidates",
            format_func=lambda c: t(f"eq.candidates.{c}", lang),
        )
        keep = right.checkbox(t("eq.keep", lang), True, key="eq_keep")
        pilot_min = right.checkbox(t("eq.pilot_min", lang), False, key="eq_pilot_min")
        submitted = st.form_submit_button(t("eq.run", lang))
    options = {
        "model": model,
        "count": int(count),
        "radius": float(radius),
        "demand": demand,
        "candidates": candidates,
        "keep": keep,
        "pilot_min": pilot_min,
    }
    if reach == "minutes":
        options |= {"minutes": float(minutes), "speed_kmh": float(speed)}
    if submitted:
        st.session_state[RESULT] = options
    return st.session_state.get(RESULT)


def siting_view(key: Key, ctx: Context) -> None:
    lang = ctx.lang
    options = siting_form(key, lang)
    if options is None:
        st.info(t("eq.hint", lang))
        return
    with st.spinner("…"):
        result = run_siting(*key, **options)
    totals = result.totals
    a, b, c = st.columns(3)
    a.metric(
        t("eq.before", lang),
        f"{totals['share_before']:.1%}",
        help=f"{totals['covered_before']:g} / {totals['demand']:g}",
    )
    b.metric(
        t("eq.after", lang),
        f"{totals['share']:.1%}",
        delta=f"{totals['share'] - totals['share_before']:+.1%}",
        help=f"{totals['covered_after']:g} / {totals['demand']:g}",
    )
    c.metric(t("eq.new_points", lang), totals["new_points"])
    gap = "-" if result.gap != result.gap or result.gap == float("inf") else f"{result.gap:.3%}"
    st.caption(
        t(
            "eq.solver",
            lang,
            status=result.status,
            gap=gap,
            time=result.time,
            distance=result.params["distance"],
        )
    )
    params = result.params
    if params.get("minutes") is not None:
        st.caption(
            t(
                "eq.reach_used",
                lang,
                metres=params["radius_m"],
                minutes=params["minutes"],
                speed=params["speed_kmh"],
            )
        )
    district = _district(key)
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    m = em.siting_map(
        bounds=rm.bounds_of(district["grid_large"]),
        sites=_web(result.sites, gcj02),
        existing=_web(result.existing, gcj02),
        areas=rm.to_web(result.service_areas(), tolerance=2, gcj02=gcj02),
        uncovered=_web(result.uncovered(), gcj02),
        outlines=rm.to_web(
            district["grid_medium"][["grid_id", "name", "geometry"]], tolerance=10, gcj02=gcj02
        ),
        labels={
            k: t(f"eq.map.{k}", lang)
            for k in ("new", "existing", "area_new", "area_existing", "uncovered", "outlines")
        },
        **_map_args(ctx),
    )
    st_folium(m, key="eq_siting_map", height=560, width="stretch", returned_objects=[])
    st.markdown(f"#### {t('eq.sites', lang)}")
    st.dataframe(pd.DataFrame(result.sites.drop(columns="geometry")), hide_index=True)
    assert ctx.user is not None
    accept(key, result, ctx.user, lang)


def accept(key: Key, result: SitingResult, user: User, lang: str) -> None:
    """Append the chosen sites to ``equipment_points`` (status planned) through the edit log."""
    if len(result.sites) == 0:
        return
    if not user.can(Action.SITE_EQUIPMENT):
        st.caption(t("auth.read_only", lang, role=guard.role_name(user, lang)))
        return
    with st.form("eq_accept"):
        st.caption(t("auth.signed_as_author", lang, label=user.label))
        submitted = st.form_submit_button(t("eq.accept", lang))
    if not submitted:
        return
    district = loading.full_district(loading.Source(*key))
    params = result.params
    reason = f"equipment page {params['model']} r={params['radius_m']:g}m"
    edit = siting_edit(district, result, user=user.label, reason=reason)
    added = edit.added
    try:
        guard.save(edit, district, user)
    except AccessDenied as exc:
        guard.show_denied(exc, lang)
        return
    except ConflictError:
        st.error(t("eq.conflict", lang))
        return
    except GridmapError as exc:
        st.error(str(exc))
        return
    st.session_state["eq_saved"] = t("eq.saved", lang, ids=", ".join(added["point_id"]))
    st.session_state.pop(RESULT, None)
    st.rerun()


def kit_view(key: Key, ctx: Context) -> None:
    lang = ctx.lang
    bom, shortfalls = kit(*key)
    st.markdown(f"#### {t('eq.bom.total', lang)}")
    st.dataframe(bom.total, hide_index=True)
    st.markdown(f"#### {t('eq.bom.community', lang)}")
    st.dataframe(bom.per_community, hide_index=True)
    st.markdown(f"#### {t('eq.short.title', lang)}")
    short = int((~shortfalls["complete"]).sum())
    st.caption(t("eq.short.count", lang, n=len(shortfalls), short=short))
    district = _district(key)
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    m = em.inventory_map(
        bounds=rm.bounds_of(district["grid_large"]),
        points=_web(shortfalls, gcj02),
        outlines=rm.to_web(
            district["grid_medium"][["grid_id", "name", "geometry"]], tolerance=10, gcj02=gcj02
        ),
        labels={k: t(f"eq.map.{k}", lang) for k in ("complete", "short", "outlines")},
        **_map_args(ctx),
    )
    st_folium(m, key="eq_inventory_map", height=480, width="stretch", returned_objects=[])
    st.dataframe(shortfall_table(shortfalls[~shortfalls["complete"]]), hide_index=True)
    assert ctx.user is not None
    guard.download(
        ctx.user,
        t("eq.download", lang),
        equipment_workbook_bytes(bom, shortfalls),
        file_name="equipment_ledger.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        public=False,
        key="eq_download",
    )
