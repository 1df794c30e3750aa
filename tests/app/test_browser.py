"""Real-browser test: the app on 127.0.0.1, Debian's Chromium, and no network.

Starts ``streamlit run app.py`` on a free loopback port, drives /usr/bin/chromium
through Playwright's Python package (never a downloaded browser), aborts every
request that is not for the app's own address, and checks that the coverage map
draws the grid polygons from the locally served Leaflet, that a click on a grid
selects it, and that an uploaded broken file shows a readable error. The page is
saved to artifacts/screenshots/coverage_map.png. Every test signs in through the
real form first (issue 16); a community leader and a viewer compare what each sees.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from _app_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LEADER_GRID,
    PASSWORD,
    ROOT,
    ensure_accounts,
    ensure_sample,
)

from gridmap.io import read_district
from gridmap.io.vendor import missing_vendor_assets
from gridmap.vendored import INSTALL_COMMAND

SCREENSHOT = ROOT / "artifacts" / "screenshots" / "coverage_map.png"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
START_TIMEOUT_S = 120
MAP_TIMEOUT_MS = 300_000  # the first run loads and checks the sample

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"{CHROMIUM} is absent (Debian package chromium; .ci/run installs it)",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"streamlit did not answer on {url}:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def app_url(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    missing = missing_vendor_assets(ROOT / "static" / "vendor")
    assert not missing, f"offline map assets missing ({missing[0]} ...); run: {INSTALL_COMMAND}"
    ensure_accounts()  # in the session's GRIDMAP_HOME, which the server inherits
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "GRIDMAP_SAMPLE": str(sample)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.enableStaticServing",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def page(app_url: str):
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    local = (app_url, app_url.replace("http://", "ws://"))

    def only_local(route) -> None:
        url = route.request.url
        if url.startswith(local):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1050}, locale="zh-CN")
        context.route("**/*", only_local)
        tab = context.new_page()
        tab.outside = outside
        try:
            yield tab
        finally:
            browser.close()


def _sign_in(page, app_url: str, name: str = "admin") -> None:
    """Open the app and sign in through the form (用户名, 密码, 登录)."""
    page.goto(app_url, wait_until="domcontentloaded")
    user = page.get_by_label("用户名", exact=True)
    user.wait_for(timeout=MAP_TIMEOUT_MS)
    # The sign-in page lists no pages (Streamlit would list pages/ by file name).
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.get_by_text("import data", exact=True).count() == 0
    user.fill(name)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=MAP_TIMEOUT_MS)


def _wait_for_map(page, at_least: int):
    frame = page.frame_locator(MAP_FRAME)
    paths = frame.locator("path.leaflet-interactive")
    deadline = time.monotonic() + MAP_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if paths.count() >= at_least:
            return frame
        page.wait_for_timeout(500)
    raise AssertionError(f"the map drew {paths.count()} paths, expected at least {at_least}")


def test_coverage_map_renders_offline(page, app_url: str, sample: Path) -> None:
    district = read_district(sample)
    grids = sum(len(district[level]) for level in ("grid_large", "grid_medium", "grid_small"))
    _sign_in(page, app_url)
    frame = _wait_for_map(page, grids)
    page.get_by_text("一张图").first.wait_for()
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert frame.locator(".gm-legend").count() == 1
    labels = frame.locator(".gm-lbl-large span").all_inner_texts()
    assert set(labels) <= set(district["grid_large"]["name"]) and labels
    page.wait_for_timeout(1500)  # let the labels and fitBounds settle for the picture
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert page.outside == [], f"requests left localhost: {page.outside[:5]}"


def _clickable_point(page, frame_handle, district) -> tuple[float, float]:
    """A screen point on a small grid where nothing (marker, label) lies above it."""
    from pyproj import Transformer

    to_web = Transformer.from_crs(district.crs, 4326, always_xy=True)
    box = page.locator(MAP_FRAME).bounding_box()
    for geometry in district["grid_small"].geometry.iloc[::7]:
        point = geometry.representative_point()
        lon, lat = to_web.transform(point.x, point.y)
        xy = frame_handle.evaluate(
            "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
            " const el = document.elementFromPoint(p.x, p.y);"
            " return el && el.tagName.toLowerCase() === 'path' ? [p.x, p.y] : null; }",
            [lat, lon],
        )
        if xy and 10 < xy[0] < box["width"] - 60 and 10 < xy[1] < box["height"] - 10:
            return box["x"] + xy[0], box["y"] + xy[1]
    raise AssertionError("no free spot on a small grid to click")


def test_a_click_on_a_grid_selects_it(page, app_url: str, sample: Path) -> None:
    district = read_district(sample)
    _sign_in(page, app_url)
    _wait_for_map(page, len(district["grid_small"]))
    page.wait_for_timeout(1000)
    handle = page.locator(MAP_FRAME).element_handle().content_frame()
    x, y = _clickable_point(page, handle, district)
    page.mouse.click(x, y)
    outline = page.frame_locator(MAP_FRAME).last.locator('path[stroke="#ff8c00"]')
    outline.first.wait_for(state="attached", timeout=MAP_TIMEOUT_MS)  # the selection, zoomed to
    large = district["grid_large"]
    titles = [f"{name} ({gid})" for name, gid in zip(large["name"], large["grid_id"], strict=True)]
    heading = page.locator("h4").filter(has_text="(").first
    heading.wait_for(timeout=60_000)
    assert heading.inner_text().strip() in titles
    assert page.outside == []


def test_an_uploaded_broken_file_shows_the_error(page, app_url: str, tmp_path: Path) -> None:
    broken = tmp_path / "坏文件.gpkg"
    broken.write_bytes(b"not a database at all")
    _sign_in(page, app_url)
    _wait_for_map(page, 1)  # the first run has finished
    page.locator('[data-testid="stRadioOption"]').get_by_text("上传 GeoPackage").click()
    uploader = page.locator('section[data-testid="stSidebar"] input[type="file"]')
    uploader.wait_for(state="attached", timeout=60_000)
    page.get_by_text("不超过 200 MB").first.wait_for()
    uploader.set_input_files(str(broken))
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="无法打开数据")
    alert.first.wait_for(timeout=120_000)
    text = alert.first.inner_text()
    assert "is not a GeoPackage" in text and "Traceback" not in text
    assert page.outside == []


def test_chromium_is_debians() -> None:
    """The browser is the system one; Playwright never downloaded its own."""
    assert shutil.which("chromium") in (CHROMIUM, None) or Path(CHROMIUM).exists()


def _screen_point(page, frame_handle, lat: float, lon: float) -> tuple[float, float]:
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = frame_handle.evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    return box["x"] + x, box["y"] + y


def test_a_line_drawn_with_the_mouse_reaches_the_edit_preview(
    page, app_url: str, sample: Path
) -> None:
    """What streamlit-folium's Draw control really returns drives the page (issue 5)."""
    from pyproj import Transformer

    district = read_district(sample)
    small = district["grid_small"]
    target = small.iloc[0]  # the form's default grid, which the map zooms to
    _sign_in(page, app_url)
    _wait_for_map(page, 1)  # the coverage page has run once
    page.locator('[data-testid="stSidebarNav"]').get_by_text("边界编辑").click()
    page.get_by_text("吸附容差").first.wait_for(timeout=MAP_TIMEOUT_MS)
    frame = _wait_for_map(page, 5)  # the map of the chosen grid's surroundings
    page.wait_for_timeout(1500)  # fitBounds on the chosen grid
    tool = frame.locator("a.leaflet-draw-draw-polyline")
    assert tool.count() == 1, "the split offers the line tool"
    handle = page.locator(MAP_FRAME).element_handle().content_frame()
    to_web = Transformer.from_crs(district.crs, 4326, always_xy=True)
    minx, _, maxx, _ = target.geometry.bounds
    middle = target.geometry.representative_point()
    ends = [to_web.transform(x, middle.y) for x in (minx - 30, maxx + 30)]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))  # the map's script, rebuilt after drawing
    tool.click()
    points = [_screen_point(page, handle, lat, lon) for lon, lat in ends]
    for x, y in points:
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
    page.mouse.click(*points[-1])  # a click on the last vertex finishes the line
    page.get_by_text("已绘制：LineString").first.wait_for(timeout=120_000)
    # after the rerun the drawing is still on the map, as GridMap's dashed layer
    dashed = page.frame_locator(MAP_FRAME).last.locator('path[stroke="#e67e22"]')
    dashed.first.wait_for(state="attached", timeout=60_000)
    page.get_by_role("button", name="预览").click()
    page.get_by_text("修改预览").first.wait_for(timeout=120_000)
    page.get_by_text(f"涉及网格：{target['grid_id']}").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    shot = SCREENSHOT.with_name("edit_grids.png")
    page.screenshot(path=str(shot), full_page=True)
    assert errors == [], errors
    assert page.outside == [], f"requests left localhost: {page.outside[:5]}"


