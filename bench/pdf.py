"""Benchmark of the PDF export on the sample district (not a test).

Times, as medians over several repetitions in one process (after one warm-up
run, so the font subset is cached as it is for a user's second export):

- atlas: `atlas_sheets` of every medium grid (cover + contents + ~32 sheets)
  and `atlas_pdf`, the work of ``gridmap export-pdf FILE --atlas``;
- zip: `atlas_files`, one PDF per grid, from the same figures;
- single: one A4 map of the whole district with every overlay;
- baseline: the bare matplotlib plot of the same layers per community
  (geopandas ``.plot`` of the grids, buildings, units and equipment, zoomed
  to each community) saved with PdfPages: no layout, labels, tables or CJK font.

It also times the one-off conversion of the atlas' characters to a TrueType
subset with an empty font cache ("font, cold"). Reading the file and the
coverage check are timed once and listed apart. The figures and the machine go
to docs/benchmarks.md, section "PDF export". Target: the atlas under 60 s on
2 cores.

    .venv/bin/python bench/pdf.py [--reps 3] [--no-doc]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## PDF export"


def machine() -> dict[str, str]:
    import matplotlib
    import shapely

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    poppler = subprocess.run(["pdftoppm", "-v"], capture_output=True, text=True).stderr
    poppler = poppler.splitlines()[0] if poppler else ""
    fonttools = __import__("fontTools").version
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "libraries": f"matplotlib {matplotlib.__version__}, shapely {shapely.__version__}, "
        f"fontTools {fonttools}, {poppler}",
        "load": "load average {:.1f} / {:.1f} / {:.1f} at the start".format(*os.getloadavg()),
        "load_1min": os.getloadavg()[0],
    }


def baseline(district: object, ids: list[str]) -> bytes:
    """The bare plot: the same layers per community, no layout, saved with PdfPages."""
    import matplotlib

    matplotlib.use("agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    medium = district["grid_medium"].set_index("grid_id")
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for grid_id in ids:
            fig = Figure(figsize=(8.27, 11.69))
            ax = fig.add_subplot()
            x0, y0, x1, y1 = medium.loc[[grid_id]].total_bounds
            for name, kw in (
                ("grid_medium", {"facecolor": "#8dd3c7", "edgecolor": "#4a5a7a"}),
                ("grid_small", {"facecolor": "none", "edgecolor": "#5d6d7e"}),
                ("buildings", {"color": "#a6a6a6"}),
                ("units", {"color": "#c0392b", "markersize": 4}),
                ("equipment_points", {"color": "#1e8449", "markersize": 9}),
            ):
                layer = district[name].cx[x0:x1, y0:y1]
                if len(layer):
                    layer.plot(ax=ax, **kw)
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            pdf.savefig(fig)
    return buffer.getvalue()


CPU: dict[str, float] = {}


def timed(fn, reps: int, name: str = "") -> tuple[float, object]:
    """Median wall-clock seconds of `reps` runs (CPU seconds of this process kept in CPU)."""
    times, cpu, result = [], [], None
    for _ in range(reps):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if name:
        CPU[name] = statistics.median(cpu)
    return statistics.median(times), result


def run(reps: int) -> dict[str, object]:
    from gridmap.analysis.coverage import check_coverage
    from gridmap.io import font_cache, read_district
    from gridmap.render.pdf import fonts as pdf_fonts
    from gridmap.render.pdf.atlas import atlas_files, atlas_pdf, atlas_sheets
    from gridmap.render.pdf.document import OVERLAYS, PageOptions, PrintData, map_sheet, pdf_bytes

    if not SAMPLE.is_file():
        sys.exit(f"the sample {SAMPLE} is absent; create it with: gridmap demo {SAMPLE}")
    out: dict[str, object] = {"machine": machine()}
    start = time.perf_counter()
    district = read_district(SAMPLE)
    out["read"] = time.perf_counter() - start
    start = time.perf_counter()
    report = check_coverage(district)
    out["check"] = time.perf_counter() - start
    data = PrintData(
        district, report, source=SAMPLE.name, district_name="上街区", made=dt.date(2025, 6, 30)
    )

    def atlas() -> tuple[object, bytes]:
        book = atlas_sheets(data, level="medium")
        return book, atlas_pdf(book, fonts=font_cache)

    atlas()  # warm-up: imports, transformers, font subset on disk
    out["atlas"], (book, pdf) = timed(atlas, reps, "atlas")
    out["pages"], out["atlas_mb"] = len(book.figures), len(pdf) / 2**20
    out["sheets"] = len(book.entries)
    out["zip"], files = timed(lambda: atlas_files(book, fonts=font_cache), reps, "zip")
    out["zip_mb"] = sum(len(v) for v in files.values()) / 2**20
    options = PageOptions(layers=OVERLAYS)
    out["single"], _ = timed(lambda: pdf_bytes([map_sheet(data, options=options)]), reps, "single")
    out["baseline"], _ = timed(
        lambda: baseline(district, [e.grid_id for e in book.entries]), reps, "baseline"
    )
    chars = pdf_fonts.document_chars(book.figures)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TMPDIR"] = folder
        tempfile.tempdir = None
        pdf_fonts.truetype_subset.cache_clear()
        start = time.perf_counter()
        pdf_fonts.truetype_subset(chars, font_cache)
        out["font_cold"] = time.perf_counter() - start
        out["font_chars"] = len(chars)
    tempfile.tempdir = None
    out["cpu"] = dict(CPU)
    out["machine"]["load_end"] = "{:.1f} / {:.1f} / {:.1f} at the end".format(*os.getloadavg())
    return out


def section(r: dict, reps: int) -> str:
    m, cpu = r["machine"], r["cpu"]
    ok = "meets" if r["atlas"] < 60 else "misses"
    rows = [
        (
            "atlas (cover + contents + one sheet per community, one PDF)",
            "atlas",
            f"{r['pages']} pages, {r['atlas_mb']:.1f} MB",
        ),
        (
            "zip (one PDF per community, from the same figures)",
            "zip",
            f"{r['sheets']} PDFs, {r['zip_mb']:.1f} MB",
        ),
        ("single A4 map of the district, every overlay", "single", "1 page"),
        (
            "baseline: bare geopandas plot of the same layers per community, PdfPages",
            "baseline",
            f"{r['sheets']} pages, no layout",
        ),
    ]
    once = [
        (
            "font, cold: TrueType subset of the atlas' characters",
            r["font_cold"],
            f"{r['font_chars']} characters",
        ),
        ("read the sample", r["read"], ""),
        ("coverage check", r["check"], ""),
    ]
    lines = [
        SECTION,
        "",
        f"`bench/pdf.py`, sample district ({SAMPLE.name}), medians of {reps} runs after a "
        f"warm-up, {dt.date.today().isoformat()}. Target: the atlas of all communities under "
        f"60 s on 2 cores: it {ok} it in wall-clock time ({r['atlas']:.1f} s; "
        f"{cpu['atlas']:.1f} CPU s, {cpu['atlas'] / cpu['baseline']:.1f}x the CPU of the bare "
        "plot). The export runs in one thread, so on a machine of its own its wall-clock "
        "time is about its CPU time; "
        + (
            "this machine was shared with other work (load averages below), which inflates "
            "the wall-clock times."
            if m.get("load_1min", 0.0) > 1.5
            else "this machine ran nothing else (load averages below)."
        ),
        "",
        "| what | wall s | CPU s | output |",
        "|---|---:|---:|---|",
        *[f"| {name} | {r[key]:.2f} | {cpu[key]:.2f} | {note} |" for name, key, note in rows],
        *[f"| {name} (once) | {value:.2f} | | {note} |" for name, value, note in once],
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}; {m['libraries']}; "
        f"{m['load']}, {m['load_end']}.",
        "",
    ]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    """Replace the "## PDF export" section of docs/benchmarks.md (or append it)."""
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    start = old.find(SECTION)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(SECTION))
        rest = "" if end < 0 else old[end + 1 :]
        new = old[:start] + text.rstrip("\n") + ("\n\n" + rest if rest else "\n")
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    result = run(args.reps)
    text = section(result, args.reps)
    print(text)
    if not args.no_doc:
        write_doc(text)


if __name__ == "__main__":
    main()
