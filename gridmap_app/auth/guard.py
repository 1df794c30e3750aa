"""Asking before acting: every save, undo, import and export of the app goes through here.

`save` and `commit` check the signed-in user's role and grids with
`gridmap.analysis.access.authorize_edit` on the FULL district (never a
masked view), save through the existing path, attribute the edit to the
user (``张三 (zhang)``), never to a typed name, and audit the outcome.
Refusals raise `AccessDenied`, which the pages show with `show_denied`.
`allow_page` refuses a page to a role that may not use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import streamlit as st

from gridmap.analysis.access import action_of_import, authorize, authorize_edit
from gridmap.analysis.editing import EditReview
from gridmap.district import District
from gridmap.errors import AccessDenied, GridmapError
from gridmap.i18n import t
from gridmap.identity import Action, User
from gridmap.io import save_edit, undo
from gridmap.layers import Edit
from gridmap.schema import GRID_LEVELS
from gridmap.tasks import commit_edits
from gridmap_app.auth.trail import record


def role_name(user: User, lang: str) -> str:
    """The user's role in `lang` (系统管理员 / administrator)."""
    return user.role.en if lang == "en" else user.role.zh


def allow_page(user: User, actions: Iterable[Action], lang: str, *, page: str) -> None:
    """Stop the page with a refusal unless `user` may do one of `actions` (audited)."""
    needed = list(actions)
    if any(user.can(a) for a in needed):
        return
    record("denied", user, outcome="denied", detail=f"page {page}")
    st.error(t("auth.page_refused", lang, role=role_name(user, lang)))
    st.stop()


def show_denied(exc: AccessDenied, lang: str) -> None:
    """A refusal as a readable message (no traceback)."""
    st.error(t("auth.denied", lang) + "  \n" + str(exc))


def _ids(edit: Edit) -> list[str]:
    return [str(i) for i in edit.affected_ids()]


def _grids(edit: Edit) -> list[str]:
    """The grids an edit touches: its own ids for grid layers, else the rows' grid ids."""
    if edit.layer in GRID_LEVELS:
        return _ids(edit)
    found: list[str] = []
    for frame in (edit.removed, edit.added):
        for column in ("grid_id", "large_id"):
            if column in frame:
                found += [str(g) for g in frame[column].dropna()]
    return list(dict.fromkeys(found))


def _detail(edit: Edit) -> str:
    ids = _ids(edit)
    shown = ", ".join(ids[:20]) + (f" (+{len(ids) - 20})" if len(ids) > 20 else "")
    return f"{edit.layer} {edit.operation} {shown}".strip()


def _attributed(edit: Edit, user: User) -> Edit:
    return dataclasses.replace(edit, user=user.label)


def _audited_check(user: User, edits: Sequence[Edit], district: District) -> None:
    for edit in edits:
        try:
            authorize_edit(user, edit, district)
        except AccessDenied:
            record("save", user, outcome="denied", grids=_grids(edit), detail=_detail(edit))
            raise


def save(edit: Edit, district: District, user: User) -> District:
    """Save `edit` to the full `district` as `user`; `AccessDenied` when not allowed."""
    _audited_check(user, [edit], district)
    edit = _attributed(edit, user)
    try:
        saved = save_edit(district, edit)
    except GridmapError as exc:
        record("save", user, outcome="failed", grids=_grids(edit), detail=f"{_detail(edit)}: {exc}")
        raise
    record("save", user, grids=_grids(edit), detail=_detail(edit))
    return saved


def commit(
    edits: Sequence[Edit],
    district: District,
    user: User,
    *,
    review: EditReview,
    reason: str | None,
    accept_findings: bool,
) -> District:
    """Save reviewed boundary edits (`gridmap.tasks.commit_edits`) as `user`, audited."""
    _audited_check(user, edits, district)
    grids = [g for e in edits for g in _grids(e)]
    detail = "; ".join(_detail(e) for e in edits)
    try:
        saved, _ = commit_edits(
            district,
            list(edits),
            user=user.label,
            reason=reason,
            accept_findings=accept_findings,
            review=review,
        )
    except GridmapError as exc:
        record("save", user, outcome="failed", grids=grids, detail=f"{detail}: {exc}")
        raise
    record("save", user, grids=grids, detail=detail)
    return saved


def undo_edits(district: District, user: User, *, steps: int) -> District:
    """Undo the last `steps` edits as `user` (needs EDIT_BOUNDARIES), audited."""
    try:
        authorize(user, Action.EDIT_BOUNDARIES)
    except AccessDenied:
        record("undo", user, outcome="denied", detail=f"{steps} step(s)")
        raise
    try:
        saved = undo(district, steps=steps, user=user.label)
    except GridmapError as exc:
        record("undo", user, outcome="failed", detail=f"{steps} step(s): {exc}")
        raise
    record("undo", user, detail=f"{steps} step(s)")
    return saved


def authorize_import(user: User, layer: str, target: str) -> None:
    """`AccessDenied` (audited) unless `user` may import `layer` (an administrator may any)."""
    if user.can(Action.IMPORT_ANY):
        return
    try:
        authorize(user, action_of_import(layer))
    except AccessDenied:
        record("import", user, outcome="denied", detail=f"{layer} into {target}")
        raise


def exported(user: User, what: str, *, public: bool, grids: Iterable[str] = ()) -> None:
    """Audit one download (what it was, and whether it was the public version)."""
    shown = "public" if public else "personal data as the role allows"
    record("export", user, grids=grids, detail=f"{what} ({shown})")


def download(
    user: User,
    label: str,
    data: bytes | str,
    *,
    file_name: str,
    public: bool,
    key: str,
    mime: str | None = None,
    container: object = st,
) -> None:
    """A download button whose click is audited as an export."""
    button = getattr(container, "download_button")  # noqa: B009  (st or a column)
    button(
        label,
        data,
        file_name=file_name,
        mime=mime,
        key=key,
        on_click=exported,
        args=(user, file_name),
        kwargs={"public": public},
    )
