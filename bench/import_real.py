"""Import the real public datasets through `gridmap import` and record what each import reports.

Every file in ../shared/data/real/ (see its README) goes through the same path
a user takes, `gridmap.tasks.importing.import_layer` (the CLI's ``gridmap import``),
level by level into one GeoPackage per place: the first level creates the
file, the next ones are saved through the edit log and take their parents
from the level already imported. Nothing is corrected by hand: what does not
match is listed by the import report. The report of each step is written to
the "Import" section of docs/real-data.md (the rest of that page belongs to
the coverage check, `bench/real_data.py`, and is left as it is).

    .venv/bin/python bench/import_real.py [--root ../shared/data/real] [--out DIR]

`tests/importing/test_real_imports.py` runs the same plan and checks the counts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from gridmap.analysis.importing import ImportOptions, ImportReport
from gridmap.tasks.importing import import_layer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "real"
DOC = ROOT / "docs" / "real-data.md"
SECTION = "## Import"


@dataclass(frozen=True)
class Step:
    """One `gridmap import` call: a file, the layer it fills and the options, as a CLI line."""

    place: str
    file: str
    layer: str
    options: ImportOptions = field(default_factory=ImportOptions)
    argv: str = ""
    remarks: tuple[str, ...] = ()  # what the report cannot say about the data (from its README)


PLAN = (
    Step(
        "montreal",
        "arrondissements.geojson",
        "grid_large",
        ImportOptions(mapping={"CODEID": "grid_id", "NOM": "name"}),
        "--map CODEID=grid_id --map NOM=name",
    ),
    Step(
        "montreal",
        "indice_emv.shp",
        "grid_medium",
        ImportOptions(
            mapping={"ADIDU": "grid_id", "Arr_Vll": "parent_name"},
            parent_by="name",
            defaults={"kind": "community"},
        ),
        "--map ADIDU=grid_id --map Arr_Vll=parent_name --parent-by name --set kind=community",
    ),
    Step(
        "montreal",
        "Pop_Log_IlotAgglo_2021.shp",
        "grid_small",
        ImportOptions(
            mapping={"IDIDU": "grid_id"},
            parent_by="code",
            parent_column="IDIDU",
            parent_prefix=8,
        ),
        "--map IDIDU=grid_id --parent-by code --parent-column IDIDU --parent-prefix 8",
    ),
    Step(  # the data README: "fire stations -> equipment points"; they are not social units
        "montreal",
        "casernes_sim_fire_stations.geojson",
        "equipment_points",
        ImportOptions(mapping={"CASERNE": "point_id"}, defaults={"status": "existing"}),
        "--map CASERNE=point_id --set status=existing",
        (
            "The fire stations are equipment points (the data README's mapping), not social "
            "units. One station is closed: station 79 (5520 avenue MacDonald, Hampstead) has "
            "`DATE_FIN` 2009-11-05; the other 67 have the text `NaT` there (the file was "
            "written by pandas). `equipment_points` knows only the statuses existing and "
            "planned and the import has no row filter, so station 79 comes in as existing, "
            "with `DATE_FIN` kept as an attribute: delete it (the GeoPackage opens in QGIS) "
            "before siting, or it counts as an existing point that covers its neighbourhood.",
        ),
    ),
    Step(
        "vaucluse",
        "departement-84-vaucluse.geojson",
        "grid_large",
        ImportOptions(mapping={"code": "grid_id", "nom": "name"}),
        "--map code=grid_id --map nom=name",
    ),
    Step(
        "vaucluse",
        "arrondissements-84-vaucluse.geojson",
        "grid_medium",
        ImportOptions(
            mapping={"code": "grid_id", "nom": "name"},
            parent_by="location",
            defaults={"kind": "village"},
        ),
        "--map code=grid_id --map nom=name --parent-by location --set kind=village",
    ),
    Step(
        "vaucluse",
        "communes-84-vaucluse.geojson",
        "grid_small",
        ImportOptions(mapping={"code": "grid_id", "nom": "name"}, parent_by="location"),
        "--map code=grid_id --map nom=name --parent-by location",
    ),
)


def run_plan(root: Path, out: Path) -> list[tuple[Step, ImportReport, float]]:
    """Run every step into ``out/<place>.gpkg``; return each step's report and seconds."""
    results = []
    for step in PLAN:
        started = time.perf_counter()
        report = import_layer(
            [root / step.place / step.file],
            out / f"{step.place}.gpkg",
            step.layer,
            options=step.options,
            user="bench/import_real.py",
        )
        results.append((step, report, time.perf_counter() - started))
    return results


