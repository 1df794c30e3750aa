"""Everything that touches disk: GeoPackage stores, the edit log, ledgers and imports.

Nothing outside `gridmap.io` opens a file.
"""

from gridmap.io.editlog import (
    check_unchanged,
    export_version,
    read_edit_log,
    save_edit,
    undo,
    version_bytes,
)
from gridmap.io.gpkg import file_fingerprint, read_district, write_district, write_layers
from gridmap.io.ledger import write_json, write_ledger

__all__ = [
    "check_unchanged",
    "export_version",
    "file_fingerprint",
    "read_district",
    "read_edit_log",
    "save_edit",
    "undo",
    "version_bytes",
    "write_district",
    "write_json",
    "write_layers",
    "write_ledger",
]
