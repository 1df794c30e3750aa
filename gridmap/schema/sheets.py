"""The one worksheet type of GridMap's ledgers (台帐): a tab name, a title line and a table.

Feature packages build their ledgers as lists of `Sheet` (pure data);
`gridmap.io.ledger` lays them out and writes them.

>>> import pandas as pd
>>> Sheet("汇总", "巡查频次落实情况 汇总", pd.DataFrame({"网格数": [3]})).name
'汇总'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its tab name, the title line above the table, and the table."""

    name: str
    title: str
    table: pd.DataFrame
