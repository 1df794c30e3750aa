"""Widgets of the coverage-map page: drill-down selectors, KPI header, side panel, map."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from gridmap.analysis.coverage import CHECKS, scope
from gridmap.district import District
from gridmap.geo import gcj02_to_wgs84
from gridmap.i18n import check_label, choice_label, layer_label, t
from gridmap.render.web.coverage import build_map
from gridmap.render.web.tiles import PROVIDERS
from gridmap_app import loading
from gridmap_app.auth.trail import viewed_personal
from gridmap_app.auth.views import scope_of_view
from gridmap_app.context import Context, asset_base
from gridmap_app.widgets import choice

ALL = ""
MAP_KEY = "coverage_map"
SELECT_KEYS = {"grid_large": "sel_large", "grid_medium": "sel_medium", "grid_small": "sel_small"}
INDICATOR_CHOICES = ("none", *scope.INDICATORS)


def current_selection() -> scope.Selection:
    values = [st.session_state.get(SELECT_KEYS[level]) or None for level in SELECT_KEYS]
    return scope.Selection(*values)


def _set_selection(selection: scope.Selection) -> None:
    for level, value in zip(SELECT_KEYS, selection.as_tuple(), strict=True):
        st.session_state[SELECT_KEYS[level]] = value or ALL


def apply_map_click(district: District, gcj02: bool) -> None:
    """Turn the map's last click (kept under MAP_KEY by streamlit-folium) into a selection."""
    value = st.session_state.get(MAP_KEY) or {}
    click = value.get("last_object_clicked") if isinstance(value, dict) else None
    if not click or click == st.session_state.get("_handled_click"):
        return
    st.session_state["_handled_click"] = click
    lon, lat = float(click["lng"]), float(click["lat"])
    if gcj02:
        lon, lat = (float(v[0]) for v in gcj02_to_wgs84([lon], [lat]))
    _set_selection(scope.select_at(district, lon, lat, current_selection()))


def _reset_below(*keys: str) -> None:
    for key in keys:
        st.session_state[key] = ALL


def _options(district: District, level: str, parent: str | None) -> dict[str, str]:
    frame = district[level]
    if level != "grid_large":
        if parent is None:
            return {}
        frame = frame[frame["parent_id"] == parent]
    names = frame["name"].where(frame["name"].notna(), frame["grid_id"])
    return dict(zip(frame["grid_id"].astype(str), names.astype(str), strict=True))


def selectors(district: District, lang: str) -> tuple[scope.Selection, str | None]:
    """The drill-down selectors and the choropleth choice."""
    columns = st.columns([1, 1, 1, 1])
    parent = None
    below = list(SELECT_KEYS.values())
    for column, (level, key) in zip(columns, SELECT_KEYS.items(), strict=False):
        options = _options(district, level, parent)
        if st.session_state.get(key, ALL) not in (ALL, *options):
            st.session_state[key] = ALL
        below.remove(key)
        label_key = {
            "grid_large": "sel.large",
            "grid_medium": "sel.medium",
            "grid_small": "sel.small",
        }[level]
        choice(
            column.selectbox,
            t(label_key, lang),
            [ALL, *options],
            name=key,
            lang=lang,
            disabled=level != "grid_large" and not parent,
            on_change=lambda keys=tuple(below): _reset_below(*keys),
            format_func=lambda v, o=options: t("sel.all", lang) if v == ALL else f"{o[v]} ({v})",
        )
        parent = st.session_state.get(key) or None
    indicator = choice(
        columns[3].selectbox,
        t("choro.label", lang),
        INDICATOR_CHOICES,
        name="choropleth",
        lang=lang,
        format_func=lambda k: t(f"choro.{k}", lang),
    )
    return current_selection(), (None if indicator == "none" else indicator)


def format_share(covered: int, total: int) -> str:
    """A coverage share rounded down, so 100% means that nothing is missed."""
    if not total:
        return "–"
    return f"{math.floor(covered / total * 1000) / 10:.1f}%"


def kpi_header(kpis: dict[str, Any], lang: str) -> None:
    """Six metrics for the current selection (values as the analysis computed them)."""
    grids = kpis["grids"]
    cells = st.columns([1.5, 1, 1, 1, 1, 1])
    cells[0].metric(t("kpi.grids", lang), " / ".join(str(grids[k]) for k in SELECT_KEYS))
    for cell, name in zip(cells[1:4], ("buildings", "households", "units"), strict=True):
        covered, total = kpis[name]
        cell.metric(
            t(f"kpi.{name}", lang),
            format_share(covered, total),
            help=t("kpi.of", lang, covered=covered, total=total),
        )
    cells[4].metric(t("kpi.errors", lang), kpis["errors"])
    cells[5].metric(t("kpi.no_leader", lang), kpis["no_leader"])


def _text(value: Any, lang: str) -> str:
    return t("panel.none", lang) if value is None or pd.isna(value) or value == "" else str(value)


