"""Access: what a signed-in user sees and may change (roles scoped to grids, masked personal data).

The plan's responsible parties work level by level (逐级分包): a grid leader
or staff member is bound to grids (`gridmap.identity.User.grids`) and sees
their subtree in full and the rest of the district with personal data masked
(`scope_of`, `mask_district`); a viewer sees no personal data; a public
export has none at all. The checks and maps over a masked view still count
everything: only what is shown changes. Changes are allowed by role and, for
scoped roles, only inside their grids (`authorize`, `authorize_edit`). Who
the users are, their roles and passwords are `gridmap.identity`.

>>> from gridmap.identity import Role, User
>>> from gridmap.demo import build_demo_district
>>> from gridmap.district import District
>>> layers = build_demo_district()
>>> district = District(layers, layers["grid_small"].crs)
>>> town = district["grid_large"]["grid_id"].iloc[0]
>>> leader = User("zhang", Role.GRID_LEADER, grids=(town,))
>>> scope_of(leader, district).covers(town), scope_of(User("v", Role.VIEWER), district).empty
(True, True)
>>> shown = mask_district(district, scope_of(User("v", Role.VIEWER), district))
>>> shown.masked, shown["households"]["phone"].iloc[0]
(True, '150****0865')

Modules
-------
`scope`
    `Scope`, `scope_of`, `subtree`, `rows_in_scope`: which rows a user sees in full.
`masking`
    `mask_phone`, `mask_name`, `mask_text`, `mask_layer`, `mask_district`, `personal_fields`.
`rules`
    `authorize`, `authorize_edit`, `action_of_edit`, `action_of_import`: may this user do it?
"""

from __future__ import annotations

from gridmap.analysis.access.masking import (
    PHONE_FIELDS,
    mask_district,
    mask_layer,
    mask_name,
    mask_phone,
    mask_text,
    personal_fields,
)
from gridmap.analysis.access.rules import (
    CONTACT_FIELDS,
    action_of_edit,
    action_of_import,
    authorize,
    authorize_edit,
)
from gridmap.analysis.access.scope import FULL, NONE, Scope, rows_in_scope, scope_of, subtree

__all__ = [
    "CONTACT_FIELDS",
    "FULL",
    "NONE",
    "PHONE_FIELDS",
    "Scope",
    "action_of_edit",
    "action_of_import",
    "authorize",
    "authorize_edit",
    "mask_district",
    "mask_layer",
    "mask_name",
    "mask_phone",
    "mask_text",
    "personal_fields",
    "rows_in_scope",
    "scope_of",
    "subtree",
]
