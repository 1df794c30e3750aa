"""Writing the audit trail from the app: one call per sign-in, view, export, save or change.

Every event goes to the append-only log of `gridmap.io.audit` in the
GridMap home. Views of personal data are recorded once per grid and session.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from gridmap.identity import User, event
from gridmap.io.audit import AuditLog

#: Session key of the grids whose personal data this session has already been shown.
VIEWED = "_auth_viewed"


def record(
    action: str,
    user: User | None,
    *,
    outcome: str = "ok",
    grids: Iterable[str] = (),
    detail: str = "",
    name: str = "",
) -> None:
    """Append one event (`name`: the typed account of a failed sign-in)."""
    AuditLog().append(event(action, user, outcome=outcome, grids=grids, detail=detail, name=name))


def viewed_personal(user: User, grids: Iterable[str], *, detail: str = "") -> None:
    """Record that `user` was shown the personal data of `grids` (once per grid and session)."""
    seen: set[str] = st.session_state.setdefault(VIEWED, set())
    new = [g for g in dict.fromkeys(str(g) for g in grids) if g not in seen]
    if not new:
        return
    seen.update(new)
    record("view_personal", user, grids=new, detail=detail)
