"""The Import page's check, confirmation and import, and the report they show.

Nothing is written before a check of the very same settings passed; the
check says how many features the import adds, updates and removes and, for
a grid level, how many buildings, households and units change zone. An
import that removes features needs the removal ticked as confirmed, and it
may not remove more than the check said (`import_layer(max_removed=...)`):
if the file changed meanwhile, nothing is written. The user's role is asked
first (`gridmap_app.auth.guard.authorize_import`); the import is attributed to
the signed-in user and audited.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from gridmap.analysis.importing import ImportOptions, ImportReport
from gridmap.errors import AccessDenied, GridmapError
from gridmap.i18n import t
from gridmap.identity import User
from gridmap.tasks.importing import import_layer
from gridmap_app.auth import guard
from gridmap_app.auth.trail import record


def show_changes(report: ImportReport, lang: str) -> None:
    """Features added, updated and removed; who changes zone."""
    if report.added is None:
        return
    key = "imp.changes.done" if report.written else "imp.changes"
    text = t(key, lang, added=report.added, updated=report.updated, removed=report.removed)
    (st.warning if report.removed and not report.written else st.info)(text)
    if report.geometry_kept:
        st.caption(t("imp.geometry_kept", lang, n=report.geometry_kept))
    if report.zone_changes is not None:
        z = report.zone_changes
        st.info(
            t(
                "imp.zone_changes",
                lang,
                building=z.get("building", 0),
                household=z.get("household", 0),
                unit=z.get("unit", 0),
            )
        )


def show_report(report: ImportReport, lang: str) -> None:
    st.markdown(f"#### {t('imp.result', lang)}")
    cells = st.columns(4)
    cells[0].metric(t("imp.read", lang), f"{report.features_read:,}")
    cells[1].metric(t("imp.kept", lang), f"{report.features_kept:,}")
    cells[2].metric(t("imp.repaired", lang), f"{sum(report.repaired.values()):,}")
    cells[3].metric(t("imp.dropped", lang), f"{report.features_dropped:,}")
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        st.error(
            t("imp.errors", lang, n=len(errors)) + "\n\n" + "\n".join(f"- {p}" for p in errors)
        )
    elif not report.written:
        st.success(t("imp.ok", lang))
    show_changes(report, lang)
    counts = [(t("imp.repaired", lang), r, n) for r, n in report.repaired.items()]
    counts += [(t("imp.dropped", lang), r, n) for r, n in report.dropped.items()]
    if counts:
        st.dataframe(
            pd.DataFrame(counts, columns=["", t("imp.reasons", lang), t("imp.features", lang)]),
            hide_index=True,
        )
    if report.unmatched_parents:
        st.markdown(f"**{t('imp.unmatched', lang)}**")
        rows = [(u.value, u.features, "、".join(u.candidates)) for u in report.unmatched_parents]
        names = [t("imp.value", lang), t("imp.features", lang), t("imp.candidates", lang)]
        st.dataframe(pd.DataFrame(rows, columns=names), hide_index=True)
    for line in report.warnings:
        st.warning(line)
    if report.notes:
        with st.expander(f"{t('imp.notes', lang)} ({len(report.notes)})"):
            for line in report.notes:
                st.caption(line)


def _confirmed(report: ImportReport, lang: str) -> bool:
    """True when the import removes nothing, or the user ticked that it may."""
    if not report.removed:
        return True
    st.warning(t("imp.confirm_needed", lang, n=report.removed))
    return st.checkbox(t("imp.confirm_remove", lang, n=report.removed), key="imp_confirm")


def check_and_import(
    files: list[str],
    target: str,
    layer: str,
    *,
    options: ImportOptions,
    mode: str,
    lang: str,
    user: User,
) -> None:
    """The check button, the confirmation of removals, the import button and the report."""
    try:
        guard.authorize_import(user, layer, target)
    except AccessDenied as exc:
        guard.show_denied(exc, lang)
        return
    signature = json.dumps(
        [files, target, layer, mode, options.__dict__],
        default=dict,
        ensure_ascii=False,
        sort_keys=True,
    )
    run_kwargs = {"options": options, "mode": mode, "user": user.label}
    if st.button(t("imp.check", lang), key="imp_check", type="secondary"):
        st.session_state["imp_confirm"] = False  # a new check asks again
        try:
            checked = import_layer(files, target, layer, dry_run=True, **run_kwargs)
            st.session_state["imp_checked"] = (signature, checked)
        except GridmapError as exc:
            st.session_state.pop("imp_checked", None)
            st.error(str(exc))
    stored = st.session_state.get("imp_checked")
    fresh = stored is not None and stored[0] == signature
    if stored is not None and not fresh:
        st.warning(t("imp.stale", lang))
    ready = fresh and stored[1].ok and not stored[1].written
    if ready:
        ready = _confirmed(stored[1], lang)
    if st.button(
        t("imp.run", lang),
        key="imp_run",
        type="primary",
        disabled=not ready,
        help=t("imp.run.help", lang),
    ):
        what = f"{layer} into {target} ({mode})"
        try:
            done = import_layer(files, target, layer, max_removed=stored[1].removed, **run_kwargs)
        except GridmapError as exc:
            record("import", user, outcome="failed", detail=f"{what}: {exc}")
            st.error(str(exc))
        else:
            record(
                "import",
                user,
                outcome="ok" if done.written else "failed",
                detail=f"{what}: {done.features_kept} features",
            )
            st.session_state["imp_checked"] = (signature, done)
            if done.written:
                message = t("imp.done", lang, n=done.features_kept, layer=layer, file=target)
                st.session_state["imp_done"] = message
                st.rerun()  # draw the buttons again: this import cannot be run twice
    if "imp_done" in st.session_state:
        st.success(st.session_state.pop("imp_done"))
    stored = st.session_state.get("imp_checked")
    if stored is not None and stored[0] == signature:
        show_report(stored[1], lang)
