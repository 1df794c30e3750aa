"""Widgets of the Assessment page: options, KPIs, the ranked scorecard, the score map."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from gridmap import clock
from gridmap.analysis.assessment import (
    Assessment,
    default_period,
    indicator_table,
    period_choices,
    scorecard_rules,
    scorecard_table,
)
from gridmap.i18n import t
from gridmap.render.web import inspections as rm
from gridmap.render.web.assessment import score_map
from gridmap.render.web.tiles import PROVIDERS
from gridmap.standards.assessment import SCORECARD
from gridmap_app.assessment import loading as data
from gridmap_app.auth import guard
from gridmap_app.context import Context, asset_base

Key = tuple[str, int, int, str]
MAP_KEY = "assess_map"
LEVELS = ("grid_medium", "grid_large")


def today() -> dt.date:
    return clock.today_in_shanghai()


def options(key: Key, lang: str) -> dict:
    """Period, vetoes and serious fires, as plain cache-key values."""
    now = today()
    span = data.span(*key)
    first, last = span if span else (now, now)
    choices = period_choices(first, max(last, now))
    default = default_period(last)
    cols = st.columns([1, 1.6, 2])
    period = cols[0].selectbox(
        t("assess.period", lang),
        choices,
        index=choices.index(default) if default in choices else 0,
        key="assess_period",
        help=t("assess.period_help", lang),
    )
    veto_keys = [i.key for i in SCORECARD]
    labels = {i.key: i.label(lang) for i in SCORECARD}
    vetoes = cols[1].multiselect(
        t("assess.veto", lang),
        veto_keys,
        default=[i.key for i in SCORECARD if i.veto],
        key="assess_vetoes",
        format_func=labels.get,
    )
    names = data.grid_names(*key)
    grids = {gid: f"{name}（{gid}）" for level in names.values() for gid, name in level.items()}
    fires = cols[2].multiselect(
        t("assess.fires", lang), list(grids), key="assess_fires", format_func=grids.get
    )
    return {
        "period": period,
        "as_of": str(now),
        "vetoes": tuple(vetoes),
        "fires": tuple(fires),
    }


def kpis(found: Assessment, lang: str) -> None:
    scores = found.scores
    st.caption(t("assess.window", lang, first=found.first, last=found.last))
    cols = st.columns(3)
    for col, level, label in (
        (cols[0], "grid_large", "assess.kpi.towns"),
        (cols[1], "grid_medium", "assess.kpi.communities"),
    ):
        rows = scores[scores["level"] == level]
        col.metric(t(label, lang), f"{rows['score'].mean():.1f}" if len(rows) else "—")
    cols[2].metric(t("assess.kpi.vetoed", lang), int(scores["vetoed"].sum()))
    if found.problems:
        st.warning(
            t("assess.problems", lang, n=sum(p.count or 1 for p in found.problems))
            + "  \n"
            + "  \n".join(str(p) for p in found.problems)
        )


def score_map_view(key: Key, ctx: Context, found: Assessment) -> None:
    lang = ctx.lang
    level = st.radio(
        t("assess.level", lang),
        LEVELS,
        horizontal=True,
        key="assess_level",
        format_func=lambda v: t(f"assess.level.{v}", lang),
    )
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    grids = data.district(key)[level]
    scores = found.scores[found.scores["level"] == level].set_index("grid_id")
    web = rm.to_web(grids[["grid_id", "name", "geometry"]], tolerance=10, gcj02=gcj02)
    web["score"] = web["grid_id"].map(scores["score"])
    web["rank"] = web["grid_id"].map(scores["rank"]).astype("Int64").astype(str)
    web["vetoed"] = web["grid_id"].map(scores["vetoed"]).fillna(False).astype(bool)
    web["veto"] = web["grid_id"].map(scores["vetoed_by"]).fillna("")
    fields = {
        "grid_id": t("col.id", lang),
        "name": t("col.name", lang),
        "score": t("assess.map.score", lang),
        "rank": t("assess.map.rank", lang),
        "veto": t("assess.map.veto", lang),
    }
    provider = PROVIDERS[ctx.basemap]
    m = score_map(
        web,
        fields=fields,
        bounds=rm.bounds_of(grids),
        vetoed_label=t("assess.band.vetoed", lang),
        tiles=provider,
        tile_key=ctx.tile_key,
        asset_base=asset_base(lang),
        name=t("assess.map.score", lang),
    )
    st_folium(m, key=MAP_KEY, height=520, width="stretch", returned_objects=[])


def tables(key: Key, ctx: Context, found: Assessment, opts: dict) -> None:
    lang = ctx.lang
    st.markdown(f"**{t('assess.ranking', lang)}**")
    st.dataframe(scorecard_table(found, lang=lang), hide_index=True)
    assert ctx.user is not None
    guard.download(
        ctx.user,
        t("assess.download", lang),
        data.workbook(
            *key,
            period=opts["period"],
            as_of=opts["as_of"],
            vetoes=opts["vetoes"],
            fires=opts["fires"],
        ),
        key="assess_xlsx",
        file_name=f"考核_{found.period.label}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        public=False,
    )
    with st.expander(t("assess.detail", lang)):
        st.dataframe(indicator_table(found, lang=lang), hide_index=True)
    with st.expander(t("assess.rules", lang)):
        st.dataframe(scorecard_rules(found, lang=lang), hide_index=True)
