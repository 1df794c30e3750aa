"""Widgets of the Plan records page: a form per ledger (trainings, drills, meetings), the latest
records, and the fire teams. Saving goes through `gridmap.io.save_edit` (atomic, logged)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from gridmap import clock
from gridmap.analysis.plan_records import drill_edit, meeting_edit, training_edit
from gridmap.district import District
from gridmap.errors import ConflictError, GridmapError
from gridmap.i18n import choice_label, field_label, t
from gridmap.io import save_edit
from gridmap.layers import Edit
from gridmap.schema import TRAINING_KINDS, TRAINING_TARGETS
from gridmap_app.assessment import loading as data

Key = tuple[str, int, int]
VIEWS = ("trainings", "drills", "meetings", "fire_teams")
SAVED = "plan_saved"
_DATE_FIELD = {"trainings": "date", "drills": "date", "meetings": "date"}


def _now() -> pd.Timestamp:
    return clock.now_in_shanghai()


def _grid_options(key: Key, levels: tuple[str, ...]) -> dict[str, str]:
    names = data.grid_names(*key)
    return {gid: f"{name}（{gid}）" for level in levels for gid, name in names[level].items()}


def _pick(label: str, options: dict[str, str], key: str, lang: str) -> str | None:
    """A searchable choice, or a code typed beside it (the typed code wins; checked on save)."""
    cols = st.columns([2, 1])
    chosen = cols[0].selectbox(
        label, list(options), index=None, key=key, format_func=lambda v: options.get(v, v)
    )
    typed = cols[1].text_input(t("plan.code", lang), key=f"{key}_code").strip()
    return typed or chosen


def recent(district: District, layer: str, lang: str, *, n: int = 12) -> None:
    frame = district.get(layer)
    if frame is None or frame.empty:
        st.info(t("plan.none_yet", lang))
        return
    table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    column = _DATE_FIELD.get(layer)
    if column in table.columns:
        table = table.sort_values(column, ascending=False, kind="stable")
        table[column] = table[column].dt.strftime("%Y-%m-%d")
    for field in ("kind", "target"):
        if field in table.columns:
            table[field] = table[field].map(
                lambda v: choice_label(v, lang) if isinstance(v, str) else v
            )
    table.columns = [field_label(layer, c, lang) if c != "geometry" else c for c in table.columns]
    st.markdown(f"**{t('plan.recent', lang, n=len(frame))}**")
    st.dataframe(table.head(n), hide_index=True)


def _save(district: District, build: Callable[[], Edit], lang: str) -> None:
    try:
        edit = build()
        save_edit(district, edit)
    except ConflictError as exc:
        st.error(t("plan.conflict", lang) + f" {exc}")
        return
    except GridmapError as exc:
        st.error(t("plan.refused", lang) + "  \n" + str(exc).replace("\n", "  \n"))
        return
    st.session_state[SAVED] = t("plan.saved", lang, id=edit.added[edit.id_field].iloc[0])
    st.rerun()


def _common(lang: str, prefix: str):
    cols = st.columns(2)
    day = cols[0].date_input(t("plan.date", lang), value=_now().date(), key=f"{prefix}_date")
    count = cols[1].number_input(
        t("plan.attendees" if prefix == "mt" else "plan.participants", lang),
        value=0,
        step=1,
        key=f"{prefix}_count",
    )
    return day, count


def training_form(key: Key, district: District, lang: str) -> None:
    grids = _grid_options(key, ("grid_medium", "grid_small", "grid_large"))
    with st.form("training_form"):
        grid = _pick(t("plan.grid", lang), grids, "tr_grid", lang)
        cols = st.columns(2)
        kind = cols[0].selectbox(
            t("plan.kind", lang),
            list(TRAINING_KINDS),
            key="tr_kind",
            format_func=lambda v: choice_label(v, lang),
        )
        target = cols[1].selectbox(
            t("plan.target", lang),
            ["", *TRAINING_TARGETS],
            key="tr_target",
            format_func=lambda v: choice_label(v, lang) if v else t("plan.target.none", lang),
        )
        day, count = _common(lang, "tr")
        note = st.text_input(t("plan.note", lang), key="tr_note")
        user = st.text_input(t("plan.user", lang), key="tr_user")
        submitted = st.form_submit_button(t("plan.submit", lang))
    if submitted:
        _save(
            district,
            lambda: training_edit(
                district,
                date=day,
                grid_id=grid,
                kind=kind,
                target=target or None,
                participants=count,
                note=note or None,
                now=_now(),
                user=user,
            ),
            lang,
        )


def drill_form(key: Key, district: District, lang: str) -> None:
    plans = district.get("emergency_plans")
    if plans is None or plans.empty:
        st.info(t("plan.no_plans", lang))
        return
    options = dict(
        zip(plans["plan_id"].astype(str), plans["plan_id"] + " " + plans["title"], strict=True)
    )
    with st.form("drill_form"):
        plan = _pick(t("plan.plan", lang), options, "dr_plan", lang)
        day, count = _common(lang, "dr")
        note = st.text_input(t("plan.note", lang), key="dr_note")
        user = st.text_input(t("plan.user", lang), key="dr_user")
        submitted = st.form_submit_button(t("plan.submit", lang))
    if submitted:
        _save(
            district,
            lambda: drill_edit(
                district,
                date=day,
                plan_id=plan,
                participants=count,
                note=note or None,
                now=_now(),
                user=user,
            ),
            lang,
        )


def meeting_form(key: Key, district: District, lang: str) -> None:
    towns = _grid_options(key, ("grid_large",))
    with st.form("meeting_form"):
        town = _pick(t("plan.town", lang), towns, "mt_town", lang)
        day, count = _common(lang, "mt")
        topics = st.text_input(t("plan.topics", lang), key="mt_topics")
        user = st.text_input(t("plan.user", lang), key="mt_user")
        submitted = st.form_submit_button(t("plan.submit", lang))
    if submitted:
        _save(
            district,
            lambda: meeting_edit(
                district,
                date=day,
                large_id=town,
                attendees=count,
                topics=topics or None,
                now=_now(),
                user=user,
            ),
            lang,
        )
