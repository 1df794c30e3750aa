"""Asking before acting: may this user do this, on these grids, with this edit.

`authorize` raises `AccessDenied` with a sentence the user can read;
`action_of_edit` says which `Action` an `Edit` needs (a boundary change, a
contact change, a recorded inspection ...); `authorize_edit` checks both the
role and, for grid leaders and staff, that every row the edit removes or adds
lies inside their grids.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from gridmap.analysis.access.scope import rows_in_scope, scope_of, subtree
from gridmap.district import District
from gridmap.errors import AccessDenied
from gridmap.identity.roles import Action, Role  # noqa: F401  (Role: doctest)
from gridmap.identity.users import User
from gridmap.layers.edits import Edit
from gridmap.schema import GRID_LEVELS

#: Grid fields a contact change may touch (the rest of a grid is a boundary change).
CONTACT_FIELDS: frozenset[str] = frozenset({"leader", "phone", "members"})

#: Layer -> the action recording in it needs.
LAYER_ACTION: dict[str, Action] = {
    "inspections": Action.RECORD_INSPECTIONS,
    "hazards": Action.RECORD_HAZARDS,
    "trainings": Action.RECORD_PLAN,
    "drills": Action.RECORD_PLAN,
    "meetings": Action.RECORD_PLAN,
    "emergency_plans": Action.RECORD_PLAN,
    "fire_teams": Action.RECORD_PLAN,
    "equipment_points": Action.SITE_EQUIPMENT,
}

#: What each action is called in a refusal.
ACTION_TEXT: dict[Action, str] = {
    Action.VIEW: "view the district",
    Action.EXPORT: "export",
    Action.EDIT_BOUNDARIES: "change grid boundaries and attributes",
    Action.EDIT_CONTACTS: "change grid leaders and phones",
    Action.RECORD_INSPECTIONS: "record inspections",
    Action.RECORD_HAZARDS: "record hazards",
    Action.RECORD_PLAN: "record trainings, drills and meetings",
    Action.SITE_EQUIPMENT: "save equipment siting proposals",
    Action.IMPORT_GRIDS: "import grid layers",
    Action.IMPORT_ANY: "import layers",
    Action.MANAGE_USERS: "manage users",
    Action.VIEW_AUDIT: "read the audit log",
}


def _refuse(user: User, action: Action, why: str = "") -> AccessDenied:
    text = f"{user.label} ({user.role.zh} {user.role.en}) may not {ACTION_TEXT[action]}"
    return AccessDenied(f"{text}{why}. Nothing was changed; ask an administrator if you need it.")


def authorize(
    user: User, action: Action, district: District | None = None, grids: Iterable[str] = ()
) -> None:
    """Raise `AccessDenied` unless `user` may do `action` (on `grids`, for scoped roles).

    Examples
    --------
    >>> authorize(User("p", Role.PLANNER), Action.EDIT_BOUNDARIES)
    >>> authorize(User("v", Role.VIEWER), Action.RECORD_HAZARDS)
    Traceback (most recent call last):
    ...
    gridmap.errors.AccessDenied: v (查看 viewer) may not record hazards. Nothing was changed; ...
    """
    if not user.can(action):
        raise _refuse(user, action)
    grids = [str(g) for g in grids]
    if not grids or user.district_wide or not user.role.scoped or district is None:
        return
    own = subtree(district, user.grids)
    outside = [g for g in grids if g not in own]
    if outside:
        raise _refuse(user, action, f" in {', '.join(outside[:5])}: outside the user's grids")


def _changed_fields(edit: Edit) -> set[str]:
    id_field = edit.id_field
    before = edit.removed.set_index(id_field) if id_field in edit.removed else pd.DataFrame()
    after = edit.added.set_index(id_field) if id_field in edit.added else pd.DataFrame()
    if len(before) != len(after) or set(before.index) != set(after.index):
        return {"*"}  # rows added or removed: a boundary change
    changed: set[str] = set()
    after = after.loc[before.index]
    for column in set(before.columns) | set(after.columns):
        if column not in before or column not in after:
            changed.add(column)
            continue
        left = pd.Series(before[column].to_numpy(dtype=object))
        if not left.equals(pd.Series(after[column].to_numpy(dtype=object))):
            changed.add(column)
    return changed


def action_of_edit(edit: Edit) -> Action:
    """Return the action an edit needs: recording in a record layer, or a change of the grids.

    A grid edit that changes only leaders, phones and members is a contact change.

    Examples
    --------
    >>> medium = district["grid_medium"].iloc[:1]
    >>> action_of_edit(Edit("grid_medium", "attributes", medium, medium.assign(phone="110")))
    <Action.EDIT_CONTACTS: 'edit_contacts'>
    >>> action_of_edit(Edit("grid_medium", "attributes", medium, medium.assign(name="新社区")))
    <Action.EDIT_BOUNDARIES: 'edit_boundaries'>
    """
    if edit.layer in GRID_LEVELS:
        changed = _changed_fields(edit)
        return (
            Action.EDIT_CONTACTS
            if changed and changed <= CONTACT_FIELDS
            else Action.EDIT_BOUNDARIES
        )
    return LAYER_ACTION.get(edit.layer, Action.IMPORT_ANY)


def action_of_import(layer: str) -> Action:
    """Return what importing `layer` needs: the grid layers IMPORT_GRIDS, any other IMPORT_ANY.

    Examples
    --------
    >>> action_of_import("grid_small"), action_of_import("households")
    (<Action.IMPORT_GRIDS: 'import_grids'>, <Action.IMPORT_ANY: 'import_any'>)
    """
    return Action.IMPORT_GRIDS if layer in GRID_LEVELS else Action.IMPORT_ANY


def authorize_edit(user: User, edit: Edit, district: District) -> None:
    """Raise `AccessDenied` unless `user` may save `edit` to `district`.

    Scoped roles (grid leader, staff with grids) must have every removed and
    added row inside their grids; a refusal names the rows outside.

    Examples
    --------
    金华社区's leader may change its own phone, not a neighbour's:

    >>> from gridmap.identity import User
    >>> leader = User("zhao", Role.GRID_LEADER, grids=("410106001001",))
    >>> medium = district["grid_medium"]
    >>> own, other = medium.iloc[:1], medium.iloc[1:2]
    >>> def phone(rows):
    ...     return Edit("grid_medium", "attributes", rows, rows.assign(phone="110"))
    >>> authorize_edit(leader, phone(own), district)
    >>> authorize_edit(leader, phone(other), district)
    Traceback (most recent call last):
    ...
    gridmap.errors.AccessDenied: zhao (网格负责人 grid leader) may not change grid leaders ...
    """
    action = action_of_edit(edit)
    authorize(user, action)
    if user.district_wide or not user.role.scoped:
        return
    scope = scope_of(user, district)
    outside: list[str] = []
    for frame in (edit.removed, edit.added):
        if len(frame):
            inside = rows_in_scope(district, edit.layer, frame, scope)
            ids = (
                frame[edit.id_field].astype(str).to_numpy()
                if edit.id_field in frame
                else np.array([])
            )
            outside += [str(i) for i in ids[~inside]]
    if outside:
        shown = ", ".join(dict.fromkeys(outside[:5]))
        raise _refuse(user, action, f" for {edit.layer} {shown}: outside the user's grids")
