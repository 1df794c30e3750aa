"""Benchmark: equipment siting (MCLP) with GridMap's sparse core vs spopt, on one instance.

50,000 demand points, 2,000 candidate sites, p = 30, service radius 300 m,
every demand weighing 1 (households), no existing points. Demand is drawn
like a district: 60 neighbourhoods of Gaussian spread 150-700 m with
Dirichlet sizes over 12 x 10 km, plus 10 % scattered; candidates follow the
neighbourhoods (75 %) or are scattered (25 %). Seeded, so every run sees the
same instance.

GridMap: KD-tree pairs -> sparse coverage -> `gridmap.analysis.equipment.mclp`
(HiGHS via highspy, mip_gap 0: proven optimal), timed end to end from
coordinates, repeated (median reported).
spopt: ``MCLP.from_cost_matrix`` on the dense distance matrix (as spopt takes
it), solved with PuLP's HiGHS interface (gapRel 0), timed once (its model
build is slow). The two optimal objective values must be equal.

Run: ``.venv/bin/python bench/siting.py [--repeat 3] [--skip-spopt] [--write]``;
``--write`` puts the figures into docs/benchmarks.md under "Equipment siting".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
N_DEMAND, N_SITES, P, RADIUS = 50_000, 2_000, 30, 300.0


def instance(seed: int = 7, n: int = N_DEMAND, m: int = N_SITES) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    width, height, k = 12_000.0, 10_000.0, 60
    centres = rng.uniform([0, 0], [width, height], (k, 2))
    spread = rng.uniform(150, 700, k)
    size = rng.dirichlet(np.ones(k) * 2)
    n_scattered = n // 10
    which = rng.choice(k, n - n_scattered, p=size)
    demand = centres[which] + rng.normal(size=(len(which), 2)) * spread[which, None]
    demand = np.vstack([demand, rng.uniform([0, 0], [width, height], (n_scattered, 2))])
    which = rng.choice(k, m - m // 4, p=size)
    sites = centres[which] + rng.normal(size=(len(which), 2)) * spread[which, None] * 1.2
    sites = np.vstack([sites, rng.uniform([0, 0], [width, height], (m // 4, 2))])
    return demand, sites


def run_gridmap(demand: np.ndarray, sites: np.ndarray) -> dict[str, float]:
    from gridmap.analysis.equipment import euclidean_pairs, mclp

    began = time.perf_counter()
    cover = euclidean_pairs(demand, sites, RADIUS).cover(RADIUS)
    built = time.perf_counter()
    solution = mclp(cover, np.ones(len(demand)), P, time_limit=600)
    done = time.perf_counter()
    return {
        "objective": solution.objective,
        "status": solution.status,
        "gap": solution.gap,
        "matrix_s": built - began,
        "model_s": solution.build_time,
        "solve_s": solution.solve_time,
        "total_s": done - began,
        "nonzeros": int(cover.nnz),
    }


def run_spopt(demand: np.ndarray, sites: np.ndarray) -> dict[str, float]:
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    began = time.perf_counter()
    cost = cdist(demand, sites)
    matrix = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, np.ones(len(demand)), service_radius=RADIUS, p_facilities=P)
    built = time.perf_counter()
    model = model.solve(pulp.HiGHS(msg=False, gapRel=0.0, timeLimit=3600))
    done = time.perf_counter()
    return {
        "objective": float(pulp.value(model.problem.objective)),
        "status": pulp.LpStatus[model.problem.status],
        "matrix_s": matrix - began,
        "model_s": built - matrix,
        "solve_s": done - built,
        "total_s": done - began,
    }


def load_and_memory(
    loadavg: str | None = None, meminfo: str | None = None
) -> dict[str, float | None]:
    """Load averages (1, 5, 15 min) and RAM in GiB (total, available), read from /proc.

    `loadavg` / `meminfo` are the files' text (read from /proc when None); a
    value that cannot be read is None, never a guess.
    """
    out: dict[str, float | None] = dict.fromkeys(
        ("load_1", "load_5", "load_15", "ram_total_gib", "ram_available_gib")
    )
    try:
        fields = (loadavg if loadavg is not None else Path("/proc/loadavg").read_text()).split()
        out["load_1"], out["load_5"], out["load_15"] = (float(v) for v in fields[:3])
    except (OSError, ValueError):
        pass
    try:
        text = meminfo if meminfo is not None else Path("/proc/meminfo").read_text()
    except OSError:
        text = ""
    kib = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        parts = value.split()
        if parts and parts[0].isdigit():
            kib[name.strip()] = int(parts[0])
    for key, name in (("ram_total_gib", "MemTotal"), ("ram_available_gib", "MemAvailable")):
        if name in kib:
            out[key] = kib[name] / 2**20
    return out


def machine(start: dict[str, float | None] | None = None) -> dict[str, object]:
    import highspy
    import scipy

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version(), "scipy": scipy.__version__}
    h = highspy._Highs() if hasattr(highspy, "_Highs") else highspy.Highs()
    versions["HiGHS"] = f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
    try:
        import pulp
        import spopt

        versions["spopt"] = spopt.__version__
        versions["pulp"] = pulp.__version__
    except ImportError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "start": start or load_and_memory(),
        "end": load_and_memory(),
        "versions": versions,
    }


def _reading(state: dict[str, float | None]) -> str:
    loads = [state.get(k) for k in ("load_1", "load_5", "load_15")]
    load = (
        "load average " + " / ".join(f"{v:.2f}" for v in loads)
        if all(v is not None for v in loads)
        else "load average not readable"
    )
    free = state.get("ram_available_gib")
    return load + (f", {free:.1f} GiB RAM available" if free is not None else "")


def machine_line(info: dict[str, object]) -> str:
    """The machine, its load and RAM at the start and the end, as measured; no assumption.

    Whether the machine was busy is said only from the 1-minute load before
    the benchmark began (afterwards the benchmark's own work is in the load).
    """
    start, end = info["start"], info["end"]
    total = start.get("ram_total_gib") or end.get("ram_total_gib")
    head = f"Machine: {info['cpu']}, {info['cores']} cores"
    if total is not None:
        head += f", {total:.1f} GiB RAM"
    before = start.get("load_1")
    if before is None:
        busy = ""
    elif before < 0.5:
        busy = f" (nearly idle before the benchmark began: 1-minute load {before:.2f})"
    else:
        busy = (
            f" (busy before the benchmark began: 1-minute load {before:.2f} "
            f"on {info['cores']} cores)"
        )
    line = f"{head}; at the start {_reading(start)}{busy}; at the end {_reading(end)}."
    versions = info.get("versions") or {}
    if versions:
        line += " " + ", ".join(f"{k} {v}" for k, v in versions.items()) + "."
    return line


def section(ours: list[dict], theirs: dict | None, info: dict[str, object]) -> str:
    med = {k: statistics.median(r[k] for r in ours) for k in ("matrix_s", "solve_s", "total_s")}
    lines = [
        "## Equipment siting",
        "",
        f"MCLP, {N_DEMAND:,} demand points (weight 1), {N_SITES:,} candidates, p = {P}, "
        f"radius {RADIUS:g} m, straight-line distance, proven optimal (mip gap 0). "
        "Instance and method: `bench/siting.py`.",
        "",
        "| | coverage matrix / model build | solve | total | objective | status |",
        "|---|---|---|---|---|---|",
        f"| GridMap (sparse, HiGHS; median of {len(ours)}) | {med['matrix_s']:.2f} s | "
        f"{med['solve_s']:.2f} s | **{med['total_s']:.2f} s** | {ours[0]['objective']:.0f} | "
        f"{ours[0]['status']} |",
    ]
    if theirs is not None:
        build = theirs["matrix_s"] + theirs["model_s"]
        same = abs(theirs["objective"] - ours[0]["objective"]) < 1e-6
        lines.append(
            f"| spopt {info['versions'].get('spopt', '')} MCLP.from_cost_matrix + PuLP HiGHS "
            "(1 run) | "
            f"{build:.1f} s | {theirs['solve_s']:.1f} s | **{theirs['total_s']:.1f} s** | "
            f"{theirs['objective']:.0f} | {theirs['status']} |"
        )
        lines += [
            "",
            f"Speed-up: {theirs['total_s'] / med['total_s']:.0f}x (target >= 5x); "
            f"GridMap under 60 s: {'yes' if med['total_s'] < 60 else 'no'}; "
            f"same objective: {'yes' if same else 'NO'}.",
        ]
    lines += [
        "",
        "Runs: " + ", ".join(f"{r['total_s']:.2f} s" for r in ours) + ".",
        machine_line(info),
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(r"## Equipment siting\n.*?(?=\n## |\Z)", re.S)
    new = (
        pattern.sub(text.rstrip("\n") + "\n", old)
        if pattern.search(old)
        else (old.rstrip("\n") + "\n\n" + text)
    )
    DOC.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-spopt", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--log", type=Path, default=None, help="Append JSON lines here.")
    args = parser.parse_args()
    start = load_and_memory()  # before any work of ours
    demand, sites = instance()

    def log(entry: dict) -> None:
        print(json.dumps(entry), flush=True)
        if args.log:
            with args.log.open("a") as fh:
                fh.write(json.dumps(entry) + "\n")

    ours = []
    for _ in range(args.repeat):
        ours.append(run_gridmap(demand, sites))
        log({"gridmap": ours[-1]})
    theirs = None
    if not args.skip_spopt:
        theirs = run_spopt(demand, sites)
        log({"spopt": theirs})
        if abs(theirs["objective"] - ours[0]["objective"]) > 1e-6:
            print("objective values differ", file=sys.stderr)
    text = section(ours, theirs, machine(start))
    print(text)
    if args.write:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