def _findings_table(
    findings: pd.DataFrame, lang: str, report: Any, limit: int = 200
) -> pd.DataFrame:
    messages = findings["message"]
    if lang != "en" and getattr(report, "message_zh", None) is not None:
        messages = report.message_zh.reindex(findings.index).fillna(findings["message"])
    table = pd.DataFrame(
        {
            t("col.check", lang): [check_label(c, CHECKS, lang) for c in findings["check"]],
            t("col.severity", lang): [t(f"severity.{s}", lang) for s in findings["severity"]],
            t("col.ids", lang): [", ".join(map(str, v)) for v in findings["ids"]],
            t("col.message", lang): list(messages),
        }
    )
    return table.head(limit)


def side_panel(profile: dict[str, Any], lang: str, report: Any) -> None:
    """Leader, counts, findings and children of the scope."""
    grid = profile["grid"]
    level = profile["level"]
    if level is None:
        st.markdown(f"#### {t('sel.district', lang)}")
    else:
        st.markdown(f"#### {_text(grid.get('name'), lang)} ({grid.get('grid_id')})")
        st.caption(layer_label(level, lang))
        leader = grid.get("leader")
        text = _text(leader, lang)
        shown = f":red[{text}]" if leader is None or pd.isna(leader) else text
        st.markdown(
            f"**{t('panel.leader', lang)}**: {shown}  \n"
            f"**{t('panel.phone', lang)}**: {_text(grid.get('phone'), lang)}"
        )
    counts = profile["counts"]
    rows = [
        (t("panel.buildings", lang), counts["buildings"]),
        (t("panel.households", lang), counts["households"]),
        (t("panel.units", lang), counts["units"]),
    ]
    rows += [(f"· {choice_label(k, lang)}", v) for k, v in counts["units_by_category"].items()]
    rows.append((t("panel.equipment", lang), counts["equipment_points"]))
    st.markdown(f"**{t('panel.counts', lang)}**")
    st.dataframe(
        pd.DataFrame(rows, columns=[t("col.name", lang), t("col.count", lang)]),
        hide_index=True,
        width="stretch",
    )
    findings = profile["findings"]
    st.markdown(f"**{t('panel.findings', lang)}** ({len(findings)})")
    if len(findings):
        st.dataframe(
            _findings_table(findings, lang, report),
            hide_index=True,
            width="stretch",
            height=min(35 * (len(findings) + 1) + 3, 260),
        )
        if len(findings) > 200:
            st.caption(t("panel.more", lang, n=len(findings) - 200))
    else:
        st.caption(t("panel.no_findings", lang))
    children = profile["children"]
    if profile["child_level"] is not None:
        title = layer_label(profile["child_level"], lang)
        st.markdown(f"**{t('panel.children', lang)}: {title}** ({len(children)})")
        table = children.rename(
            columns={
                "grid_id": t("col.id", lang),
                "name": t("col.name", lang),
                "leader": t("panel.leader", lang),
                "phone": t("panel.phone", lang),
            }
        )
        st.dataframe(
            table, hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 3, 320)
        )


def audit_personal_view(ctx: Context, source: loading.Source, profile: dict[str, Any]) -> None:
    """Audit (once per grid and session) the grids whose leaders and phones the panel showed."""
    if profile["level"] is None or ctx.user is None:
        return
    ids = [str(profile["grid"].get("grid_id"))]
    children = profile["children"]
    if profile["child_level"] is not None and "grid_id" in children:
        ids += [str(g) for g in children["grid_id"]]
    scope = scope_of_view(source.view, loading.full_district(source))
    shown = [g for g in ids if scope.covers(g)]
    if shown:
        viewed_personal(ctx.user, shown, detail="coverage page: grid detail")


def coverage_map(
    source: loading.Source,
    ctx: Context,
    selection: scope.Selection,
    indicator: str | None,
    *,
    height: int = 640,
) -> None:
    """The folium map of the scope; only a click on a layer reruns the page."""
    provider = PROVIDERS[ctx.basemap]
    focus = (selection.level, selection.grid_id) if selection.level else None
    data = loading.map_data(
        *source.key, focus=focus, indicator=indicator, gcj02=provider.datum == "gcj02"
    )
    m = build_map(
        data,
        lang=ctx.lang,
        tiles=provider,
        tile_key=ctx.tile_key,
        asset_base=asset_base(ctx.lang),
        checks=CHECKS,
        indicator_name=t(f"choro.{indicator}", ctx.lang) if indicator else None,
    )
    st_folium(
        m,
        key=MAP_KEY,
        height=height,
        use_container_width=True,
        returned_objects=["last_object_clicked"],  # pan and zoom do not rerun the page
        render=False,  # st_folium renders the map once anyway; a full second render is waste
    )
    st.caption(t("sel.hint", ctx.lang))
