"""What an import is asked and what it did: `ImportOptions`, `ImportReport`.

The tables it is given are `gridmap.schema.SourceTable`, filled from disk by
`gridmap.io.import_readers`; `gridmap.analysis.importing.prepare` fills the
`ImportReport`, which `gridmap.tasks.importing` completes when it writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gridmap.analysis.importing.geometry import Tally
from gridmap.analysis.importing.parents import ParentBy, UnmatchedParent
from gridmap.errors import Problem


@dataclass(frozen=True)
class ImportOptions:
    """How to import: see `prepare_import` and ``gridmap import --help``."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    crs: str | None = None
    from_coords: str | None = None
    parent_by: ParentBy | None = None
    parent_column: str | None = None
    parent_prefix: int | None = None
    accept_close: float | None = None
    generate_ids: bool = False
    defaults: Mapping[str, str] = field(default_factory=dict)
    repair: bool = True
    skip_bad_geometry: bool = False


@dataclass
class ImportReport:
    """What an import did, feature by feature: ``features_read == features_kept + dropped``.

    `repaired` and `dropped` count features per reason (a feature repaired
    for two reasons counts under both). `problems` are errors: while there is
    one, nothing is written. `added`, `updated` and `removed` count what
    the import does to the layer's features (None until it is planned
    against the district); `zone_changes` the buildings, households and units
    that change small or medium grid (None when the layer is not a grid level).
    """

    layer: str
    sources: list[str]
    features_read: int = 0
    features_kept: int = 0
    repaired: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    dropped_examples: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmatched_parents: list[UnmatchedParent] = field(default_factory=list)
    approximate_parents: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    crs: str | None = None
    into: str | None = None
    mode: str = "upsert"
    written: bool = False
    dry_run: bool = False
    added: int | None = None
    updated: int | None = None
    removed: int | None = None
    geometry_kept: int = 0
    zone_changes: dict[str, int] | None = None
    unreadable_sources: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem of the report is an error."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def features_dropped(self) -> int:
        """The number of features left out of the import, over every reason."""
        return sum(self.dropped.values())

    def add(self, tallies: Iterable[Tally]) -> None:
        """Count features repaired or dropped, per reason."""
        for t in tallies:
            table = self.repaired if t.kind == "repaired" else self.dropped
            table[t.reason] = table.get(t.reason, 0) + t.count
            if t.kind == "dropped":
                shown = self.dropped_examples.setdefault(t.reason, [])
                shown += list(t.examples)[: max(0, 5 - len(shown))]

    def as_dict(self) -> dict[str, object]:
        """Return the report as plain data (what ``gridmap import --json`` prints)."""
        return {
            "layer": self.layer,
            "sources": self.sources,
            "into": self.into,
            "mode": self.mode,
            "written": self.written,
            "dry_run": self.dry_run,
            "crs": self.crs,
            "features_read": self.features_read,
            "features_kept": self.features_kept,
            "features_dropped": self.features_dropped,
            "repaired": self.repaired,
            "dropped": self.dropped,
            "dropped_examples": self.dropped_examples,
            "mapping": self.mapping,
            "notes": self.notes,
            "warnings": self.warnings,
            "unmatched_parents": [
                {"value": u.value, "features": u.features, "candidates": list(u.candidates)}
                for u in self.unmatched_parents
            ],
            "approximate_parents": [list(p) for p in self.approximate_parents],
            "problems": [p.as_dict() for p in self.problems],
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "geometry_kept": self.geometry_kept,
            "zone_changes": self.zone_changes,
            "unreadable_sources": self.unreadable_sources,
        }

    def change_lines(self) -> list[str]:
        """Return what the import does to the layer: added, updated, removed; who changes zone."""
        if self.added is None:
            return []
        will = "were" if self.written else "will be"
        out = [
            f"{self.added} features added, {self.updated} updated, "
            f"{self.removed} existing features {will} removed"
        ]
        if self.geometry_kept:
            out.append(
                f"{self.geometry_kept} updated features have no geometry in the source: "
                "their existing geometry is kept"
            )
        if self.zone_changes is not None:
            z = self.zone_changes
            out.append(
                f"{z.get('building', 0)} buildings, {z.get('household', 0)} households and "
                f"{z.get('unit', 0)} units change small or medium grid"
            )
        return out

    def lines(self, *, shown: int = 20) -> list[str]:
        """Return the report as text lines, for the CLI and the docs (`shown` unmatched parents)."""
        head = "Dry run (nothing written)" if self.dry_run else "Written" if self.written else ""
        out = [f"Import into {self.layer}" + (f" of {self.into}" if self.into else "")]
        out += [f"  sources: {', '.join(self.sources)}"]
        if head or not self.ok:
            out.append(f"  {head or 'Not written: the errors below must be fixed first'}")
        out.append(
            f"  features read {self.features_read}, kept {self.features_kept}, "
            f"dropped {self.features_dropped}"
        )
        out += [f"  {line}" for line in self.change_lines()]
        out += [f"  repaired: {n} {reason}" for reason, n in self.repaired.items()]
        for reason, n in self.dropped.items():
            examples = ", ".join(self.dropped_examples.get(reason, []))
            out.append(f"  dropped: {n} {reason}" + (f" (e.g. {examples})" if examples else ""))
        if self.mapping:
            out.append("  mapping: " + ", ".join(f"{s} -> {d}" for s, d in self.mapping.items()))
        out += [f"  note: {n}" for n in self.notes]
        out += [f"  warning: {w}" for w in self.warnings]
        if self.unmatched_parents:
            out.append(f"  unmatched parents ({len(self.unmatched_parents)}), kept without parent:")
            out += [f"    {u}" for u in self.unmatched_parents[:shown]]
            if len(self.unmatched_parents) > shown:
                more = len(self.unmatched_parents) - shown
                out.append(f"    ... and {more} more (--json lists them all)")
        out += [f"  parent accepted as close: {a!r} -> {b!r}" for a, b in self.approximate_parents]
        out += [f"  error: {p}" for p in self.problems if p.severity == "error"]
        return out
