"""Everything that touches disk: GeoPackage stores, the edit log, ledgers and imports.

Nothing outside `gridmap.io` opens a file.

GDAL's PAM sidecars (``<name>.aux.xml``) are turned off for the whole process
here, before any module of the package opens a file through GDAL: GridMap keeps
everything it knows about a district inside the GeoPackage, and a read (`info`,
`check`) must leave nothing behind.
"""

import pyogrio

pyogrio.set_gdal_config_options({"GDAL_PAM_ENABLED": "NO"})

# ruff: noqa: E402  (the GDAL option above must be set before the modules below load)

from gridmap.io.editlog import (
    check_unchanged,
    export_version,
    read_edit_log,
    save_edit,
    undo,
    version_bytes,
)
from gridmap.io.edit_commit import commit_edits
from gridmap.io.gpkg import file_fingerprint, read_district, write_district, write_layers
from gridmap.io.ledger import write_json, write_ledger

__all__ = [
    "check_unchanged",
    "commit_edits",
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
