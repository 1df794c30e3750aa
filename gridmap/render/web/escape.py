r"""The one escaping of text from data that GridMap's web maps place in HTML.

Two homes, one per side:

* Python: `html_text` escapes every value a map builds into HTML on the server
  (folium GeoJSON tooltips, folium tooltips, legends, layer names in the layer
  control). `escaped_columns` applies it to the text columns of a frame before
  it becomes GeoJSON, so a tooltip shows the data as text.
* Browser: ``GM.esc`` in `gridmap.render.web.mapjs` escapes what the GM runtime
  draws from its JSON specs (the coverage and compliance maps' tooltips, popups,
  labels and legend); those specs carry the data as it is, written by
  `gridmap.render.web.elements.script_json`.

`html_text` is `html.escape` with ``quote=True`` and five more characters as
numeric references, for the places folium and branca put such text: folium's
``Tooltip`` writes it into a JavaScript template literal (where `` ` ``, ``${``
and ``\`` are code), and branca compiles every rendered script once more as a
Jinja template (where ``{{`` and ``{%`` are code run on the server). A
character reference displays as the character in HTML, so the text reads the
same.

>>> html_text('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> html_text("{{ 7*7 }} ${x} `a\\b` O'Neil & 上街")
'&#123;&#123; 7*7 &#125;&#125; &#36;&#123;x&#125; &#96;a&#92;b&#96; O&#x27;Neil &amp; 上街'
>>> html_text(None), html_text(3.5)
('', '3.5')
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

#: Characters `html.escape` leaves that are code where folium and branca put text.
_MORE = str.maketrans({"{": "&#123;", "}": "&#125;", "$": "&#36;", "`": "&#96;", "\\": "&#92;"})


def html_text(value: Any) -> str:
    """`value` as text safe in HTML, a quoted attribute, a JS template literal and Jinja.

    None (and a missing value) is the empty string; anything else is `str(value)`.
    """
    if _missing(value):
        return ""
    return html.escape(str(value), quote=True).translate(_MORE)


def escaped_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of `frame` whose text columns are `html_text`.

    Text columns are every non-numeric, non-geometry one; missing values stay missing,
    numbers and booleans stay as they are.
    """
    out = frame.copy()
    geometry = getattr(frame, "_geometry_column_name", None)
    for column in out.columns:
        series = out[column]
        if column == geometry or pd.api.types.is_numeric_dtype(series.dtype):
            continue  # numbers and booleans (numeric to pandas) are no markup
        out[column] = [None if _missing(v) else html_text(v) for v in series]
    return out


def _missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and pd.isna(value))
