"""Real-browser test: hostile names run no script on any web map (issue 14, point 6).

Every map of `test_escaping.MAP_BUILDERS` is built from the hostile district
(every text field holds markup, quotes, ``javascript:`` links and template
code), saved as a page and opened in Debian's Chromium through Playwright's
Python package. Requests go to an address that exists only inside the browser
context: the page itself and the vendored Leaflet files (``static/vendor``,
where the app serves them) are answered from disk, everything else is aborted.
The mouse moves over and clicks the centre of every feature drawn, then every
tooltip and popup bound to a layer (clustered markers and stroke-only outlines
too) is rendered the way Leaflet renders it; no dialog may open, no script
error occur and ``window.__xss`` stay undefined, while the tooltips read the
hostile names as text. A hostile tooltip is saved to
artifacts/screenshots/xss_tooltip.png.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from _app_support import CHROMIUM, CHROMIUM_ARGS, ROOT
from test_escaping import IMG, MAP_BUILDERS, hostile_maps

from gridmap.io.vendor import missing_vendor_assets
from gridmap.render.web.assets import STATIC_URL
from gridmap.render.web.coverage import map_html
from gridmap.vendored import INSTALL_COMMAND

ORIGIN = "http://gridmap.test"
SCREENSHOT = ROOT / "artifacts" / "screenshots" / "xss_tooltip.png"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"{CHROMIUM} is absent (Debian package chromium; .ci/run installs it)",
)

#: Renders every tooltip and popup bound to a layer of the page's maps (walking
#: groups and marker clusters) as Leaflet does: a string content is innerHTML,
#: a function's result too. Returns the texts shown.
OPEN_EVERYTHING = """
async () => {
  const maps = Object.keys(window).filter(k => window[k] instanceof L.Map).map(k => window[k]);
  const groups = Object.keys(window).filter(k => window[k] instanceof L.Layer).map(k => window[k]);
  const texts = [];
  const box = document.createElement('div');
  document.body.appendChild(box);
  const show = (layer, bound) => {
    if (!bound) { return; }
    let content = bound._content;
    if (typeof content === 'function') { content = content(layer); }
    const div = document.createElement('div');
    if (typeof content === 'string') { div.innerHTML = content; } else if (content) {
      div.appendChild(content);
    }
    box.appendChild(div);
    texts.push(div.innerText);
  };
  // a group's tooltip (a folium GeoJSON layer's) is drawn for the member under the mouse
  const visit = (layer, inherited) => {
    const own = [layer.getTooltip && layer.getTooltip(), layer.getPopup && layer.getPopup()];
    const bound = own.some(Boolean) ? own : (inherited || []);
    if (layer.eachLayer) {
      layer.eachLayer(child => visit(child, bound));
    } else {
      bound.forEach(b => show(layer, b));
    }
  };
  maps.forEach(m => m.eachLayer(l => visit(l)));
  groups.forEach(l => visit(l));
  await new Promise(r => setTimeout(r, 400));  // an <img onerror> fires after a failed load
  return texts;
}
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    missing = missing_vendor_assets(ROOT / "static" / "vendor")
    assert not missing, f"offline map assets missing ({missing[0]} ...); run: {INSTALL_COMMAND}"
    folder = tmp_path_factory.mktemp("xss")
    out = {}
    for name, m in hostile_maps(folder):
        out[name] = folder / f"{name}.html"
        out[name].write_text(map_html(m), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def browser_page(pages: dict[str, Path]):
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    static = ROOT / "static"

    def answer(route) -> None:
        url = urlparse(route.request.url)
        path = url.path
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            outside.append(route.request.url)
            route.abort()
        elif path.startswith(STATIC_URL + "/"):
            route.fulfill(path=str(static / path.removeprefix("/app/static/")))
        elif path.startswith("/maps/") and path.removeprefix("/maps/") in {
            p.name for p in pages.values()
        }:
            route.fulfill(path=str(pages[Path(path).stem]), content_type="text/html")
        else:
            route.fulfill(status=404, body="")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1000, "height": 700}, locale="zh-CN")
        context.route("**/*", answer)
        tab = context.new_page()
        tab.outside = outside
        tab.dialogs, tab.errors = [], []
        tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        try:
            yield tab
        finally:
            browser.close()


