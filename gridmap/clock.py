"""What time it is where the records are kept: Asia/Shanghai (`gridmap.schema.TIMEZONE`).

The one home of "now" and "today" for the CLI, the app and the layer checks.
The machine's clock may be on UTC, where it is still yesterday for the first
eight hours of a Shanghai day, so ``dt.date.today()`` and naive
``datetime.now()`` are never used for a record's date. Analysis functions do
not call these: they take ``now`` / ``as_of`` as arguments and stay pure.

Tests pin the clock by replacing `now_in_shanghai` on this module
(``monkeypatch.setattr(gridmap.clock, "now_in_shanghai", ...)``); callers use
``clock.now_in_shanghai()`` through the module so the replacement is seen.

>>> now_in_shanghai().tz.key
'Asia/Shanghai'
>>> floor_minute(pd.Timestamp("2026-03-10 08:59:59.9", tz="Asia/Shanghai"))
Timestamp('2026-03-10 08:59:00+0800', tz='Asia/Shanghai')
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gridmap.schema import TIMEZONE


def now_in_shanghai() -> pd.Timestamp:
    """Return the current time as an aware Asia/Shanghai timestamp."""
    return pd.Timestamp.now(tz=TIMEZONE)


def today_in_shanghai() -> dt.date:
    """Today's date in Asia/Shanghai (not the machine's local or UTC date)."""
    return now_in_shanghai().date()


def floor_minute(stamp: pd.Timestamp) -> pd.Timestamp:
    """`stamp` rounded down to the whole minute (seconds and below dropped)."""
    return pd.Timestamp(stamp).floor("min")