def test_the_export_page_previews_and_downloads_the_pdf(
    page, app_url: str, sample: Path, tmp_path: Path
) -> None:
    """A leader opens 地图导出, makes the preview and downloads a PDF titled by the district."""
    _sign_in(page, app_url)
    _wait_for_map(page, 1)  # the coverage page has run once
    page.locator('[data-testid="stSidebarNav"]').get_by_text("地图导出").click()
    name = page.get_by_label("辖区名称")
    name.wait_for(timeout=MAP_TIMEOUT_MS)
    assert name.input_value() == "上街区"
    page.get_by_role("button", name="生成预览与 PDF").click()
    preview = page.locator('[data-testid="stImage"] img, [data-testid="stImageContainer"] img')
    preview.first.wait_for(timeout=180_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SCREENSHOT.with_name("export.png")), full_page=True)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="下载 PDF").click()
    target = tmp_path / "downloaded.pdf"
    info.value.save_as(target)
    assert target.read_bytes()[:5] == b"%PDF-"
    from gridmap.io.audit import AuditLog

    page.wait_for_timeout(1500)  # the click's callback runs on the server
    exports = AuditLog().read(action="export", user="admin")
    assert exports["detail"].str.startswith("gridmap_district.pdf").any(), "the click is audited"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "上街区消防安全网格图" in text
    assert page.outside == []


