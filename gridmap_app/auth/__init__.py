"""Sign-in, roles and masking in the app (issue 16).

Modules: `gate` (the sign-in gate `require`, the modes local / proxy / oidc
and the demo mode, the sidebar's user box), `views` (what a user is shown,
as the plain string the caches are keyed on), `guard` (every save, undo,
import and export checked against the user's role and grids, and audited)
and `trail` (writing the audit log). The rules themselves are
`gridmap.identity` and `gridmap.analysis.access`; the user store and the
audit log are `gridmap.io.accounts` and `gridmap.io.audit`.
"""

from gridmap_app.auth.gate import AUTH, DEMO_USERS, demo_mode, require, user_box
from gridmap_app.auth.views import view_of

__all__ = ["AUTH", "DEMO_USERS", "demo_mode", "require", "user_box", "view_of"]
