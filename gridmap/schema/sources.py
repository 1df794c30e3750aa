"""`SourceTable`: one imported file as read from disk, handed from io to the import feature.

It lives in the schema floor, beside `gridmap.schema.Sheet`, because both
`gridmap.io.import_readers` (which fills it) and `gridmap.analysis.importing`
(which maps and checks it) use it, and neither may import the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class SourceTable:
    """One source as read from disk: a GeoDataFrame, or a plain table (CSV/Excel ledger).

    `notes` say what the reader assumed or detected; `warnings` what the user
    should check (an encoding that disagrees with the file's own header).
    `unreadable` lists the rows (0-based, in file order) whose geometry the
    file holds but could not be read (a damaged Shapefile record): they are
    read with no geometry, and an import refuses them unless told to skip them.
    """

    frame: pd.DataFrame
    file: str
    format: str
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    unreadable: tuple[int, ...] = ()
