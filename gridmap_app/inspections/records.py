"""The recording form of the Inspections page: an inspection or a hazard at a map click.

The time defaults to now in Asia/Shanghai, rounded down to the minute
(`gridmap.clock`), so the default is never refused as in the future, even
early in the morning or while the machine's clock is still on yesterday's UTC
date. The record is checked by `gridmap.analysis.inspections.recording` and saved through
`gridmap_app.auth.guard.save` (the user's role and grids checked, then the edit log) as
the signed-in user.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from gridmap import clock
from gridmap.analysis import inspections as hz
from gridmap.analysis.inspections import hazard_edit, inspection_edit
from gridmap.errors import AccessDenied, ConflictError, GridmapError
from gridmap.geo import gcj02_to_wgs84
from gridmap.i18n import choice_label, t
from gridmap.identity import Action, User
from gridmap.render.web import inspections as rm
from gridmap.schema import HAZARD_SEVERITIES, INSPECTION_RESULTS, INSPECTOR_ROLES
from gridmap.standards.inspections import ROLE_LABELS
from gridmap_app import loading
from gridmap_app.auth import guard
from gridmap_app.context import Context
from gridmap_app.inspections import loading as data
from gridmap_app.inspections.widgets import Key, gcj02, label, map_args, outlines, show

RECORD_MAP = "inspection_record_map"


def default_time() -> pd.Timestamp:
    """The form's default date and time: now in Shanghai, rounded down to the minute."""
    return clock.floor_minute(clock.now_in_shanghai())


def _click(ctx: Context) -> tuple[float, float] | None:
    value = st.session_state.get(RECORD_MAP) or {}
    click = value.get("last_clicked") if isinstance(value, dict) else None
    if not click:
        return None
    lon, lat = float(click["lng"]), float(click["lat"])
    if gcj02(ctx):
        lon, lat = (float(np.asarray(v).ravel()[0]) for v in gcj02_to_wgs84([lon], [lat]))
    return lon, lat


def _edit(found, kind: str, at: pd.Timestamp, lonlat, values: dict):
    """The checked `Edit` of the form's values (`DataError` listing every problem)."""
    now = clock.now_in_shanghai()
    if kind == "inspection":
        return inspection_edit(
            found,
            at=at,
            role=values["role"],
            lonlat=lonlat,
            now=now,
            target_id=values["target"] or None,
            result=values["result"],
            inspector=values["inspector"] or None,
            note=values["note"] or None,
            user=values["user"],
        )
    return hazard_edit(
        found,
        found_at=at,
        severity=values["severity"],
        deadline=values["deadline"],
        lonlat=lonlat,
        now=now,
        unit_id=values["unit"] or None,
        description=values["note"] or None,
        user=values["user"],
    )


def _fields(kind: str, lang: str, today: dt.date) -> dict:
    """The widgets of one kind of record, inside the form."""
    if kind == "inspection":
        return {
            "role": st.selectbox(
                t("insp.record.role", lang),
                list(INSPECTOR_ROLES),
                key="rec_role",
                format_func=lambda r: label(ROLE_LABELS, r, lang),
            ),
            "target": st.text_input(t("insp.record.target", lang), key="rec_target"),
            "result": st.selectbox(
                t("insp.record.result", lang),
                list(INSPECTION_RESULTS),
                key="rec_result",
                format_func=lambda r: choice_label(r, lang),
            ),
            "inspector": st.text_input(t("insp.record.inspector", lang), key="rec_inspector"),
        }
    return {
        "unit": st.text_input(t("insp.record.unit", lang), key="rec_unit"),
        "severity": st.selectbox(
            t("insp.record.severity", lang),
            list(HAZARD_SEVERITIES),
            key="rec_severity",
            format_func=lambda s: label(hz.SEVERITY_LABELS, s, lang),
        ),
        "deadline": st.date_input(
            t("insp.record.deadline", lang),
            value=today + dt.timedelta(days=14),
            key="rec_deadline",
        ),
    }


KINDS = {"inspection": Action.RECORD_INSPECTIONS, "hazard": Action.RECORD_HAZARDS}


def record_view(key: Key, ctx: Context) -> None:
    lang, user = ctx.lang, ctx.user
    assert user is not None
    kinds = tuple(k for k, action in KINDS.items() if user.can(action))
    if not kinds:
        st.info(t("auth.read_only", lang, role=guard.role_name(user, lang)))
        return
    st.caption(t("insp.record.hint", lang))
    found = data.district(key)
    shifted = gcj02(ctx)
    m = rm.heat_map(
        pd.DataFrame({"lat": [], "lon": [], "weight": []}),
        bounds=rm.bounds_of(found["grid_large"]),
        outlines=outlines(key, shifted),
        names={"outlines": t("insp.outlines", lang)},
        **map_args(ctx),
    )
    show(m, RECORD_MAP, height=420, returned=["last_clicked"])
    lonlat = _click(ctx)
    st.write(
        t("insp.record.where", lang, lat=lonlat[1], lon=lonlat[0])
        if lonlat
        else t("insp.record.nowhere", lang)
    )
    kind = st.radio(
        t("insp.record.kind", lang),
        kinds,
        horizontal=True,
        key="rec_kind",
        format_func=lambda k: t(f"insp.record.{k}", lang),
    )
    start = default_time()
    with st.form("record_form"):
        cols = st.columns(2)
        day = cols[0].date_input(t("insp.record.date", lang), value=start.date(), key="rec_date")
        time = cols[1].time_input(
            t("insp.record.time", lang), value=start.time(), key="rec_time", step=60
        )
        values = _fields(kind, lang, start.date())
        values["note"] = st.text_input(t("insp.record.note", lang), key="rec_note")
        values["user"] = user.label
        st.caption(t("auth.signed_as_author", lang, label=user.label))
        submitted = st.form_submit_button(t("insp.record.submit", lang))
    if not submitted:
        return
    _save(
        key,
        kind,
        pd.Timestamp.combine(day, time),
        lonlat=lonlat,
        values=values,
        user=user,
        lang=lang,
    )


def _save(
    key: Key, kind: str, at: pd.Timestamp, *, lonlat, values: dict, user: User, lang: str
) -> None:
    full = loading.full_district(loading.Source(*key))
    try:
        edit = _edit(full, kind, at, lonlat, values)
        guard.save(edit, full, user)
    except AccessDenied as exc:
        guard.show_denied(exc, lang)
        return
    except ConflictError as exc:
        st.error(t("insp.record.conflict", lang) + f" {exc}")
        return
    except GridmapError as exc:
        st.error(t("insp.record.refused", lang) + "  \n" + str(exc).replace("\n", "  \n"))
        return
    new_id = edit.added[edit.id_field].iloc[0]
    st.session_state["insp_saved"] = t("insp.record.saved", lang, id=new_id)
    st.rerun()
