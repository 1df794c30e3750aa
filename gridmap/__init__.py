"""GridMap: fire-safety grid management (消防安全网格精细化管理) for Chinese districts.

>>> import gridmap
>>> [name for name in gridmap.LAYERS if name.startswith("grid_")]
['grid_large', 'grid_medium', 'grid_small']
"""

from gridmap.district import District
from gridmap.errors import CRSError, DataError, GridmapError, Problem, SaveError
from gridmap.io import read_district, write_district
from gridmap.schema import LAYERS

__version__ = "0.1.0"

__all__ = [
    "CRSError",
    "DataError",
    "District",
    "GridmapError",
    "LAYERS",
    "Problem",
    "SaveError",
    "read_district",
    "write_district",
]
