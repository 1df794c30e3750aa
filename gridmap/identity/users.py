"""A user as the access rules see it: a name, a role, and the grids it is bound to."""

from __future__ import annotations

from dataclasses import dataclass

from gridmap.identity.roles import Action, Role


@dataclass(frozen=True)
class User:
    """One account: `name` signs in, `role` says what it may do, `grids` where.

    `grids` are grid ids of any level (a town ``L1``, a community ``M3``, a zone
    ``S12``); a user bound to a grid sees and changes its whole subtree. A
    grid leader has at least one grid; staff without grids work for the whole
    district; the other roles ignore `grids`. `display` is the name shown and
    recorded beside `name` (张三); `source` says how the user signed in
    (``local``, ``proxy``, ``oidc``, ``demo``, ``cli``).

    >>> User("zhang", Role.GRID_LEADER, grids=("M1",)).district_wide
    False
    >>> User("li", Role.STAFF).district_wide, User("wang", Role.PLANNER).district_wide
    (True, True)
    """

    name: str
    role: Role
    grids: tuple[str, ...] = ()
    display: str = ""
    source: str = "local"

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a user needs a name")
        if self.role is Role.GRID_LEADER and not self.grids:
            raise ValueError(
                f"grid leader {self.name!r} is bound to no grid; give the grids it leads "
                "(--grid M1 --grid M2)"
            )

    @property
    def label(self) -> str:
        """``张三 (zhang)``, or the name alone when there is no display name."""
        shown = self.display.strip()
        return f"{shown} ({self.name})" if shown and shown != self.name else self.name

    @property
    def district_wide(self) -> bool:
        """Whether the user's grids are the whole district.

        True for an administrator, a planner and staff bound to no grid; a
        viewer is district-wide too but sees no personal data.
        """
        if self.role.scoped:
            return not self.grids
        return True

    @property
    def sees_personal_data(self) -> bool:
        """Whether the user may see any personal data at all (a viewer never does)."""
        return self.role is not Role.VIEWER

    def can(self, action: Action) -> bool:
        """Whether the role allows `action` (inside the user's grids for scoped roles)."""
        return self.role.can(action)


#: The user the CLI acts as: the OS user, a local administrator of the machine's files.
def cli_user(os_user: str) -> User:
    """Return the user the CLI records: the OS account running it, as an administrator.

    >>> cli_user("root").label, cli_user("root").source
    ('root', 'cli')
    """
    return User(os_user or "unknown", Role.ADMINISTRATOR, source="cli")
