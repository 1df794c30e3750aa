"""The Streamlit side of GridMap: shared sidebar, cached loading, page widgets.

`app.py` declares the navigation and draws the shared sidebar
(`gridmap_app.context`); pages read the `Context` it leaves, load through the
cached functions of `gridmap_app.loading` and draw with
`gridmap_app.coverage`. All analysis and map building lives in the
`gridmap` package, which never imports streamlit.
"""

import os
from pathlib import Path

#: The folder holding app.py, static/ and data/.
APP_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_SAMPLE = APP_ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
VENDOR_DIR = APP_ROOT / "static" / "vendor"


def sample_path() -> Path:
    """The district opened on first start: ``$GRIDMAP_SAMPLE`` or the bundled sample."""
    return Path(os.environ.get("GRIDMAP_SAMPLE") or BUNDLED_SAMPLE)
