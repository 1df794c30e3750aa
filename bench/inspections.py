"""Benchmark of inspection compliance and heat maps on a city-scale district (not a test).

The district is the coverage benchmark's city (`bench/coverage.py` ``build_city``:
20,000 small grids, 1,000 medium, 25 large, 200,000 buildings, 1,000,000
households, 50,000 units) when that module is importable, else a plain
lattice of the same size generated here. On it, 1,000,000 inspection records
of 2025 are generated with numpy (roles, targets and points as the sample
district records them). Then, in one process, as medians over ``--reps`` runs:

- assign: `assign_inspections` (target lookup and point-in-polygon of 1M points);
- compliance: `compliance` for the year 2025 with that assignment;
- total: assign + compliance, what `gridmap inspections` computes after reading;
- baseline: a plain pandas ``groupby([target_id, inspector_role, day]).size()``
  of the same records, the least any per-grid, per-period count must do;
- heat: `heat_points` (the HeatMap input) and `weekly_heat` (the time slider),
  with the size of their JSON payloads;
- missing / tallies: `missing_inspections` and `tallies` for the year;
- read: the district written once to a GeoPackage in a temporary folder
  (not timed), then `read_district` of it, as `gridmap inspections FILE` starts;
- pipeline: read + assign + compliance, what `gridmap inspections FILE` computes,
  on which the < 20 s target is judged (the in-memory total leaves the reading out);
- heat page: the rendered HTML of the Inspections page's heat map (the heat
  layer over the community outlines, `gridmap.render.web.inspections`), for
  the year and for the busiest week of the time slider, against < 5 MB.

Each step also reports the process's involuntary context switches: the times
it was made to wait for a core while other processes ran. With no voluntary
switches and no major page faults, a wall time above the CPU time is that wait
(the machine is shared), not file or memory I/O.

Figures and the machine go to docs/benchmarks.md, section "Inspections".

    .venv/bin/python bench/inspections.py [--reps 3] [--records 1000000] [--no-file]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Inspections"
EPSG = "EPSG:4547"
ROLE_SHARE = {
    "patrol": 0.45,
    "community": 0.35,
    "police": 0.08,
    "safety_office": 0.05,
    "unit": 0.07,
}


def city_layers() -> tuple[dict[str, pd.DataFrame], str]:
    """The city-scale grid, buildings, households and units layers, and where they came from."""
    try:
        sys.path.insert(0, str(ROOT / "bench"))
        from coverage import build_city  # the coverage benchmark's generator

        return build_city(), "bench/coverage.py build_city (with its planted defects)"
    except ImportError:
        return _lattice_city(), "plain 200 x 100 lattice of 150 m cells (bench/inspections.py)"


def _lattice_city(nx: int = 200, ny: int = 100, cell: float = 150.0) -> dict[str, pd.DataFrame]:
    x0, y0 = 418_000.0, 3_845_000.0
    col, row = np.meshgrid(np.arange(nx), np.arange(ny))
    col, row = col.ravel(), row.ravel()

    def boxes(c, r, w, h):
        return shapely.box(x0 + c * w, y0 + r * h, x0 + (c + 1) * w, y0 + (r + 1) * h)

    medium_of = (row // 4) * (nx // 5) + col // 5
    mcol, mrow = np.meshgrid(np.arange(nx // 5), np.arange(ny // 4))
    mcol, mrow = mcol.ravel(), mrow.ravel()
    large_of = (mrow // 5) * (nx // 40) + mcol // 8
    lcol, lrow = np.meshgrid(np.arange(nx // 40), np.arange(ny // 20))
    large_ids = np.char.add("L", np.arange(lcol.size).astype(str)).astype(object)
    medium_ids = np.char.add("M", np.arange(mcol.size).astype(str)).astype(object)
    small_ids = np.char.add("S", np.arange(col.size).astype(str)).astype(object)
    rng = np.random.default_rng(7)
    u_cell = rng.integers(0, col.size, 50_000)
    u_xy = np.c_[
        x0 + (col[u_cell] + rng.random(u_cell.size)) * cell,
        y0 + (row[u_cell] + rng.random(u_cell.size)) * cell,
    ]
    return {
        "grid_large": gpd.GeoDataFrame(
            {"grid_id": large_ids, "name": large_ids},
            geometry=boxes(lcol.ravel(), lrow.ravel(), 40 * cell, 20 * cell),
            crs=EPSG,
        ),
        "grid_medium": gpd.GeoDataFrame(
            {"grid_id": medium_ids, "parent_id": large_ids[large_of], "name": medium_ids},
            geometry=boxes(mcol, mrow, 5 * cell, 4 * cell),
            crs=EPSG,
        ),
        "grid_small": gpd.GeoDataFrame(
            {"grid_id": small_ids, "parent_id": medium_ids[medium_of], "name": small_ids},
            geometry=boxes(col, row, cell, cell),
            crs=EPSG,
        ),
        "units": gpd.GeoDataFrame(
            {
                "unit_id": np.char.add("U", np.arange(u_cell.size).astype(str)).astype(object),
                "name": "单位",
                "category": "general",
            },
            geometry=shapely.points(u_xy),
            crs=EPSG,
        ),
    }


def make_inspections(layers: dict[str, pd.DataFrame], n: int, seed: int = 11) -> gpd.GeoDataFrame:
    """`n` inspection records of 2025, vectorised: roles, targets and points as the sample has."""
    rng = np.random.default_rng(seed)
    small, units = layers["grid_small"], layers["units"]
    roles = np.array(list(ROLE_SHARE))
    role = roles[rng.choice(len(roles), n, p=list(ROLE_SHARE.values()))]
    cell = rng.integers(0, len(small), n)
    centre = shapely.get_coordinates(shapely.point_on_surface(small.geometry.values))
    xy = centre[cell] + rng.uniform(-40, 40, (n, 2))
    target = small["grid_id"].to_numpy(dtype=object)[cell].copy()
    by_medium = np.isin(role, ["patrol", "safety_office"])
    target[by_medium] = small["parent_id"].to_numpy(dtype=object)[cell[by_medium]]
    on_unit = np.isin(role, ["police", "unit"])
    unit = rng.integers(0, len(units), n)
    target[on_unit] = units["unit_id"].to_numpy(dtype=object)[unit[on_unit]]
    xy[on_unit] = shapely.get_coordinates(units.geometry.values)[unit[on_unit]]
    start = pd.Timestamp("2025-01-01", tz="Asia/Shanghai").value // 10**9
    seconds = start + rng.integers(0, 365 * 86400, n)
    times = pd.to_datetime(seconds, unit="s", utc=True).tz_convert("Asia/Shanghai")
    return gpd.GeoDataFrame(
        {
            "inspection_id": np.char.add("I", np.arange(n).astype(str)).astype(object),
            "inspected_at": times,
            "inspector_role": role.astype(object),
            "inspector": "巡查员",
            "target_id": target,
            "result": np.where(rng.random(n) < 0.03, "hazard", "ok").astype(object),
        },
        geometry=shapely.points(xy),
        crs=EPSG,
    )


def timed(fn, reps: int):
    """Median wall time, the wall times, the result, the median CPU time of this process and
    the median of its involuntary context switches (waits for a core) and major page faults."""
    times, cpu, waits, faults, result = [], [], [], [], None
    for _ in range(reps):
        r = resource.getrusage(resource.RUSAGE_SELF)
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        after = resource.getrusage(resource.RUSAGE_SELF)
        waits.append(after.ru_nivcsw - r.ru_nivcsw)
        faults.append(after.ru_majflt - r.ru_majflt)
    median = statistics.median
    return median(times), times, result, median(cpu), median(waits), median(faults)


def heat_page_bytes(heat: pd.DataFrame, layers: dict[str, pd.DataFrame]) -> int:
    """Bytes of the rendered HTML of the Inspections page's heat map: the heat layer over the
    community outlines the page draws (`community_outlines`), with its legend and controls."""
    from gridmap.render.web import inspections as rm

    m = rm.heat_map(
        heat,
        bounds=rm.bounds_of(layers["grid_large"]),
        outlines=rm.community_outlines(layers["grid_medium"]),
        names={"heat": "巡查密度", "outlines": "社区/村"},
    )
    return len(m.get_root().render().encode("utf-8"))


def compliance_page_bytes(table: pd.DataFrame, layers: dict[str, pd.DataFrame]) -> int:
    """Bytes of the rendered HTML of the Inspections page's compliance map of the small grids,
    drawn as the page draws it (`inspection_maps.compliance_map`, Chinese labels)."""
    from gridmap.analysis.inspections import worst_status
    from gridmap.i18n import t
    from gridmap.render.web import inspections as rm
    from gridmap.standards.inspections import STATUS_LABELS

    worst = worst_status(table, "grid_small").set_index("grid_id")
    fields = {"grid_id": t("col.id"), "name": t("col.name"), "status": "最差状态", "rate": "rate"}
    labels = {s: STATUS_LABELS[s][0] for s in rm.STATUS_COLOURS if s in STATUS_LABELS}
    m = rm.compliance_map(layers["grid_small"], worst, labels=labels, fields=fields)
    return len(m.get_root().render().encode("utf-8"))


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import geopandas
    import pyproj

    versions = (
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas "
        f"{pd.__version__}, shapely {shapely.__version__}, geopandas "
        f"{geopandas.__version__}, pyproj {pyproj.__version__}"
    )
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores; {versions}; load average at start {load}"


def write_section(text: str) -> None:
    """Replace (or append) the "Inspections" section of docs/benchmarks.md, nothing else."""
    DOC.parent.mkdir(exist_ok=True)
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if SECTION in old:
        head, rest = old.split(SECTION, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1 :] if nxt >= 0 else ""
        new = head + text + ("\n" + tail if tail else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    DOC.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--no-file", action="store_true", help="skip writing and reading the GeoPackage"
    )
    args = parser.parse_args()
    from gridmap.analysis.inspections import (
        assign_inspections,
        compliance,
        heat_points,
        missing_inspections,
        place_table,
        tallies,
        weekly_heat,
    )
    from gridmap.district import District
    from gridmap.render.web.inspections import OUTLINE_TOLERANCE

    info = machine()
    t = time.perf_counter()
    layers, source = city_layers()
    t_city = time.perf_counter() - t
    t = time.perf_counter()
    records = make_inspections(layers, args.records)
    t_records = time.perf_counter() - t
    district = District(layers={**layers, "inspections": records}, crs=CRS(EPSG))
    print(f"city {t_city:.1f} s ({source}); {len(records):,} records {t_records:.1f} s", flush=True)
    year = {"start": "2025-01-01", "end": "2025-12-31"}

    results: dict[str, tuple[float, list[float], float, float, float]] = {}

    def run(name, fn):
        median, times, out, cpu, waits, faults = timed(fn, args.reps)
        results[name] = (median, times, cpu, waits, faults)
        runs = [round(x, 2) for x in times]
        print(
            f"{name:<12} median {median:6.2f} s  cpu {cpu:6.2f} s  runs {runs}  "
            f"waits for a core {waits:,.0f}  major faults {faults:,.0f}",
            flush=True,
        )
        return out

    def cell(name: str) -> str:
        median, _, cpu, waits, _ = results[name]
        return f"{median:.2f} | {cpu:.2f} | {waits:,.0f}"

    places = run("places", lambda: place_table(district))
    assignment = run("assign", lambda: assign_inspections(district, places=places))
    table = run("compliance", lambda: compliance(district, **year, assignment=assignment))
    run("total", lambda: compliance(district, **year))

    def baseline():
        day = records["inspected_at"].dt.normalize()
        return records.groupby([records["target_id"], records["inspector_role"], day]).size()

    run("baseline", baseline)
    heat, size = run("heat", lambda: heat_points(records.geometry))
    heat_bytes = len(json.dumps(heat[["lat", "lon", "weight"]].to_numpy().tolist()))
    weekly = run("weekly", lambda: weekly_heat(records.geometry, records["inspected_at"], **year))
    weekly_bytes = len(json.dumps({"index": weekly.weeks, "data": weekly.frames}))
    run(
        "missing",
        lambda: missing_inspections(district, **year, assignment=assignment, places=places),
    )
    run("tallies", lambda: tallies(district, **year, assignment=assignment))
    page_bytes = heat_page_bytes(heat, layers)
    busiest = max(range(len(weekly.weeks)), key=lambda i: len(weekly.frames[i]), default=None)
    week_frame = pd.DataFrame(
        weekly.frames[busiest] if busiest is not None else [], columns=["lat", "lon", "weight"]
    )
    week_page_bytes = heat_page_bytes(week_frame, layers)
    compliance_bytes = compliance_page_bytes(table, layers)
    print(
        f"heat page HTML {page_bytes / 1e6:.2f} MB; busiest week's page "
        f"{week_page_bytes / 1e6:.2f} MB ({len(week_frame):,} cells); compliance map of "
        f"{len(layers['grid_small']):,} small grids {compliance_bytes / 1e6:.2f} MB",
        flush=True,
    )
    file_mb = None
    if not args.no_file:
        from gridmap.io import read_district, write_layers

        with tempfile.TemporaryDirectory(prefix="gridmap-bench-") as folder:
            path = Path(folder) / "city_inspections.gpkg"
            t = time.perf_counter()
            write_layers(path, {**layers, "inspections": records}, backup=False)
            file_mb = path.stat().st_size / 1e6
            print(f"wrote {path.name} ({file_mb:,.0f} MB) in {time.perf_counter() - t:.1f} s")
            run("read", lambda: read_district(path))

            def pipeline():  # as `gridmap inspections FILE --from ... --to ...` computes it
                found = read_district(path)
                return compliance(found, **year, assignment=assign_inspections(found))

            run("pipeline", pipeline)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = table["status"].value_counts().to_dict()
    print(
        f"rows {len(table):,} {counts}; heat {len(heat):,} cells of {size:g} m = "
        f"{heat_bytes / 1e6:.2f} MB; weekly {weekly.cells:,} cells of {weekly.cell_size:g} m = "
        f"{weekly_bytes / 1e6:.2f} MB; peak {peak:,.0f} MB"
    )

    total = results["total"][0]
    base = results["baseline"][0]
    judged = "pipeline" if "pipeline" in results else "total"
    goal, goal_cpu = results[judged][0], results[judged][2]
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [
        SECTION,
        "",
        f"`bench/inspections.py`, {time.strftime('%Y-%m-%d')}: {len(records):,} inspection "
        f"records of 2025 over the city-scale district ({source}: "
        f"{len(layers['grid_small']):,} small, {len(layers['grid_medium']):,} medium, "
        f"{len(layers['grid_large']):,} large grids, {len(layers['units']):,} units, "
        f"{len(layers.get('buildings', [])):,} buildings, {len(layers.get('households', [])):,} "
        f"households). Medians of {args.reps} runs in one process; the in-memory steps first, "
        "then reading the district from a GeoPackage"
        + (f" ({file_mb:,.0f} MB) and the whole pipeline" if file_mb else " (skipped: --no-file)")
        + ". Wall time depends on what else runs on the machine; the CPU time of the "
        "benchmark's own process is what the work costs on an idle core (the code is "
        "single-threaded numpy/shapely/Arrow). 'Waits' counts the involuntary context "
        "switches of the process during the step: each is a time it had to give up a core to "
        "other processes, which is where wall time beyond CPU time goes when it does no I/O.",
        "",
        f"Machine: {info}; load average at the end {load}.",
        "",
        "| step | wall, median (s) | CPU of this process, median (s) | waits for a core | target |",
        "|---|---:|---:|---:|---|",
        f"| place table (targets: grids, units, buildings, households) | {cell('places')} | |",
        f"| assign 1M inspections to grids (target lookup + point in polygon), given the "
        f"place table | {cell('assign')} | |",
        f"| compliance for the year, given the assignment ({len(table):,} rows) | "
        f"{cell('compliance')} | |",
        f"| compliance for a year in memory (lazy place lookup + assign + compliance) | "
        f"{cell('total')} | |",
        *(
            [
                f"| read_district of the GeoPackage (use_arrow) | {cell('read')} | |",
                f"| **pipeline: read + assign + compliance for a year**, as `gridmap inspections "
                f"FILE` computes it | **{goal:.2f}** | **{goal_cpu:.2f}** | "
                f"{results['pipeline'][3]:,.0f} | < 20 s: wall {'met' if goal < 20 else 'NOT met'}"
                f", CPU {'met' if goal_cpu < 20 else 'NOT met'} |",
            ]
            if judged == "pipeline"
            else [
                f"| **(--no-file) compliance in memory** | **{goal:.2f}** | **{goal_cpu:.2f}** | "
                f"| < 20 s: wall {'met' if goal < 20 else 'NOT met'}, CPU "
                f"{'met' if goal_cpu < 20 else 'NOT met'} (reading not measured) |"
            ]
        ),
        f"| baseline: pandas groupby(target_id, role, day).size() of the same records | "
        f"{cell('baseline')} | |",
        f"| heat_points (HeatMap input) | {cell('heat')} | |",
        f"| weekly_heat (time slider, 53 weeks) | {cell('weekly')} | |",
        f"| missing_inspections for the year | {cell('missing')} | |",
        f"| tallies per small grid and role | {cell('tallies')} | |",
        "",
        f"Total vs baseline: {total / base:.1f}x the plain groupby count, which places "
        "nothing in a grid, ignores targets and periods and gives no gaps.",
        "",
        f"Heat-map payload: {len(heat):,} hexagons of {size:g} m, {heat_bytes / 1e6:.2f} MB of "
        f"JSON; weekly time slider: {weekly.cells:,} cells of {weekly.cell_size:g} m over "
        f"{len(weekly.weeks)} weeks, {weekly_bytes / 1e6:.2f} MB of JSON for all weeks. "
        f"Rendered HTML of the heat map page (heat layer, community outlines simplified by "
        f"{OUTLINE_TOLERANCE:g} m, legend and controls): {page_bytes / 1e6:.2f} MB for the year, "
        f"{week_page_bytes / 1e6:.2f} MB for the busiest week "
        f"(target < 5 MB: {'met' if max(page_bytes, week_page_bytes) < 5e6 else 'NOT met'}). "
        f"Rendered HTML of the compliance map of the {len(layers['grid_small']):,} small grids "
        f"(GeoJSON simplified by 5 m, as the page draws it): {compliance_bytes / 1e6:.2f} MB "
        f"({'under' if compliance_bytes < 5e6 else 'OVER'} the 5 MB the app's maps aim at). "
        f"Peak memory (ru_maxrss) {peak:,.0f} MB.",
        "",
    ]
    if not args.no_write:
        write_section("\n".join(lines))
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
