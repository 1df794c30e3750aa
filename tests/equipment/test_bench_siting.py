"""bench/siting.py's machine line: load and RAM as read from /proc, never assumed.

Only the report is tested; the benchmark itself is not run (it is not a timed test).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_siting", ROOT / "bench" / "siting.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

MEMINFO = "MemTotal:        8388608 kB\nMemFree:         1000000 kB\nMemAvailable:    6291456 kB\n"


def info(start: str, end: str) -> dict:
    return {
        "cpu": "CPU X",
        "cores": 2,
        "start": bench.load_and_memory(start, MEMINFO),
        "end": bench.load_and_memory(end, MEMINFO.replace("6291456", "5242880")),
        "versions": {"HiGHS": "1.7.2"},
    }


def test_load_and_memory_parses_proc() -> None:
    got = bench.load_and_memory("0.05 0.10 0.20 1/90 123\n", MEMINFO)
    assert got == {
        "load_1": 0.05,
        "load_5": 0.10,
        "load_15": 0.20,
        "ram_total_gib": 8.0,
        "ram_available_gib": 6.0,
    }
    assert set(bench.load_and_memory("garbage", "")) == set(got)
    assert all(v is None for v in bench.load_and_memory("garbage", "").values())


def test_machine_line_says_what_was_measured() -> None:
    idle = bench.machine_line(info("0.05 0.10 0.20 1/90 1", "1.20 0.50 0.30 2/91 2"))
    assert idle == (
        "Machine: CPU X, 2 cores, 8.0 GiB RAM; at the start load average 0.05 / 0.10 / 0.20, "
        "6.0 GiB RAM available (nearly idle before the benchmark began: 1-minute load 0.05); "
        "at the end load average 1.20 / 0.50 / 0.30, 5.0 GiB RAM available. HiGHS 1.7.2."
    )
    busy = bench.machine_line(info("2.50 2.10 1.90 3/95 1", "3.10 2.40 2.00 4/96 2"))
    assert "(busy before the benchmark began: 1-minute load 2.50 on 2 cores)" in busy
    assert "other sessions" not in idle + busy


def test_unreadable_proc_is_said_so() -> None:
    line = bench.machine_line(
        {
            "cpu": "CPU X",
            "cores": 2,
            "start": bench.load_and_memory("", ""),
            "end": bench.load_and_memory("", ""),
            "versions": {},
        }
    )
    assert line == (
        "Machine: CPU X, 2 cores; at the start load average not readable; "
        "at the end load average not readable."
    )


def test_machine_reads_this_machine() -> None:
    got = bench.machine(bench.load_and_memory())
    assert got["cores"] >= 1 and got["end"]["ram_total_gib"] > 0
    assert got["start"]["load_1"] is not None  # /proc/loadavg exists on Linux
