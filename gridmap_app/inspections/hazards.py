"""The hazard closed loop on the Inspections page: map, ledger, escalations, status updates.

The status form closes the loop: a hazard in the ledger is marked rectified
(with the time), transferred to the police station or put under supervision,
checked by `gridmap.analysis.inspections.recording.hazard_status_edit` and saved through
`gridmap_app.auth.guard.save` (role and grids checked, then the edit log) like a new
record, as the signed-in user. The map and the ledger show the masked view.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gridmap import clock
from gridmap.analysis import inspections as hz
from gridmap.analysis.inspections import STATUS_UPDATES, hazard_status_edit
from gridmap.errors import AccessDenied, ConflictError, GridmapError
from gridmap.i18n import choice_label, t
from gridmap.identity import Action
from gridmap.io import hazard_ledger_sheets, workbook_bytes
from gridmap.render.web import inspections as rm
from gridmap.schema import HAZARD_SEVERITIES
from gridmap_app import loading
from gridmap_app.auth import guard
from gridmap_app.context import Context
from gridmap_app.inspections import loading as data
from gridmap_app.inspections.widgets import Key, gcj02, label, map_args, outlines, show
from gridmap_app.widgets import multi_choice

STATUS_FORM = "hazard_status_form"


def hazards_view(key: Key, ctx: Context) -> None:
    lang = ctx.lang
    as_of = st.date_input(t("insp.as_of", lang), value=clock.today_in_shanghai(), key="insp_as_of")
    states = data.hazard_states(*key, str(as_of))
    if states.empty:
        st.info(t("insp.hazards.none", lang))
        return
    cols = st.columns(2)
    severities = multi_choice(
        t("insp.hazards.severity", lang),
        HAZARD_SEVERITIES,
        name="insp_hz_severity",
        lang=lang,
        format_func=lambda s: label(hz.SEVERITY_LABELS, s, lang),
        container=cols[0],
    )
    chosen = multi_choice(
        t("insp.hazards.state", lang),
        hz.HAZARD_STATES,
        name="insp_hz_state",
        lang=lang,
        format_func=lambda s: label(hz.STATE_LABELS, s, lang),
        container=cols[1],
    )
    shown = states[states["severity"].isin(severities) & states["state"].isin(chosen)]
    due = hz.escalations_due(states)
    st.warning(t("insp.hazards.escalations", lang, n=len(due), new=int(due["new_today"].sum())))
    found = data.district(key)
    shifted = gcj02(ctx)
    web = rm.to_web(shown[["hazard_id", "geometry"]], tolerance=0, gcj02=shifted)
    web["state"], web["severity"] = shown["state"].to_numpy(), shown["severity"].to_numpy()
    popups = (
        shown["hazard_id"]
        + " "
        + shown["description"].fillna("").astype(str)
        + " · "
        + shown["state"].map(lambda s: label(hz.STATE_LABELS, s, lang))
    )
    m = rm.hazard_map(
        web,
        bounds=rm.bounds_of(found["grid_large"]),
        labels={s: label(hz.STATE_LABELS, s, lang) for s in hz.HAZARD_STATES},
        popups=popups.reset_index(drop=True),
        outlines=outlines(key, shifted),
        names={"outlines": t("insp.outlines", lang)},
        **map_args(ctx),
    )
    show(m, "insp_hazard_map")
    ledger = hz.hazard_ledger(shown, found, lang=lang)
    st.markdown(f"**{t('insp.hazards.ledger', lang)}**")
    st.dataframe(ledger, hide_index=True)
    zh = hz.hazard_ledger(shown, found, lang="zh")
    assert ctx.user is not None
    guard.download(
        ctx.user,
        t("insp.hazards.download", lang),
        workbook_bytes(hazard_ledger_sheets(zh, as_of=as_of)),
        key="insp_hazard_xlsx",
        file_name=f"隐患台帐_{as_of}.xlsx",
        public=False,
    )
    if ctx.user.can(Action.RECORD_HAZARDS):
        status_form(key, ctx)


def status_form(key: Key, ctx: Context) -> None:
    """Mark a hazard rectified, transferred to the police station or supervised."""
    lang, user = ctx.lang, ctx.user
    assert user is not None
    st.markdown(f"**{t('insp.status.title', lang)}**")
    now = clock.floor_minute(clock.now_in_shanghai())
    with st.form(STATUS_FORM):
        cols = st.columns(2)
        hazard_id = cols[0].text_input(
            t("insp.status.hazard", lang), key="hz_status_id", help=t("insp.status.hint", lang)
        )
        status = cols[1].selectbox(
            t("insp.status.status", lang),
            STATUS_UPDATES,
            key="hz_status",
            format_func=lambda s: choice_label(s, lang),
        )
        cols = st.columns(2)
        day = cols[0].date_input(
            t("insp.status.rectified_date", lang), value=now.date(), key="hz_rect_date"
        )
        time = cols[1].time_input(
            t("insp.status.rectified_time", lang), value=now.time(), key="hz_rect_time", step=60
        )
        st.caption(t("auth.signed_as_author", lang, label=user.label))
        submitted = st.form_submit_button(t("insp.status.submit", lang))
    if not submitted:
        return
    found = loading.full_district(loading.Source(*key))
    try:
        edit = hazard_status_edit(
            found,
            hazard_id=hazard_id or None,
            status=status,
            rectified_at=pd.Timestamp.combine(day, time) if status == "rectified" else None,
            now=clock.now_in_shanghai(),
            user=user.label,
        )
        guard.save(edit, found, user)
    except AccessDenied as exc:
        guard.show_denied(exc, lang)
        return
    except ConflictError as exc:
        st.error(t("insp.record.conflict", lang) + f" {exc}")
        return
    except GridmapError as exc:
        st.error(t("insp.record.refused", lang) + "  \n" + str(exc).replace("\n", "  \n"))
        return
    saved = edit.added["hazard_id"].iloc[0]
    st.session_state["insp_saved"] = t(
        "insp.status.saved", lang, id=saved, status=choice_label(status, lang)
    )
    st.rerun()
