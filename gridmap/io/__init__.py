"""Everything that touches disk: GeoPackage stores, the edit log, ledgers, imports, printed maps.

Nothing outside `gridmap.io` opens a file. It also hands the renderers what
needs a disk or the network: `font_cache` (a `gridmap.render.pdf.FontStore`)
and `fetch_tile` (a basemap's tile fetcher); it never imports the renderers.

Modules
-------
gpkg, gpkg_health, field_types, extra_layers
    The district GeoPackage: `read_district`, `write_district`, `write_layers`.
editlog
    Saving edits with their log, undo and exported versions (`save_edit`).
atomic, locking, sharing, paths
    Atomic writes, file locks, other programs holding a file, data folders.
ledger
    Every ledger workbook (台帐, .xlsx) and JSON report, one `gridmap.schema.Sheet` type.
pdf_out
    Printed maps on disk (PDF, PNG, zip), the font cache and the tile fetcher.
import_readers, import_encoding, import_kml, import_damage, archives, uploads
    Reading import sources (Shapefile, GeoPackage, KML/KMZ, CSV/Excel, zip);
    `gridmap.tasks.import_layer` writes them into a district.
accounts, audit
    The user store (`UserStore`, ``users.sqlite``) and the append-only audit log
    (`AuditLog`, ``audit.sqlite``) in the GridMap home (`gridmap_home`), never
    in a district file.
vendor
    Installing the web map's JS/CSS files (``python -m gridmap.io.vendor``).

GDAL's PAM sidecars (``<name>.aux.xml``) are turned off for the whole process
here, before any module of the package opens a file through GDAL: GridMap keeps
everything it knows about a district inside the GeoPackage, and a read (`info`,
`check`) must leave nothing behind.
"""

import pyogrio

pyogrio.set_gdal_config_options({"GDAL_PAM_ENABLED": "NO"})

# ruff: noqa: E402  (the GDAL option above must be set before the modules below load)

from gridmap.io.accounts import UserStore, gridmap_home
from gridmap.io.audit import AuditLog
from gridmap.io.editlog import (
    check_unchanged,
    export_version,
    read_edit_log,
    save_edit,
    undo,
    version_bytes,
)
from gridmap.io.gpkg import file_fingerprint, read_district, write_district, write_layers
from gridmap.io.ledger import (
    compliance_summary_zh,
    compliance_table_zh,
    hazard_ledger_sheets,
    workbook_bytes,
    write_compliance_xlsx,
    write_hazard_ledger_xlsx,
    write_json,
    write_ledger,
    write_records_json,
    write_workbook,
)
from gridmap.io.pdf_out import (
    TileError,
    fetch_tile,
    font_cache,
    write_bytes,
    write_zip,
    zip_bytes,
)

__all__ = [
    "AuditLog",
    "TileError",
    "UserStore",
    "check_unchanged",
    "compliance_summary_zh",
    "compliance_table_zh",
    "fetch_tile",
    "font_cache",
    "gridmap_home",
    "hazard_ledger_sheets",
    "workbook_bytes",
    "write_bytes",
    "write_compliance_xlsx",
    "write_hazard_ledger_xlsx",
    "write_records_json",
    "write_workbook",
    "write_zip",
    "zip_bytes",
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