def _hover_and_click_every_feature(page) -> int:
    """Move the mouse over, and click, the centre of each drawn feature; the count."""
    features = page.locator("path.leaflet-interactive, .leaflet-marker-icon")
    boxes = [b for b in (features.nth(k).bounding_box() for k in range(features.count())) if b]
    for b in boxes:
        x, y = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        if not (0 <= x < 1000 and 0 <= y < 700):
            continue
        page.mouse.move(x, y)
        page.wait_for_timeout(30)
        page.mouse.click(x, y)
    page.mouse.move(980, 10)  # over the layer control: its names are shown
    page.wait_for_timeout(100)
    return len(boxes)


@pytest.mark.parametrize("name", list(MAP_BUILDERS))
def test_no_script_runs_from_hostile_names(browser_page, name: str) -> None:
    page = browser_page
    page.dialogs.clear()
    page.errors.clear()
    page.goto(f"{ORIGIN}/maps/{name}.html")
    page.wait_for_function("window.L && document.querySelector('.leaflet-container')")
    page.wait_for_timeout(300)
    drawn = _hover_and_click_every_feature(page)
    texts = page.evaluate(OPEN_EVERYTHING)
    assert drawn > 0, f"{name}: nothing drawn"
    assert page.evaluate("typeof window.__xss") == "undefined", f"{name}: a hostile name ran"
    assert page.dialogs == [] and page.errors == [], (name, page.dialogs, page.errors)
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.locator("img[src='x'], svg[onload]").count() == 0
    shown = "\n".join(texts)
    assert "ZQXJ" not in shown and "ZQXJ" not in page.inner_text("body")
    assert IMG in shown, f"{name}: no tooltip shows a hostile name as text"
    assert page.outside == [], f"requests left the page: {page.outside[:5]}"


def test_a_hostile_tooltip_reads_as_text(browser_page) -> None:
    """The choropleth's tooltip over the first zone shows the markup as text (screenshot)."""
    page = browser_page
    page.goto(f"{ORIGIN}/maps/missing_inspections.html")
    page.wait_for_function("window.L && document.querySelector('path.leaflet-interactive')")
    page.wait_for_timeout(300)
    zone = page.locator("path.leaflet-interactive").first.bounding_box()
    page.mouse.move(zone["x"] + zone["width"] / 2, zone["y"] + zone["height"] / 2)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert IMG in tooltip.inner_text()
    assert tooltip.locator("img, script, svg").count() == 0
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert page.evaluate("typeof window.__xss") == "undefined"


#: Collapse every map to zero size (a map in a hidden Streamlit tab), then redraw its heat
#: layers, as Leaflet does when the tab is shown or hidden again.
COLLAPSE_AND_REDRAW = """
async () => {
  const values = Object.keys(window).map(k => window[k]);
  const map = values.find(v => v instanceof L.Map);
  const heat = [];
  values.filter(v => v instanceof L.Layer).forEach(v => {
    const all = [v];
    if (v.eachLayer) { v.eachLayer(l => all.push(l)); }
    all.forEach(l => {
      if (L.HeatLayer && l instanceof L.HeatLayer && !heat.includes(l)) { heat.push(l); }
    });
  });
  heat.forEach(l => { if (!l._map) { map.addLayer(l); } });  // ticked on in the layer control
  document.querySelectorAll('.leaflet-container').forEach(c => {
    c.style.width = '0px'; c.style.height = '0px';
  });
  map.invalidateSize();
  heat.forEach(l => { l._reset(); l.redraw(); });
  await new Promise(r => setTimeout(r, 300));
  return heat.length;
}
"""


@pytest.mark.parametrize("name", ["inspection_heat", "coverage"])
def test_a_heat_layer_in_a_hidden_tab_raises_no_script_error(browser_page, name: str) -> None:
    """A heat map whose container has no size (its Streamlit tab is hidden) draws nothing and
    raises nothing: leaflet.heat's getImageData on a 0-wide canvas threw in the app."""
    page = browser_page
    page.errors.clear()
    page.goto(f"{ORIGIN}/maps/{name}.html")
    page.wait_for_function("window.L && document.querySelector('.leaflet-container')")
    page.wait_for_timeout(300)
    assert page.evaluate(COLLAPSE_AND_REDRAW) > 0, "no heat layer on the page"
    assert page.errors == [], page.errors
