"""Personal data masked by role: ``138****1234``, ``张*``, or left out altogether.

The schema marks the personal fields (`gridmap.schema.Field.personal`):
leaders', household heads', managers' and inspectors' names, phones and
members. Outside a user's scope each is masked: a phone keeps its first three
and last four digits, a name its first character. Free text anywhere (a
hazard's description, a column GridMap does not know) keeps no phone or ID
number either. A public version (`public=True`) has no personal field at all.

>>> mask_phone("13812341234"), mask_name("张三"), mask_name("欧阳明月")
('138****1234', '张*', '欧***')
>>> mask_text("联系 13812341234，身份证 110101199003071234")
'联系 138****1234，身份证 1101**********1234'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from gridmap.analysis.access.scope import Scope, rows_in_scope
from gridmap.district import District
from gridmap.schema import LAYERS

#: Fields whose values are phone numbers (the rest of the personal fields are names).
PHONE_FIELDS: frozenset[str] = frozenset({"phone"})

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[-\s]?(\d{3,4})(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9Xx])(\d{4})(\d{10})(\d{3}[0-9Xx])(?![0-9Xx])")
_SEPARATORS = re.compile(r"([、,，;；/\s]+)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: Text that may hold a phone or ID number (seven digits in a row, or a dialling code and a dash).
_MAY_HOLD_NUMBER = r"[0-9]{7}|0[0-9]{2,3}[-\s][0-9]{3}"


def mask_phone(value: object) -> object:
    """Hide the middle digits of a phone number; missing values stay missing.

    Examples
    --------
    >>> mask_phone("0371-6712 3456"), mask_phone("110"), mask_phone(None)
    ('037****3456', '****', None)
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return value
    digits = re.sub(r"\D", "", str(value))
    if len(digits) < 7:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"


def _mask_one_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def mask_name(value: object) -> object:
    """Hide all but the first character of a name (or of each name in a list: 张三、李四).

    Examples
    --------
    >>> mask_name("张三、李四"), mask_name("Li Wei")
    ('张*、李*', 'L*****')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return value
    text = str(value).strip()
    if not text:
        return text
    if not _SEPARATORS.search(text):
        return _mask_one_name(text)
    if _HAN.search(text):
        parts = _SEPARATORS.split(text)
        return "".join(p if _SEPARATORS.fullmatch(p) else _mask_one_name(p) for p in parts)
    return _mask_one_name(text)


def mask_text(value: object) -> object:
    """Mask every phone and ID number in free text; the rest of the text is unchanged.

    Examples
    --------
    >>> mask_text("楼道堆物，请联系 13812341234")
    '楼道堆物，请联系 138****1234'
    """
    if not isinstance(value, str):
        return value
    value = _ID_NUMBER.sub(lambda m: f"{m[1]}{'*' * 10}{m[3][-4:]}", value)
    value = _MOBILE.sub(lambda m: f"{m[1]}****{m[3]}", value)
    return _LANDLINE.sub(lambda m: f"{m[1][:3]}****{m[3]}", value)


def personal_fields(name: str) -> tuple[str, ...]:
    """Return the personal fields of layer `name` in the schema (none for unknown layers).

    Examples
    --------
    >>> personal_fields("households")
    ('head', 'phone')
    """
    spec = LAYERS.get(name)
    return tuple(f.name for f in spec.fields if f.personal) if spec else ()


def _text_columns(frame: pd.DataFrame, name: str, skip: tuple[str, ...]) -> list[str]:
    """Columns of free text: the schema's text fields and columns the schema does not know.

    Ids, codes and choices are left alone, so a masked view still joins.
    """
    spec = LAYERS.get(name)
    kinds = {f.name: f.kind for f in spec.fields} if spec else {}
    geometry = getattr(frame, "_geometry_column_name", None)
    return [
        c
        for c in frame.columns
        if c not in skip
        and c != geometry
        and kinds.get(c, "text") == "text"
        and (pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c]))
    ]


def mask_layer(
    frame: pd.DataFrame, name: str, shown: np.ndarray, *, public: bool = False
) -> pd.DataFrame:
    """Layer `name` with personal data masked on the rows not `shown` in full.

    With `public` the personal fields are dropped and free text is masked on
    every row. The frame is copied only when something changes.

    Examples
    --------
    >>> import numpy as np
    >>> medium = district["grid_medium"]
    >>> shown = np.arange(len(medium)) == 0  # only the first community in full
    >>> mask_layer(medium, "grid_medium", shown)[["name", "leader", "phone"]].head(2)
       name leader        phone
    0  金华社区     赵凯  18900007658
    1  桂园社区    蔡**  137****7210
    >>> "phone" in mask_layer(medium, "grid_medium", shown, public=True)
    False
    """
    hidden = ~np.asarray(shown, dtype=bool)
    fields = tuple(f for f in personal_fields(name) if f in frame)
    if public:
        frame = frame.drop(columns=list(fields))
        hidden = np.ones(len(frame), dtype=bool)
        fields = ()
    if not hidden.any():
        return frame
    out = frame.copy()
    for column in fields:
        masker = mask_phone if column in PHONE_FIELDS else mask_name
        out.loc[hidden, column] = _map_unique(out.loc[hidden, column], masker)
    for column in _text_columns(out, name, fields):
        values = out.loc[hidden, column]
        texts = values.astype("string")
        holds = texts.str.contains(_MAY_HOLD_NUMBER, regex=True).fillna(False).to_numpy(bool)
        if holds.any():
            rows = values.index[holds]
            out.loc[rows, column] = values[holds].map(mask_text)
    return out


def _map_unique(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """`values.map(fn)`, calling `fn` once per distinct value (names and phones repeat)."""
    present = values.dropna()
    lookup = {v: fn(v) for v in pd.unique(present)}
    return values.map(lookup)


def mask_district(district: District, scope: Scope, *, public: bool = False) -> District:
    """`district` as `scope` may see it: personal data masked outside the scope.

    The result has ``masked=True`` (unless nothing needed masking) and is for
    showing and exporting only: `gridmap.io.save_edit` refuses to save it.
    Counts, geometry and every other field are unchanged, so checks and maps
    over the masked view count everything. With `public`, the personal fields
    are left out of every layer (a public version of an export).

    Examples
    --------
    The sample district as a viewer sees it:

    >>> from gridmap.analysis.access.scope import NONE
    >>> viewer = mask_district(district, NONE)
    >>> viewer.masked, viewer["grid_medium"]["phone"].iloc[0], viewer["households"]["head"].iloc[0]
    (True, '189****7658', '...*')
    """
    if scope.full and not public:
        return district
    layers = {
        name: mask_layer(frame, name, rows_in_scope(district, name, frame, scope), public=public)
        for name, frame in district.layers.items()
    }
    return replace(district, layers=layers, masked=True)
