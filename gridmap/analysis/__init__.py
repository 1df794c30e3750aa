"""Pure analysis over a district's layers: coverage and topology checks, membership, ledgers.

Functions here take layers (or a `gridmap.district.District`) and keyword-only
options and return new frames or small dataclasses. They never touch disk,
never reproject silently, never read globals and never change their input.

- `gridmap.analysis.coverage.check`: `check_coverage`, `CoverageReport`, `CHECKS`
  (镇不漏村、村不漏楼、楼不漏户).
- `gridmap.analysis.coverage.topology`: repair of invalid polygons, overlaps, gaps and
  parts outside a parent, as vectorised shapely 2 operations.
- `gridmap.analysis.coverage.membership`: which small grid holds each building, unit
  and household, and which buildings are split between grids.
- `gridmap.analysis.coverage.findings` (grids) and `gridmap.analysis.coverage.occupancy`
  (buildings, households, units): the checks, each building a batch of findings.
- `gridmap.analysis.coverage.report`: the ledger (台帐) tables and the JSON document.
"""
