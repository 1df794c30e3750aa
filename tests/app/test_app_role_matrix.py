"""Each role on each page (issue 16): the page runs, refuses what the role may not use, and
shows no full phone number the role may not see.

What a role may see is computed independently of the app: the phones left unmasked by
`mask_district` for the role's scope (all of them for an administrator, a planner and staff
bound to no grid; 金华社区's for its leader; none for a viewer). Every full phone found on the
page (texts, tables, metrics, options, map scripts) must be one of those.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _app_support import ACCOUNTS, ROOT, run_page
from test_app_viewer_leak import leaks, page_text

from gridmap.analysis.access import PHONE_FIELDS, mask_district, personal_fields, scope_of
from gridmap.identity import Role, User
from gridmap.io import read_district

PAGES = (
    "coverage_map",
    "edit_grids",
    "inspections",
    "equipment",
    "plan_records",
    "assessment",
    "export",
    "import_data",
    "admin",
)
ROLES = ("admin", "planner", "leader", "staff", "viewer")
#: Pages a role may not open at all: the page says so and stops.
REFUSED = {
    "admin": {"planner", "leader", "staff", "viewer"},
    "import_data": {"leader", "staff", "viewer"},
}


def _phones(district, user: User | None) -> set[str]:
    shown = district if user is None else mask_district(district, scope_of(user, district))
    found: set[str] = set()
    for name, frame in shown.layers.items():
        for field in personal_fields(name):
            if field in PHONE_FIELDS and field in frame:
                found |= {str(p) for p in frame[field].dropna() if "*" not in str(p)}
    return found


@pytest.fixture(scope="module")
def allowed(sample: Path) -> dict[str, set[str]]:
    district = read_district(sample)
    out = {}
    for name in ROLES:
        role, grids, display = ACCOUNTS[name]
        out[name] = _phones(district, User(name, Role(role), grids=grids, display=display))
    out["all"] = _phones(district, None)
    return out


def test_the_scopes_differ(allowed: dict[str, set[str]]) -> None:
    assert allowed["admin"] == allowed["planner"] == allowed["staff"] == allowed["all"]
    assert 0 < len(allowed["leader"]) < len(allowed["all"]) and allowed["viewer"] == set()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_each_page(
    page: str, role: str, sample: Path, allowed: dict[str, set[str]]
) -> None:
    at = run_page(ROOT / "pages" / f"{page}.py", user=role)
    text = page_text(at)
    if role in REFUSED.get(page, set()):
        assert at.error, f"{page} should refuse {role}"
        assert ACCOUNTS[role][2] in text or role in text  # the refusal names the user
        return
    assert not [e.value for e in at.error], f"{page} as {role}"
    shown = set(leaks(text, allowed["all"]))
    assert shown <= allowed[role], sorted(shown - allowed[role])[:5]


def test_the_search_finds_phones_where_they_are_shown(allowed: dict[str, set[str]]) -> None:
    """The control: the coverage page of a leader's community carries phones, in full for
    its leader, so an empty search above is not an accident of the page."""
    from _app_support import LEADER_GRID

    state = {"sel_large": LEADER_GRID[:9], "sel_medium": LEADER_GRID}
    found = {}
    for role in ("admin", "leader", "viewer"):
        text = page_text(run_page(ROOT / "pages" / "coverage_map.py", user=role, **state))
        found[role] = set(leaks(text, allowed["all"]))
    assert found["admin"] and found["leader"] and found["leader"] <= allowed["leader"]
    assert found["viewer"] == set()
