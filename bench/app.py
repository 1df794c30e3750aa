"""Benchmark of the Streamlit app (not a test): page run time and map payload.

1. page: the coverage-map page's server-side run on the sample district
   (data/boundaries/shangjie_demo.gpkg) with ``streamlit.testing.v1.AppTest``:
   one cold run, then the median of several warm reruns (caches filled, as
   when a leader changes a widget), for the whole district and with a large
   grid selected. Target: warm run under 2 s.
2. payload: the size of the map HTML (the standalone page folium renders,
   every layer included) for the city-scale district of bench/coverage.py
   (20,000 small grids, 200,000 buildings, 1,000,000 households, 50,000
   units): the whole-city view, the same with the households choropleth, and
   a large grid selected. Target: under 5 MB.

The figures and the machine go to docs/benchmarks.md, section "App".

    .venv/bin/python bench/app.py [--reps 5] [--skip-city]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
DOC = ROOT / "docs" / "benchmarks.md"
PAGE_TARGET_S = 2.0
HTML_TARGET_MB = 5.0


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = "?"
    import folium
    import streamlit

    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} RAM; Python {platform.python_version()}, "
        f"streamlit {streamlit.__version__}, folium {folium.__version__}"
    )


def bench_page(reps: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    if not SAMPLE.is_file():
        raise SystemExit(f"{SAMPLE} is missing: run `gridmap demo {SAMPLE.relative_to(ROOT)}`")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"the page raised: {at.exception}")

    def warm() -> float:
        times = []
        for _ in range(reps):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    district_view = warm()
    first_large = at.selectbox(key="sel_large@zh").options[1].rsplit("(", 1)[1].rstrip(")")
    at.selectbox(key="sel_large@zh").set_value(first_large).run()
    assert at.selectbox(key="sel_medium@zh").options[1:], "no large grid selected"
    large_view = warm()
    at.selectbox(key="choropleth@zh").set_value("households").run()
    choropleth_view = warm()
    return {
        "cold": cold,
        "warm_district": district_view,
        "warm_large": large_view,
        "warm_choropleth": choropleth_view,
    }


def _city_module():
    spec = importlib.util.spec_from_file_location("bench_coverage", ROOT / "bench" / "coverage.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def bench_payload() -> dict[str, float]:
    from gridmap.analysis.coverage import CHECKS, check_coverage, scope
    from gridmap.io import read_district
    from gridmap.render.web.coverage import build_map, map_html
    from gridmap.render.web.data import prepare_map_data

    city = _city_module()
    if not city.CITY.is_file():
        city.generate(city.CITY)
    district = read_district(city.CITY)
    report = check_coverage(district)
    out: dict[str, float] = {"small_grids": len(district["grid_small"])}
    households = scope.small_grid_indicator(district, report, "households")
    first_large = str(district["grid_large"]["grid_id"].iloc[0])
    for name, kwargs in (
        ("city", {}),
        ("city_choropleth", {"values": households}),
        ("large_grid", {"focus": ("grid_large", first_large)}),
    ):
        started = time.perf_counter()
        data = prepare_map_data(district, report.findings, **kwargs)
        prepared = time.perf_counter() - started
        html = map_html(build_map(data, checks=dict(CHECKS), indicator_name="households"))
        out[f"{name}_mb"] = len(html.encode()) / 1e6
        out[f"{name}_prepare_s"] = prepared
    return out


def write_doc(page: dict[str, float] | None, payload: dict[str, float] | None, reps: int) -> str:
    lines = [
        "## App",
        "",
        f"Measured by `bench/app.py` on {time.strftime('%Y-%m-%d')}; machine: {_machine()}.",
        "",
    ]
    if page:
        ok = "meets" if page["warm_district"] < PAGE_TARGET_S else "MISSES"
        lines += [
            f"Coverage-map page, server-side run on the sample district (AppTest, median of "
            f"{reps} warm reruns; target < {PAGE_TARGET_S:g} s warm, {ok} it):",
            "",
            "| view | time |",
            "|---|---|",
            f"| cold first run (load, check, map) | {page['cold']:.2f} s |",
            f"| warm, whole district | {page['warm_district']:.2f} s |",
            f"| warm, a large grid selected | {page['warm_large']:.2f} s |",
            f"| warm, households choropleth | {page['warm_choropleth']:.2f} s |",
            "",
        ]
    if payload:
        worst = max(payload[k] for k in payload if k.endswith("_mb"))
        ok = "meets" if worst < HTML_TARGET_MB else "MISSES"
        lines += [
            f"Map HTML for the city-scale district of bench/coverage.py "
            f"({int(payload['small_grids']):,} small grids, 200,000 buildings, 1,000,000 "
            f"households, 50,000 units; target < {HTML_TARGET_MB:g} MB, {ok} it):",
            "",
            "| view | map HTML | preparing the layers |",
            "|---|---|---|",
            f"| whole city | {payload['city_mb']:.2f} MB | {payload['city_prepare_s']:.1f} s |",
            f"| whole city, households choropleth | {payload['city_choropleth_mb']:.2f} MB | "
            f"{payload['city_choropleth_prepare_s']:.1f} s |",
            f"| one large grid selected | {payload['large_grid_mb']:.2f} MB | "
            f"{payload['large_grid_prepare_s']:.1f} s |",
            "",
        ]
    return "\n".join(lines) + "\n"


def update_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## App\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--skip-city", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    page = bench_page(args.reps)
    print(page)
    payload = None if args.skip_city else bench_payload()
    print(payload)
    section = write_doc(page, payload, args.reps)
    print(section)
    if not args.no_write:
        update_doc(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
