"""Helpers for the app tests: paths, the sample district and a district with findings."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from streamlit.testing.v1 import AppTest

#: Debian's Chromium and the flags it needs here (no sandbox as root, no network of its own).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

ROOT = Path(__file__).resolve().parents[1]

#: Siting options the equipment page's tests run with (the page's cached `run_siting`).
SITING = {
    "model": "mclp",
    "count": 2,
    "radius": 300.0,
    "demand": "households",
    "candidates": "auto",
    "keep": True,
    "pilot_min": False,
}
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"


def make_broken_layers() -> dict[str, pd.DataFrame]:
    """The tiny district with one of most coverage problems (see tests/conftest.py).

    S2 stops at y=90 (a gap in M1 holding building B5 and unit U3); S3 reaches
    x=210 (overlapping S4, outside M2); S4 has no leader; household H4 names an
    unknown building.
    """
    from conftest import make_tiny_layers, pt, rect

    layers = make_tiny_layers()
    small = layers["grid_small"]
    small.loc[small["grid_id"] == "S2", "geometry"] = rect(0, 50, 100, 90)
    small.loc[small["grid_id"] == "S3", "geometry"] = rect(100, 0, 210, 100)
    small.loc[small["grid_id"] == "S4", "leader"] = None
    buildings = layers["buildings"]
    layers["buildings"] = pd.concat(
        [
            buildings,
            gpd.GeoDataFrame(
                {
                    "building_id": ["B5"],
                    "use": ["residential"],
                    "floors": [2],
                    "households_expected": [2],
                },
                geometry=[rect(40, 92, 60, 98)],
                crs=buildings.crs,
            ),
        ],
        ignore_index=True,
    )
    units = layers["units"]
    layers["units"] = pd.concat(
        [
            units,
            gpd.GeoDataFrame(
                {
                    "unit_id": ["U3"],
                    "name": ["朝阳小吃店"],
                    "category": ["street_shop"],
                    "building_id": ["B5"],
                },
                geometry=[pt(70, 95)],
                crs=units.crs,
            ),
        ],
        ignore_index=True,
    )
    households = layers["households"]
    layers["households"] = pd.concat(
        [
            households,
            gpd.GeoDataFrame(
                {"household_id": ["H4"], "building_id": ["B9"], "members": [1]},
                geometry=[pt(300, 50)],
                crs=households.crs,
            ),
        ],
        ignore_index=True,
    )
    return layers


def ensure_sample(folder: Path) -> Path:
    """The sample district: the bundled file, or one generated into `folder`.

    When generated, ``GRIDMAP_SAMPLE`` points the app at it (the app reads it
    on every run), so tests never write into the repository.
    """
    import os

    if SAMPLE.is_file():
        return SAMPLE
    from gridmap.demo import DEMO_NAME, build_demo_district
    from gridmap.io import write_layers

    path = folder / "shangjie_demo.gpkg"
    if not path.is_file():
        write_layers(path, build_demo_district(), name=DEMO_NAME)
    os.environ["GRIDMAP_SAMPLE"] = str(path)
    return path


def run_page(page: Path, *, timeout: int = 600, user: str | None = "admin", **state) -> AppTest:
    """Run a page (or app.py) as `user` with `state` in the session; fail on any exception.

    `user` is one of `ACCOUNTS` (default: an administrator); None runs it signed out.
    """
    at = sign_in(AppTest.from_file(str(page), default_timeout=timeout), user)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# -- signed-in sessions (issue 16) --------------------------------------------------------------
#: The community of the sample a test grid leader is bound to (金华社区).
LEADER_GRID = "410106001001"
#: The password of every test account (never a real one).
PASSWORD = "correct horse 2026"
#: Test accounts: name -> (role, grids, display name). The first is the administrator the
#: store needs first; the Chinese names are the authors the older tests typed in by hand.
ACCOUNTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "admin": ("administrator", (), "管理员"),
    "planner": ("planner", (), "规划人员"),
    "leader": ("grid_leader", (LEADER_GRID,), "社区负责人"),
    "tiny-leader": ("grid_leader", ("M1",), "朝阳负责人"),
    "staff": ("staff", (), "工作人员"),
    "viewer": ("viewer", (), "查看人员"),
    "规划员": ("planner", (), ""),
    "甲": ("planner", (), ""),
    "组长": ("planner", (), ""),
    "王芳": ("staff", (), ""),
    "测试员": ("staff", (), ""),
}
_MADE: set[str] = set()


def ensure_accounts() -> None:
    """The test accounts in the user store of ``$GRIDMAP_HOME`` (made once: Argon2 is slow)."""
    import os

    from gridmap.identity import Role, User
    from gridmap.io.accounts import UserStore

    home = os.environ.get("GRIDMAP_HOME", "")
    assert home, "tests/conftest.py sets GRIDMAP_HOME for the session"
    if home in _MADE:
        return
    store = UserStore()
    have = {a.user.name for a in store.accounts()}
    for name, (role, grids, display) in ACCOUNTS.items():
        if name not in have:
            store.add(User(name, Role(role), grids=grids, display=display), PASSWORD)
    _MADE.add(home)


def signed_in(name: str = "admin", *, source: str = "local", idle_minutes: float = 0) -> dict:
    """The session of `name` signed in (what the gate keeps: name, source, last seen)."""
    from gridmap import clock

    if source == "local":
        ensure_accounts()
    seen = clock.now_in_shanghai() - pd.Timedelta(minutes=idle_minutes)
    return {"name": name, "source": source, "last_seen": seen.isoformat()}


def sign_in(at: AppTest, user: str | None = "admin") -> AppTest:
    """Put `user`'s signed-in session into `at` (None: nobody signed in)."""
    if user is not None:
        at.session_state["_auth"] = signed_in(user)
    return at
