"""Benchmark of masking personal data for a signed-in user (issue 16; not a test).

On the city district of bench/coverage.py (20,000 small grids, 1,000,000
households with heads, 50,000 units with managers, leaders on every grid),
loaded once, it times, as medians over several repetitions in one process:

- viewer: `mask_district` for a viewer (every personal value masked);
- community: for a grid leader bound to one community (the rest masked; the
  community's subtree found and its rows placed by point-in-polygon);
- town: for a leader bound to one town (40 communities);
- public: the public version (personal fields dropped, free text masked);
- baseline: a copy of every layer (``frame.copy()``), the least any view that
  does not share frames with the loaded district costs.

    .venv/bin/python bench/access.py [--reps 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from gridmap.analysis.access import NONE, mask_district, scope_of
from gridmap.identity import Role, User
from gridmap.io import read_district

CITY = Path("/tmp/gridmap_bench_city_v1.gpkg")


def _median(fn: Callable[[], object], reps: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    if not CITY.is_file():
        raise SystemExit(f"{CITY} is missing: run bench/coverage.py once to generate it")
    district = read_district(CITY)
    community = str(district["grid_medium"]["grid_id"].iloc[0])
    town = str(district["grid_large"]["grid_id"].iloc[0])
    users = {
        "viewer": User("v", Role.VIEWER),
        "community": User("c", Role.GRID_LEADER, grids=(community,)),
        "town": User("t", Role.GRID_LEADER, grids=(town,)),
    }
    runs: dict[str, Callable[[], object]] = {
        name: (lambda u=u: mask_district(district, scope_of(u, district)))
        for name, u in users.items()
    }
    runs["public"] = lambda: mask_district(district, NONE, public=True)
    runs["baseline"] = lambda: {k: v.copy() for k, v in district.layers.items()}
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"district: {sum(len(v) for v in district.layers.values()):,} rows")
    results = {name: _median(fn, args.reps) for name, fn in runs.items()}
    base = results["baseline"][0]
    for name, (median, times) in results.items():
        spread = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:10s} median {median:6.2f} s  ({median / base:4.1f}x baseline)  [{spread}]")


if __name__ == "__main__":
    main()
