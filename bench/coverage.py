"""Benchmark of `gridmap check` on a city-scale district (not a test).

Generates, once, a district of 20,000 small grids (a jittered lattice whose
cells share their wavy edges exactly), 1,000 medium and 25 large grids,
200,000 buildings, 1,000,000 households and 50,000 units, with a few hundred
planted defects, and writes it to a GeoPackage in /tmp. Then it times, each
run in a fresh subprocess and as medians over several repetitions:

- check: what `gridmap check FILE` does (read_district + check_coverage);
- baseline: the work no check can avoid: reading the same layers with
  `geopandas.read_file` and a bare `geopandas.sjoin` of the buildings'
  representative points and the units' points into the small grids;
- sample: the check of the sample district (data/boundaries/shangjie_demo.gpkg).

Peak memory is each subprocess's ``ru_maxrss``. The figures and the machine go
to docs/benchmarks.md, section "Coverage check".

    .venv/bin/python bench/coverage.py [--reps 3] [--regenerate]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CITY = Path("/tmp/gridmap_bench_city_v1.gpkg")
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
DOC = ROOT / "docs" / "benchmarks.md"
CRS = "EPSG:4547"
X0, Y0 = 418_000.0, 3_845_000.0
CELL = 150.0  # small grid pitch, metres
NX, NY = 200, 100  # 20,000 small grids
MX, MY = 5, 4  # small grids per medium grid: 40 x 25 = 1,000
LX, LY = 8, 5  # medium grids per large grid: 5 x 5 = 25
EDGE_POINTS = 6  # wavy points inside each cell edge
BUILDINGS_PER_CELL = 10  # 200,000
HOUSEHOLDS = 1_000_000
UNITS = 50_000


# ---------------------------------------------------------------------------
# Generation (vectorised numpy / shapely)


def _lattice(rng: np.random.Generator) -> np.ndarray:
    """Polygons of the NX x NY cells; neighbours share corners and wavy edges exactly."""
    gx, gy = np.meshgrid(np.arange(NX + 1) * CELL, np.arange(NY + 1) * CELL)
    corners = np.stack([gx, gy], axis=-1) + rng.uniform(-15, 15, (NY + 1, NX + 1, 2))
    corners[0, :, 1], corners[-1, :, 1] = 0, NY * CELL  # straight outer boundary
    corners[:, 0, 0], corners[:, -1, 0] = 0, NX * CELL
    t = (np.arange(1, EDGE_POINTS + 1) / (EDGE_POINTS + 1))[None, None, :, None]

    def wavy(a: np.ndarray, b: np.ndarray, outer: np.ndarray) -> np.ndarray:
        line = a[..., None, :] + (b - a)[..., None, :] * t
        normal = np.stack([-(b - a)[..., 1], (b - a)[..., 0]], -1)
        normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
        amp = rng.uniform(-5, 5, line.shape[:-1])[..., None]
        amp[outer] = 0
        return line + normal[..., None, :] * amp

    outer_h = np.zeros((NY + 1, NX), bool)
    outer_h[[0, -1], :] = True
    outer_v = np.zeros((NY, NX + 1), bool)
    outer_v[:, [0, -1]] = True
    horizontal = wavy(corners[:, :-1], corners[:, 1:], outer_h)  # (NY+1, NX, k, 2)
    vertical = wavy(corners[:-1, :], corners[1:, :], outer_v)  # (NY, NX+1, k, 2)
    ring = np.concatenate(
        [
            corners[:-1, :-1, None],
            horizontal[:-1],
            corners[:-1, 1:, None],
            vertical[:, 1:],
            corners[1:, 1:, None],
            horizontal[1:, :, ::-1],
            corners[1:, :-1, None],
            vertical[:, :-1, ::-1],
            corners[:-1, :-1, None],
        ],
        axis=2,
    )
    import shapely

    ring = ring.reshape(NY * NX, -1, 2) + np.array([X0, Y0])
    return shapely.polygons(ring)


def _groups(
    cell_rows: np.ndarray, cell_cols: np.ndarray, per_x: int, per_y: int, cols: int
) -> np.ndarray:
    return (cell_rows // per_y) * (cols // per_x) + cell_cols // per_x


def _union_groups(geoms: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    import shapely

    order = np.argsort(groups, kind="stable")
    table = geoms[order].reshape(n, -1)
    return shapely.coverage_union_all(table, axis=1)


def _rectangles(
    cx: np.ndarray, cy: np.ndarray, w: float, h: float, angle: np.ndarray
) -> np.ndarray:
    import shapely

    dx = np.array([-w, w, w, -w, -w]) / 2
    dy = np.array([-h, -h, h, h, -h]) / 2
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    xs = cx[:, None] + dx * c - dy * s
    ys = cy[:, None] + dx * s + dy * c
    return shapely.polygons(np.stack([xs, ys], -1))


def build_city(seed: int = 7) -> dict[str, object]:
    """The city-scale district as GeoDataFrames, with planted defects (see `plant`)."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    rng = np.random.default_rng(seed)
    cells = _lattice(rng)
    rows, cols = np.divmod(np.arange(NX * NY), NX)
    medium_of = _groups(rows, cols, MX, MY, NX)
    n_medium = (NX // MX) * (NY // MY)
    medium_geoms = _union_groups(cells, medium_of, n_medium)
    m_rows, m_cols = np.divmod(np.arange(n_medium), NX // MX)
    large_of = _groups(m_rows, m_cols, LX, LY, NX // MX)
    n_large = (NX // MX // LX) * (NY // MY // LY)
    large_geoms = _union_groups(medium_geoms, large_of, n_large)

    large_ids = np.array([f"4101060{i:02d}" for i in range(n_large)], dtype=object)
    medium_ids = np.array(
        [f"{large_ids[large_of[i]]}{i:04d}" for i in range(n_medium)], dtype=object
    )
    small_ids = np.array(
        [f"{medium_ids[medium_of[i]]}{i:05d}" for i in range(NX * NY)], dtype=object
    )

    def names(prefix: str, n: int) -> list[str]:
        return [f"{prefix}{i}" for i in range(n)]

    large = gpd.GeoDataFrame(
        {"grid_id": large_ids, "name": names("街道", n_large), "leader": names("负责人L", n_large)},
        geometry=large_geoms,
        crs=CRS,
    )
    medium = gpd.GeoDataFrame(
        {
            "grid_id": medium_ids,
            "parent_id": large_ids[large_of],
            "name": names("社区", n_medium),
            "kind": "community",
            "leader": names("负责人M", n_medium),
        },
        geometry=medium_geoms,
        crs=CRS,
    )
    small = gpd.GeoDataFrame(
        {
            "grid_id": small_ids,
            "parent_id": medium_ids[medium_of],
            "name": names("片区", NX * NY),
            "leader": names("网格员", NX * NY),
        },
        geometry=cells,
        crs=CRS,
    )

    # Buildings: 10 per cell on a 4 x 3 pattern around the cell centre.
    centres = shapely.get_coordinates(shapely.centroid(cells))
    offsets = np.array([(x, y) for x in (-40, -13, 13, 40) for y in (-35, 0, 35)])
    pick = np.stack([rng.permutation(12)[:BUILDINGS_PER_CELL] for _ in range(4)])
    pattern = offsets[pick[np.arange(NX * NY) % 4]]  # (cells, 10, 2)
    at = (centres[:, None, :] + pattern).reshape(-1, 2)
    n_b = len(at)
    b_geoms = _rectangles(at[:, 0], at[:, 1], 16.0, 10.0, rng.uniform(0, np.pi, n_b))
    use = rng.choice(
        ["residential", "commercial", "public", "industrial"], n_b, p=[0.7, 0.15, 0.1, 0.05]
    )
    building_ids = np.array([f"B{i:07d}" for i in range(n_b)], dtype=object)
    buildings = gpd.GeoDataFrame(
        {
            "building_id": building_ids,
            "use": use,
            "address": [f"测试路{i // 10}号{i % 10}栋" for i in range(n_b)],
            "floors": rng.integers(1, 33, n_b),
            "households_expected": 0,
        },
        geometry=b_geoms,
        crs=CRS,
    )

    residential = np.flatnonzero(use == "residential")
    per = (
        rng.multinomial(
            HOUSEHOLDS - len(residential), np.full(len(residential), 1 / len(residential))
        )
        + 1
    )
    buildings.loc[residential, "households_expected"] = per
    h_building = np.repeat(building_ids[residential], per)
    households = pd.DataFrame(
        {
            "household_id": [f"H{i:08d}" for i in range(HOUSEHOLDS)],
            "building_id": h_building,
            "members": rng.integers(1, 7, HOUSEHOLDS),
            "head": [f"户主{i % 9973}" for i in range(HOUSEHOLDS)],
        }
    )

    cell_of_unit = rng.integers(0, NX * NY, UNITS)
    u_xy = centres[cell_of_unit] + rng.uniform(-50, 50, (UNITS, 2))
    units = gpd.GeoDataFrame(
        {
            "unit_id": [f"U{i:06d}" for i in range(UNITS)],
            "name": [f"单位{i}" for i in range(UNITS)],
            "category": rng.choice(
                ["general", "small_venue", "street_shop", "key", "family_workshop"], UNITS
            ),
            "manager": [f"经理{i % 997}" for i in range(UNITS)],
        },
        geometry=shapely.points(u_xy),
        crs=CRS,
    )
    layers = {
        "grid_large": large,
        "grid_medium": medium,
        "grid_small": small,
        "buildings": buildings,
        "households": households,
        "units": units,
    }
    plant(layers, rng)
    return layers


def plant(layers: dict, rng: np.random.Generator) -> dict[str, int]:
    """Plant defects in place: each kind a few dozen times, at random places."""
    import shapely

    small, buildings = layers["grid_small"], layers["buildings"]
    households, units = layers["households"], layers["units"]
    n = len(small)
    pick = rng.choice(n, 130, replace=False)
    shrink, grow, bow, leaderless, orphan = np.split(pick, [30, 60, 65, 115])
    geoms = small.geometry.values
    small.loc[shrink, "geometry"] = [shapely.affinity.scale(g, 0.9, 0.9) for g in geoms[shrink]]
    small.loc[grow, "geometry"] = [shapely.affinity.scale(g, 1.08, 1.08) for g in geoms[grow]]
    coords = [shapely.get_coordinates(g) for g in geoms[bow]]
    small.loc[bow, "geometry"] = [
        shapely.Polygon(np.r_[c[:1], c[[8, 1]], c[2:8], c[9:]]) for c in coords
    ]  # self-intersecting
    small.loc[leaderless, "leader"] = None
    small.loc[orphan, "parent_id"] = "410106999999"
    # Buildings straddling a cell edge (split) and buildings outside every grid (missed).
    edge = rng.choice(len(buildings), 400, replace=False)
    west = shapely.get_coordinates(shapely.centroid(geoms[edge // BUILDINGS_PER_CELL]))
    x, y = west[:, 0] - CELL / 2, west[:, 1]
    buildings.loc[edge, "geometry"] = shapely.box(x - 12, y - 5, x + 12, y + 5)
    missed = rng.choice(len(buildings), 60, replace=False)
    x = X0 - 500 - 20 * np.arange(60)
    buildings.loc[missed, "geometry"] = shapely.box(x, Y0, x + 10, Y0 + 10)
    duplicated = rng.choice(len(buildings), 20, replace=False)
    buildings.loc[duplicated, "building_id"] = (
        buildings["building_id"].iloc[duplicated - 1].to_numpy()
    )
    blank = rng.choice(len(households), 300, replace=False)
    households.loc[blank[:150], "building_id"] = None
    households.loc[blank[150:], "building_id"] = "B9999999"
    far = rng.choice(len(units), 80, replace=False)
    units.loc[far, "geometry"] = shapely.points(
        np.c_[np.full(80, X0 + NX * CELL + 300.0), Y0 + np.arange(80) * 50.0]
    )
    return {
        "shrunk": 30,
        "grown": 30,
        "bow_ties": 5,
        "leaderless": 50,
        "orphans": 15,
        "edge_buildings": 400,
        "far_buildings": 60,
        "duplicated_ids": 20,
        "households_unlinked": 300,
        "far_units": 80,
    }


def generate(path: Path, *, seed: int = 7) -> None:
    import pyogrio

    started = time.perf_counter()
    layers = build_city(seed)
    built = time.perf_counter()
    tmp = path.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    for name, frame in layers.items():
        pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG")
    tmp.rename(path)
    print(
        f"generated {path} in {built - started:.1f} s, written in "
        f"{time.perf_counter() - built:.1f} s",
        file=sys.stderr,
    )


# ---------------------------------------------------------------------------
# Timed work, each run in a fresh subprocess (`--child MODE PATH`)

LAYERS = ("grid_large", "grid_medium", "grid_small", "buildings", "households", "units")


def _child_check(path: str) -> dict:
    from gridmap.analysis.coverage import check_coverage
    from gridmap.cli.check import summary_lines
    from gridmap.io import read_district

    started, cpu = time.perf_counter(), time.process_time()
    district = read_district(path)
    read, cpu_read = time.perf_counter(), time.process_time()
    report = check_coverage(district)
    summary_lines(report, file=path)
    done = time.perf_counter()
    counts = {k: v for k, v in report.summary.items() if k != "per_large"}
    return {
        "cpu": time.process_time() - cpu,
        "check_cpu": time.process_time() - cpu_read,
        "seconds": done - started,
        "read": read - started,
        "check": done - read,
        "summary": counts,
    }


def _child_baseline(path: str, *, use_arrow: bool = False) -> dict:
    import geopandas as gpd

    started, cpu = time.perf_counter(), time.process_time()
    layers = {name: gpd.read_file(path, layer=name, use_arrow=use_arrow) for name in LAYERS}
    read = time.perf_counter()
    small = layers["grid_small"][["grid_id", "geometry"]]
    buildings = layers["buildings"]
    points = gpd.GeoDataFrame(
        {"building_id": buildings["building_id"]},
        geometry=buildings.representative_point(),
        crs=buildings.crs,
    )
    joined = gpd.sjoin(points, small, how="left", predicate="intersects")
    units = gpd.sjoin(layers["units"], small, how="left", predicate="intersects")
    done = time.perf_counter()
    return {
        "cpu": time.process_time() - cpu,
        "seconds": done - started,
        "read": read - started,
        "check": done - read,
        "rows": len(joined) + len(units),
    }


def _child(mode: str, path: str) -> None:
    if mode == "check":
        out = _child_check(path)
    elif mode == "baseline":
        out = _child_baseline(path)
    elif mode == "baseline_arrow":
        out = _child_baseline(path, use_arrow=True)
    else:
        raise SystemExit(f"unknown mode {mode}")
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(mode: str, path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# Report


def machine() -> dict[str, str]:
    import geopandas
    import pandas
    import pyogrio
    import shapely

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB",
        "python": platform.python_version(),
        "libraries": f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"geopandas {geopandas.__version__}, pandas {pandas.__version__}, "
        f"pyogrio {pyogrio.__version__} (GDAL {pyogrio.__gdal_version_string__}), "
        f"numpy {np.__version__}",
        "load": "load average {:.1f} / {:.1f} / {:.1f} at the start".format(*os.getloadavg()),
        "load_1min": os.getloadavg()[0],
    }


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def render(results: dict[str, list[dict]], info: dict[str, str], reps: int) -> str:
    check, base, arrow = results["check"], results["baseline"], results["baseline_arrow"]
    sample = results.get("sample", [])
    t_check, t_base = _median(check, "seconds"), _median(base, "seconds")
    t_arrow = _median(arrow, "seconds")
    c_check, c_base = _median(check, "cpu"), _median(base, "cpu")
    mem = max(r["maxrss_mb"] for r in check)
    summary = check[0]["summary"]
    lines = [
        "## Coverage check",
        "",
        "`bench/coverage.py` generates a city-scale district (a jittered lattice of 20,000 small",
        "grids whose neighbours share wavy 28-vertex edges exactly; 1,000 medium and 25 large",
        "grids; 200,000 building polygons, 1,000,000 households as a table, 50,000 units; a few",
        "hundred planted defects of every kind), writes it to a GeoPackage in /tmp (EPSG:4547,",
        f"{CITY.stat().st_size / 2**20:.0f} MB) and times, each run in a fresh subprocess, "
        f"medians of {reps} runs (the clock starts after the imports):",
        "",
        "| what | median wall s | read s | work s | CPU s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, runs: list[dict]) -> str:
        return (
            f"| {label} | {_median(runs, 'seconds'):.1f} | {_median(runs, 'read'):.1f} | "
            f"{_median(runs, 'check'):.1f} | {_median(runs, 'cpu'):.1f} | "
            f"{max(r['maxrss_mb'] for r in runs):.0f} |"
        )

    lines += [
        row("full check as `gridmap check` runs it (read_district + check_coverage)", check),
        row(
            "baseline: geopandas.read_file of the 6 layers + sjoin of building "
            "representative points and unit points",
            base,
        ),
        row("baseline with read_file(use_arrow=True)", arrow),
    ]
    if sample:
        lines.append(
            row("sample district (shangjie_demo.gpkg): read_district + check_coverage", sample)
        )
    lines += [
        "",
        f"- full check / baseline: **{t_check / t_base:.2f}x** (target <= 3x; the baseline "
        "the issue names reads with geopandas.read_file's defaults). read_district reads "
        "through Arrow and then validates every layer. Against the baseline that also reads "
        f"through Arrow ({t_arrow:.1f} s), the check is {t_check / t_arrow:.2f}x: its "
        "validation and topology work are what the baseline skips.",
        f"- in CPU seconds (single-threaded work, so about the wall time on an idle machine): "
        f"check {c_check:.1f} s, baseline {c_base:.1f} s, **{c_check / c_base:.2f}x**.",
        f"- full check: **{t_check:.1f} s** wall, {c_check:.1f} s CPU, of "
        f"which check_coverage {_median(check, 'check_cpu'):.1f} s "
        f"(target < 60 s); peak memory **{mem / 1024:.2f} GB** (target < 6 GB).",
    ]
    if sample:
        lines.append(
            f"- sample district: check_coverage **{_median(sample, 'check'):.2f} s** wall, "
            f"{_median(sample, 'check_cpu'):.2f} s CPU (target < 2 s); "
            f"{_median(sample, 'seconds'):.2f} s wall with reading the file (9 layers, "
            "including 21,000 inspections)."
        )
    found = ", ".join(f"{k} {v}" for k, v in summary.items() if k not in ("ok",))
    lines += [
        f"- findings on the city district: {found}.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; Python "
        f"{info['python']}; {info['libraries']}; {info['load']}; {info.get('load_end', '')}. "
        + _load_note(info)
        + " Check and baseline runs alternate so both see the same load, which keeps the "
        "ratio meaningful.",
        "",
    ]
    return "\n".join(lines)


def _load_note(info: dict[str, str]) -> str:
    """What the load average before the runs says (2 cores: above 1.5 means other work ran)."""
    if info.get("load_1min", 0.0) > 1.5:  # type: ignore[operator]
        return "The machine was shared with other work, so absolute figures are inflated."
    return "The machine ran nothing else (a load of about 1 is the benchmark itself)."


def write_section(text: str) -> None:
    """Replace the "## Coverage check" section of docs/benchmarks.md (or append it)."""
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    start = old.find("## Coverage check")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + 1)
        rest = old[end + 1 :] if end >= 0 else ""
        new = old[:start] + text.rstrip("\n") + ("\n\n" + rest if rest else "\n")
    DOC.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print, do not edit docs")
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    info = machine()
    if args.regenerate or not CITY.exists():
        CITY.unlink(missing_ok=True)
        generate(CITY)
    modes = ("check", "baseline", "baseline_arrow")
    results: dict[str, list[dict]] = {mode: [] for mode in modes}
    for rep in range(args.reps):
        for mode in modes if rep % 2 == 0 else modes[::-1]:
            results[mode].append(measure(mode, CITY))
            print(
                f"rep {rep + 1} {mode}: {results[mode][-1]['seconds']:.1f} s, "
                f"{results[mode][-1]['maxrss_mb']:.0f} MB",
                file=sys.stderr,
            )
    if SAMPLE.exists():
        results["sample"] = [measure("check", SAMPLE) for _ in range(args.reps)]
    info["load_end"] = "load average {:.1f} / {:.1f} / {:.1f} at the end".format(*os.getloadavg())
    text = render(results, info, args.reps)
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
