"""Widgets of the Plan records page: a form per ledger (trainings, drills, meetings), the latest
records, and the fire teams. Saving goes through `gridmap_app.auth.guard.save` (the user's role
and grids checked, then `gridmap.io.save_edit`: atomic, logged) as the signed-in user; grid
leaders and staff choose among their own grids."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from gridmap import clock
from gridmap.analysis.access import rows_in_scope, scope_of
from gridmap.analysis.plan_records import drill_edit, meeting_edit, training_edit
from gridmap.district import District
from gridmap.errors import AccessDenied, ConflictError, GridmapError
from gridmap.i18n import choice_label, field_label, t
from gridmap.identity import Action, User
from gridmap.layers import Edit
from gridmap.schema import TRAINING_KINDS, TRAINING_TARGETS
from gridmap_app.assessment import loading as data
from gridmap_app.auth import guard

Key = tuple[str, int, int, str]
VIEWS = ("trainings", "drills", "meetings", "fire_teams")
SAVED = "plan_saved"
_DATE_FIELD = {"trainings": "date", "drills": "date", "meetings": "date"}


def _now() -> pd.Timestamp:
    return clock.now_in_shanghai()


def _grid_options(
    key: Key, levels: tuple[str, ...], district: District, user: User
) -> dict[str, str]:
    """The grids of `levels` the user may record for (a grid leader: own subtree)."""
    names = data.grid_names(*key)
    scope = scope_of(user, district)
    mine = scope.everything or not user.role.scoped
    return {
        gid: f"{name}（{gid}）"
        for level in levels
        for gid, name in names[level].items()
        if mine or gid in scope.grids
    }


def may_record(user: User, lang: str) -> bool:
    """Whether `user` may record trainings, drills and meetings (else a note says so)."""
    if user.can(Action.RECORD_PLAN):
        return True
    st.info(t("auth.read_only", lang, role=guard.role_name(user, lang)))
    return False


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


def _save(district: District, build: Callable[[], Edit], user: User, lang: str) -> None:
    try:
        edit = build()
        guard.save(edit, district, user)
    except AccessDenied as exc:
        guard.show_denied(exc, lang)
        return
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


def training_form(key: Key, district: District, user: User, lang: str) -> None:
    """`district`: the file as loaded (records are built and saved on it)."""
    grids = _grid_options(key, ("grid_medium", "grid_small", "grid_large"), district, user)
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
        st.caption(t("auth.signed_as_author", lang, label=user.label))
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
                user=user.label,
            ),
            user,
            lang,
        )


def drill_form(key: Key, district: District, user: User, lang: str) -> None:
    plans = district.get("emergency_plans")
    if plans is None or plans.empty:
        st.info(t("plan.no_plans", lang))
        return
    if user.role.scoped and not user.district_wide:
        plans = plans[rows_in_scope(district, "emergency_plans", plans, scope_of(user, district))]
    options = dict(
        zip(plans["plan_id"].astype(str), plans["plan_id"] + " " + plans["title"], strict=True)
    )
    with st.form("drill_form"):
        plan = _pick(t("plan.plan", lang), options, "dr_plan", lang)
        day, count = _common(lang, "dr")
        note = st.text_input(t("plan.note", lang), key="dr_note")
        st.caption(t("auth.signed_as_author", lang, label=user.label))
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
                user=user.label,
            ),
            user,
            lang,
        )


def meeting_form(key: Key, district: District, user: User, lang: str) -> None:
    towns = _grid_options(key, ("grid_large",), district, user)
    with st.form("meeting_form"):
        town = _pick(t("plan.town", lang), towns, "mt_town", lang)
        day, count = _common(lang, "mt")
        topics = st.text_input(t("plan.topics", lang), key="mt_topics")
        st.caption(t("auth.signed_as_author", lang, label=user.label))
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
                user=user.label,
            ),
            user,
            lang,
        )
