"""The five roles of the plan's responsible parties and what each may do.

The plan hands the grids down level by level (逐级分包): district and
department heads take large grids, town leaders medium grids, town staff
small grids. GridMap's roles follow it:

- administrator 系统管理员: sees everything; changes users, roles and all data.
- planner 规划人员: sees all grids; changes boundaries and attributes, imports grids.
- grid_leader 网格负责人: sees own grids in full and the rest masked; records
  inspections, hazards, trainings, drills and meetings, and changes contacts there.
- staff 工作人员: as a grid leader (or for the whole district), and saves siting proposals.
- viewer 查看: sees maps, counts, findings and scores, personal data masked; changes nothing.

>>> Role.PLANNER.can(Action.EDIT_BOUNDARIES), Role.VIEWER.can(Action.EXPORT)
(True, True)
>>> Role.GRID_LEADER.can(Action.EDIT_BOUNDARIES)
False
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """What a user may be allowed to do; the app and the CLI ask `Role.can` before each."""

    VIEW = "view"
    EXPORT = "export"
    #: draw, split, merge, reshape, delete, grid attributes, undo
    EDIT_BOUNDARIES = "edit_boundaries"
    EDIT_CONTACTS = "edit_contacts"  # leader, phone and members of grids (scoped roles: own grids)
    RECORD_INSPECTIONS = "record_inspections"
    RECORD_HAZARDS = "record_hazards"
    RECORD_PLAN = "record_plan"  # trainings, drills, joint meetings
    SITE_EQUIPMENT = "site_equipment"  # save a siting result as proposed equipment points
    IMPORT_GRIDS = "import_grids"  # import the three grid layers
    IMPORT_ANY = "import_any"  # import any layer
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"


class Role(StrEnum):
    """A user's role; its value is what the user store and the audit log record."""

    ADMINISTRATOR = "administrator"
    PLANNER = "planner"
    GRID_LEADER = "grid_leader"
    STAFF = "staff"
    VIEWER = "viewer"

    @property
    def zh(self) -> str:
        """The role's Chinese name (系统管理员, 规划人员 ...)."""
        return ROLE_LABELS[self][0]

    @property
    def en(self) -> str:
        """The role's English name."""
        return ROLE_LABELS[self][1]

    def can(self, action: Action) -> bool:
        """Whether the role allows `action` at all (scoped roles: inside their grids only)."""
        return action in PERMISSIONS[self]

    @property
    def scoped(self) -> bool:
        """True for the roles bound to grids (grid leader, staff)."""
        return self in SCOPED_ROLES


#: Role -> (Chinese, English) names, as the user list and the audit log show them.
ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.ADMINISTRATOR: ("系统管理员", "administrator"),
    Role.PLANNER: ("规划人员", "planner"),
    Role.GRID_LEADER: ("网格负责人", "grid leader"),
    Role.STAFF: ("工作人员", "staff"),
    Role.VIEWER: ("查看", "viewer"),
}

_RECORDS = frozenset(
    {Action.RECORD_INSPECTIONS, Action.RECORD_HAZARDS, Action.RECORD_PLAN, Action.EDIT_CONTACTS}
)

#: What each role may do.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: frozenset(Action),
    Role.PLANNER: frozenset(
        {
            Action.VIEW,
            Action.EXPORT,
            Action.EDIT_BOUNDARIES,
            Action.EDIT_CONTACTS,
            Action.IMPORT_GRIDS,
        }
    ),
    Role.GRID_LEADER: frozenset({Action.VIEW, Action.EXPORT}) | _RECORDS,
    Role.STAFF: frozenset({Action.VIEW, Action.EXPORT, Action.SITE_EQUIPMENT}) | _RECORDS,
    Role.VIEWER: frozenset({Action.VIEW, Action.EXPORT}),
}

#: Roles bound to grids: they see their grids' personal data and change records only there.
SCOPED_ROLES: frozenset[Role] = frozenset({Role.GRID_LEADER, Role.STAFF})


def parse_role(text: str) -> Role:
    """Return the role named by `text`: its code (``planner``) or its Chinese name (规划人员).

    >>> parse_role("规划人员"), parse_role(" Staff ")
    (<Role.PLANNER: 'planner'>, <Role.STAFF: 'staff'>)
    """
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    for role in Role:
        if key in (role.value, role.zh) or text.strip() == role.zh:
            return role
    known = ", ".join(f"{r.value} ({r.zh})" for r in Role)
    raise ValueError(f"unknown role {text!r}; the roles are: {known}")
