"""The feature packages: pure analysis over a district's layers, one package per feature.

Functions here take layers (or a `gridmap.district.District`) and keyword-only
options and return new frames or small dataclasses. They never touch disk,
never reproject silently, never read globals and never change their input.
Each package's ``__init__`` is its only facade and lists its API in ``__all__``:

- `gridmap.analysis.coverage`: the coverage audit (横向到边、纵向到底; 镇不漏村、村不漏楼、
  楼不漏户), topology, membership, the leader's scope and the ledger tables.
- `gridmap.analysis.editing`: boundary edits (split, merge, reshape, reassign, delete)
  and their review before saving.
- `gridmap.analysis.inspections`: schedule compliance, aggregation for maps, the hazard
  closed loop, placing and recording inspections and hazards.
- `gridmap.analysis.equipment`: siting of equipment storage points and the kit (BOM).
- `gridmap.analysis.assessment`: the scorecard (考核) and its periods.
- `gridmap.analysis.plan_records`: trainings, drills, joint meetings and publicity.
- `gridmap.analysis.importing`: the pure part of imports (mapping, coordinates, repairs).

This package itself exports nothing: import from the feature package.
"""

__all__: list[str] = []