def test_the_compliance_map_draws_every_zone(page, app_url: str, sample: Path) -> None:
    """The schedule compliance map (polyline-encoded zones drawn by the GM runtime) shows
    every small grid, coloured, with no script error and nothing fetched from outside."""
    district = read_district(sample)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, app_url)
    _wait_for_map(page, 1)
    page.wait_for_timeout(2000)  # the signed-in coverage page's last rerun settles first
    page.locator('[data-testid="stSidebarNav"]').get_by_text("巡查与隐患").click()
    page.get_by_text("频次达标", exact=True).first.click()
    frame = _wait_for_map(page, len(district["grid_small"]))
    coloured = frame.locator('path.leaflet-interactive[fill="#ff9f1c"]')
    assert coloured.count() > 0, "some zones are late in the sample year"
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SCREENSHOT.with_name("compliance_map.png")), full_page=True)
    assert errors == [], errors
    assert page.outside == []


def _community_point(page, district, grid_id: str) -> tuple[float, float]:
    """A screen point on a small grid of community `grid_id` where a path lies on top."""
    from pyproj import Transformer

    to_web = Transformer.from_crs(district.crs, 4326, always_xy=True)
    small = district["grid_small"]
    handle = page.locator(MAP_FRAME).last.element_handle().content_frame()
    box = page.locator(MAP_FRAME).last.bounding_box()
    for geometry in small[small["parent_id"] == grid_id].geometry:
        point = geometry.representative_point()
        lon, lat = to_web.transform(point.x, point.y)
        xy = handle.evaluate(
            "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
            " const el = document.elementFromPoint(p.x, p.y);"
            " return el && el.tagName.toLowerCase() === 'path' ? [p.x, p.y] : null; }",
            [lat, lon],
        )
        if xy and 10 < xy[0] < box["width"] - 60 and 10 < xy[1] < box["height"] - 10:
            return box["x"] + xy[0], box["y"] + xy[1]
    raise AssertionError(f"no free spot on community {grid_id} to click")


def _open_community(page, app_url: str, name: str, district, grid_id: str) -> tuple[str, str]:
    """Sign in as `name`, click twice into the community (town, then community): the side
    panel's text and the map's HTML."""
    _sign_in(page, app_url, name)
    _wait_for_map(page, len(district["grid_small"]))
    page.wait_for_timeout(1000)
    medium = district["grid_medium"].set_index("grid_id").loc[grid_id]
    for title in (
        district["grid_large"].set_index("grid_id").loc[medium["parent_id"], "name"],
        medium["name"],
    ):
        page.mouse.click(*_community_point(page, district, grid_id))
        heading = page.locator("h4").filter(has_text=f"{title} (")
        heading.first.wait_for(timeout=MAP_TIMEOUT_MS)
        page.wait_for_timeout(1500)  # the map zooms to the selection
    panel = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    panel += "\n" + page.locator('section[data-testid="stSidebar"]').inner_text()
    html = page.locator(MAP_FRAME).last.element_handle().content_frame().content()
    html = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), html)
    return panel, html


def test_a_community_leader_and_a_viewer_see_different_things(
    page, app_url: str, sample: Path
) -> None:
    """Signed in through the form: the leader sees the own community's leader and phone in
    full and the neighbours masked; the viewer sees everything masked."""
    district = read_district(sample)
    mediums = district["grid_medium"].set_index("grid_id")
    mine = mediums.loc[LEADER_GRID]
    others = mediums[(mediums["parent_id"] == mine["parent_id"]) & (mediums.index != LEADER_GRID)]
    masked = f"{mine['phone'][:3]}****{mine['phone'][-4:]}"
    panel, html = _open_community(page, app_url, "leader", district, LEADER_GRID)
    page.screenshot(path=str(SCREENSHOT.with_name("signin_leader.png")), full_page=True)
    assert "社区负责人 (leader)" in panel and "网格负责人" in panel
    assert mine["phone"] in panel and mine["leader"] in panel
    assert mine["leader"] in html
    for leader in others["leader"]:
        assert leader not in html and f"{leader[0]}{'*' * (len(leader) - 1)}" in html
    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("用户名", exact=True).wait_for(timeout=60_000)
    panel, html = _open_community(page, app_url, "viewer", district, LEADER_GRID)
    page.screenshot(path=str(SCREENSHOT.with_name("signin_viewer.png")), full_page=True)
    assert "查看人员 (viewer)" in panel
    assert mine["phone"] not in panel and masked in panel
    assert mine["leader"] not in panel and mine["leader"] not in html
    assert not re.search(r"(?<![\d.])1[3-9]\d{9}(?!\d)", panel)
    assert page.outside == []