def _reasons(counts: dict[str, int]) -> str:
    return "; ".join(f"{n:,} {reason}" for reason, n in counts.items()) or "none"


def _unmatched(report: ImportReport, shown: int = 8) -> list[str]:
    lines = []
    for u in report.unmatched_parents[:shown]:
        near = ", ".join(u.candidates) or "none"
        lines.append(f"    - `{u.value}` ({u.features:,} features): closest {near}")
    more = len(report.unmatched_parents) - shown
    if more > 0:
        rest = sum(u.features for u in report.unmatched_parents[shown:])
        lines.append(f"    - ... and {more:,} more values ({rest:,} features)")
    return lines


def render(results: list[tuple[Step, ImportReport, float]]) -> str:
    """The Markdown of the Import section."""
    lines = [
        SECTION,
        "",
        "`bench/import_real.py` imports every file above through `gridmap import` (the same",
        "path as the CLI and the app's import page), level by level into one GeoPackage per",
        "place; each level after the first is saved through the edit log and takes its parents",
        "from the level imported before it. `tests/importing/test_real_imports.py` runs the",
        "same plan and checks these numbers. Features read = kept + dropped, every time.",
        "",
        "| place | file | layer | read | repaired | dropped | kept | no parent | seconds |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for step, report, seconds in results:
        orphans = sum(u.features for u in report.unmatched_parents)
        lines.append(
            f"| {step.place} | `{step.file}` | {step.layer} | {report.features_read:,} | "
            f"{sum(report.repaired.values()):,} | {report.features_dropped:,} | "
            f"{report.features_kept:,} | {orphans:,} | {seconds:.1f} |"
        )
    for step, report, _ in results:
        lines += ["", f"### {step.place}: `{step.file}` -> {step.layer}", ""]
        call = f"gridmap import {step.file} --into {step.place}.gpkg --layer {step.layer}"
        lines.append(f"`{call} {step.argv}`")
        lines.append("")
        lines.append(
            f"- read {report.features_read:,}, kept {report.features_kept:,}, "
            f"written: {'yes' if report.written else 'no'}"
        )
        lines.append(f"- repaired: {_reasons(report.repaired)}")
        dropped = _reasons(report.dropped)
        for reason, examples in report.dropped_examples.items():
            dropped = dropped.replace(reason, f"{reason} (e.g. {', '.join(examples)})")
        lines.append(f"- dropped: {dropped}")
        lines += [
            f"- note: {n.split(': ', 1)[-1] if n.startswith('/') else n}" for n in report.notes
        ]
        lines += [f"- warning: {w}" for w in report.warnings]
        lines += [f"- error: {p}" for p in report.problems]
        if report.unmatched_parents:
            lines.append("- parents not found (features kept, parent_id empty):")
            lines += _unmatched(report)
        for remark in step.remarks:
            lines += ["", remark]
    return "\n".join(lines) + "\n"


def write_section(text: str, doc: Path = DOC) -> None:
    """Replace the Import section of `doc` (to its end or the next level-2 heading)."""
    current = doc.read_text(encoding="utf-8") if doc.exists() else ""
    if SECTION in current:
        before, rest = current.split(SECTION, 1)
        after = rest.split("\n## ", 1)
        tail = "\n## " + after[1] if len(after) > 1 else ""
        current = before.rstrip("\n") + "\n\n" + text + tail
    else:
        current = current.rstrip("\n") + "\n\n" + text
    doc.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None, help="keep the GeoPackages here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        results = run_plan(args.root, out)
    for step, report, seconds in results:
        print(f"{step.place} {step.file} -> {step.layer}: {seconds:.1f} s")
        print("\n".join(report.lines()))
    write_section(render(results))
    print(f"wrote the Import section of {DOC}")


if __name__ == "__main__":
    main()
