"""Widgets of the Edit grids page after the preview: the review, the save form, the history.

The review is `gridmap.analysis.editing.review.review_edit`; saving goes through
`gridmap_app.auth.guard.commit` (the signed-in user's role and grids checked,
then `gridmap.tasks.commit_edits`: refused without acceptance and a reason
when the edit adds errors; refused when the file changed since the preview);
undo (`guard.undo_edits`) and past versions need the right to change
boundaries. Edits are attributed to the signed-in user, never to a typed name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from gridmap.analysis.access import mask_text
from gridmap.analysis.coverage import CHECKS
from gridmap.analysis.editing import EditReview
from gridmap.district import District
from gridmap.errors import AccessDenied, ConflictError, EditRefused, FileInUseError, GridmapError
from gridmap.i18n import TEXT, check_label, layer_label, t
from gridmap.identity import Action, User
from gridmap.io import read_edit_log, version_bytes
from gridmap.layers import Edit
from gridmap.render.web.editing import edit_preview_map
from gridmap.render.web.inspections import to_web
from gridmap.render.web.tiles import PROVIDERS
from gridmap_app import loading
from gridmap_app.auth import guard
from gridmap_app.context import Context, asset_base

PENDING = "edit_pending"
FLASH = "edit_flash"


@dataclass
class Pending:
    """A previewed edit: the district it was built on (for the conflict check), edits, review."""

    district: District
    edits: list[Edit]
    review: EditReview
    signature: str


def _op_label(operation: str, lang: str) -> str:
    key = f"edit.op.{operation}"
    return t(key, lang) if key in TEXT else operation


def _finding_labels(found: pd.DataFrame, lang: str) -> list[str]:
    out = []
    for check, ids, area, before in zip(
        found["check"], found["ids"], found["area_m2"], found["area_before_m2"], strict=True
    ):
        text = f"{check_label(check, CHECKS, lang)} {', '.join(map(str, ids))}"
        if pd.notna(area):
            text += f" {area:,.1f} m²"
        if pd.notna(before):
            text += " " + t("edit.review.grown", lang, before=f"{before:,.1f}")
        out.append(text)
    return out


def _preview_map(pending: Pending, ctx: Context) -> None:
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    before = gpd.GeoDataFrame(
        pd.concat([e.removed for e in pending.edits]), crs=pending.district.crs
    )
    after = gpd.GeoDataFrame(pd.concat([e.added for e in pending.edits]), crs=pending.district.crs)
    found = pending.review.new_findings
    placed = found[found.geometry.notna() & ~found.geometry.is_empty]
    after = after.assign(
        label=[
            f"{g} {n or ''}".strip()
            for g, n in zip(
                after["grid_id"], after.get("name", pd.Series(None, index=after.index)), strict=True
            )
        ]
    )
    placed = placed.assign(label=_finding_labels(placed, ctx.lang))
    m = edit_preview_map(
        to_web(before[["geometry"]], tolerance=0, gcj02=gcj02),
        to_web(after[["label", "geometry"]], tolerance=0, gcj02=gcj02),
        to_web(placed[["label", "geometry"]], tolerance=0, gcj02=gcj02),
        names={k: t(f"edit.map.{k}", ctx.lang) for k in ("before", "after", "findings")},
        tiles=PROVIDERS[ctx.basemap],
        tile_key=ctx.tile_key,
        asset_base=asset_base(ctx.lang),
    )
    st_folium(m, key="edit_preview_map", height=380, use_container_width=True, returned_objects=[])


def _columns(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(
        columns={c: t(f"edit.col.{c}", lang) for c in frame.columns if f"edit.col.{c}" in TEXT}
    )


def show_review(pending: Pending, ctx: Context) -> None:
    lang = ctx.lang
    review = pending.review
    st.markdown(f"#### {t('edit.review.title', lang)}")
    ids = sorted({i for e in pending.edits for i in e.affected_ids()})
    st.caption(t("edit.review.ids", lang, ids=", ".join(ids)))
    found = review.new_findings
    if found.empty:
        st.success(t("edit.review.clean", lang))
    else:
        (st.error if review.blocking else st.warning)(t("edit.review.findings", lang))
        st.dataframe(
            pd.DataFrame(
                {
                    t("edit.col.check", lang): _finding_labels(found, lang),
                    t("edit.col.area", lang): pd.to_numeric(
                        found["area_m2"], errors="coerce"
                    ).round(1),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    _preview_map(pending, ctx)
    st.markdown(t("edit.review.moves", lang, n=len(review.moves)))
    if review.moves.empty:
        st.caption(t("edit.review.no_moves", lang))
    else:
        transfers = review.transfers.assign(
            kind=[t(f"edit.kind.{k}", lang) for k in review.transfers["kind"]]
        )
        st.caption(t("edit.review.transfers", lang))
        st.dataframe(
            _columns(transfers.rename(columns={"from_small": "from", "to_small": "to"}), lang),
            hide_index=True,
            width="stretch",
        )
        with st.expander(t("edit.review.details", lang)):
            moves = review.moves.assign(
                kind=[t(f"edit.kind.{k}", lang) for k in review.moves["kind"]]
            )
            st.dataframe(
                _columns(moves.rename(columns={"from_small": "from", "to_small": "to"}), lang),
                hide_index=True,
                width="stretch",
                height=240,
            )
    st.markdown(t("edit.review.load", lang))
    st.dataframe(
        _columns(review.load.rename(columns={"grid_id": "grid"}), lang),
        hide_index=True,
        width="stretch",
    )


def save_form(pending: Pending, user: User, lang: str) -> None:
    """Reason, acceptance of new errors, and the save button (the author is the signed-in user)."""
    st.caption(t("auth.signed_as_author", lang, label=user.label))
    reason = st.text_area(t("edit.reason", lang), key="edit_reason", height=70)
    accept = pending.review.blocking and st.checkbox(t("edit.accept", lang), key="edit_accept")
    if not st.button(t("edit.save", lang), type="primary", key="edit_save"):
        return
    if pending.review.blocking and not (accept and reason.strip()):
        st.error(t("edit.need_reason", lang))
        return
    try:
        guard.commit(
            pending.edits,
            pending.district,
            user,
            reason=reason,
            accept_findings=bool(accept),
            review=pending.review,
        )
    except AccessDenied as exc:
        guard.show_denied(exc, lang)
        return
    except ConflictError as exc:
        st.session_state.pop(PENDING, None)
        loading.show_error(exc, lang, intro=t("edit.conflict", lang))
        return
    except FileInUseError as exc:  # the edit stays pending: save again once the file is free
        loading.show_error(exc, lang, intro=t("edit.in_use", lang))
        return
    except (EditRefused, GridmapError) as exc:
        loading.show_error(exc, lang, intro=t("edit.refused", lang))
        return
    st.session_state.pop(PENDING, None)
    st.session_state["edit_drawing"] = None
    ids = ", ".join(sorted({i for e in pending.edits for i in e.affected_ids()}))
    st.session_state[FLASH] = t(
        "edit.saved", lang, op=_op_label(pending.edits[0].operation, lang), ids=ids
    )
    st.rerun()


def _log_table(log: pd.DataFrame, lang: str, *, masked: bool) -> pd.DataFrame:
    shown = log[["edit_id", "at", "user", "operation", "layer", "ids", "reason", "undoes"]].copy()
    if masked:  # a reason is free text: no phone or ID number in it for a masked view
        shown["reason"] = shown["reason"].map(mask_text)
    shown["at"] = shown["at"].dt.strftime("%Y-%m-%d %H:%M")
    shown["ids"] = shown["ids"].map(lambda s: ", ".join(json.loads(s)))
    shown["operation"] = [_op_label(o, lang) for o in shown["operation"]]
    shown["layer"] = [layer_label(name, lang) for name in shown["layer"]]
    return _columns(shown, lang)


def history(district: District, user: User, lang: str, *, masked: bool) -> None:
    """The file's edit log; undo and export of a past version for those who change boundaries."""
    with st.expander(t("edit.history", lang)):
        log = read_edit_log(district.path)
        if log.empty:
            st.caption(t("edit.history.empty", lang))
            return
        st.dataframe(_log_table(log, lang, masked=masked), hide_index=True, width="stretch")
        if not user.can(Action.EDIT_BOUNDARIES):
            return
        steps = st.number_input(
            t("edit.undo.steps", lang), 1, max(len(log), 1), 1, key="edit_undo_steps"
        )
        if st.button(t("edit.undo", lang), key="edit_undo"):
            try:
                guard.undo_edits(district, user, steps=int(steps))
            except AccessDenied as exc:
                guard.show_denied(exc, lang)
            except GridmapError as exc:
                loading.show_error(exc, lang, intro=t("edit.refused", lang))
            else:
                st.session_state[FLASH] = t("edit.undone", lang, n=int(steps))
                st.rerun()
        version = st.number_input(
            t("edit.export.version", lang), 0, int(log["edit_id"].max()), 0, key="edit_version"
        )
        if st.button(t("edit.export", lang), key="edit_export"):
            name = f"{Path(district.path).stem}_v{int(version)}.gpkg"
            try:
                data = version_bytes(district, int(version))
            except GridmapError as exc:
                loading.show_error(exc, lang, intro=t("edit.refused", lang))
            else:
                guard.download(
                    user,
                    t("edit.export.download", lang, name=name),
                    data,
                    file_name=name,
                    public=False,
                    key="edit_download",
                )
