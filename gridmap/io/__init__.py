"""Everything that touches disk: GeoPackage stores, and (later) ledgers and imports.

Nothing outside `gridmap.io` opens a file.
"""

from gridmap.io.gpkg import read_district, write_district, write_layers

__all__ = ["read_district", "write_district", "write_layers"]
