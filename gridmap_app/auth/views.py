"""Views: what a signed-in user is shown, as a plain string the caches are keyed on.

Streamlit's caches are shared by every session, so anything cached that
holds personal data is keyed on the view it was masked for: ``full``
(administrator, planner, staff for the whole district), ``none`` (a viewer:
every personal field masked), ``grids:L1,M3`` (a grid leader or staff bound
to grids: their subtrees in full, the rest masked) or ``public`` (an export
without personal fields). Users with the same view share one masked copy.
"""

from __future__ import annotations

from gridmap.analysis.access import FULL, NONE, Scope, mask_district, subtree
from gridmap.district import District
from gridmap.identity import User

FULL_VIEW = "full"
NO_PERSONAL = "none"
PUBLIC = "public"
_GRIDS = "grids:"


def view_of(user: User, *, public: bool = False) -> str:
    """The view `user` is shown (``public``: the export without personal fields).

    >>> from gridmap.identity import Role
    >>> view_of(User("z", Role.GRID_LEADER, grids=("M3", "M1"))), view_of(User("v", Role.VIEWER))
    ('grids:M1,M3', 'none')
    """
    if public:
        return PUBLIC
    if not user.sees_personal_data:
        return NO_PERSONAL
    if user.district_wide:
        return FULL_VIEW
    return _GRIDS + ",".join(sorted(set(user.grids)))


def scope_of_view(view: str, district: District) -> Scope:
    """The `Scope` a view shows in full (nothing for ``none`` and ``public``)."""
    if view == FULL_VIEW:
        return FULL
    if view.startswith(_GRIDS):
        grids = [g for g in view[len(_GRIDS) :].split(",") if g]
        return Scope(everything=False, grids=subtree(district, grids))
    if view in (NO_PERSONAL, PUBLIC):
        return NONE
    raise ValueError(f"unknown view {view!r}; views are full, none, public or grids:ID,ID")


def shown_district(district: District, view: str) -> District:
    """`district` as `view` shows it (the district itself for ``full``)."""
    return mask_district(district, scope_of_view(view, district), public=view == PUBLIC)


def covers(view: str, district: District, grid_id: str) -> bool:
    """Whether `view` shows grid `grid_id`'s personal data in full."""
    return scope_of_view(view, district).covers(grid_id)
