"""Pure analysis over a district's layers: coverage and topology checks, membership, ledgers.

Functions here take layers (or a `gridmap.district.District`) and keyword-only
options and return new frames or small dataclasses. They never touch disk,
never reproject silently, never read globals and never change their input.

- `gridmap.analysis.coverage`: `check_coverage`, `CoverageReport`, `CHECKS`
  (镇不漏村、村不漏楼、楼不漏户).
- `gridmap.analysis.topology`: repair of invalid polygons, overlaps, gaps and
  parts outside a parent, as vectorised shapely 2 operations.
- `gridmap.analysis.membership`: which small grid holds each building, unit
  and household, and which buildings are split between grids.
- `gridmap.analysis.findings` (grids) and `gridmap.analysis.occupancy`
  (buildings, households, units): the checks, each building a batch of findings.
- `gridmap.analysis.report`: the ledger (台帐) tables and the JSON document.
"""
