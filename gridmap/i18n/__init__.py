"""The one translation table of the user interface: Chinese by default, English on request.

Every text the app, the web map and printed maps show comes from here. The
table is kept in one module per part of the product (``text_app`` for the shell
and the coverage map, ``text_edit``, ``text_inspections``, ``text_equipment``,
``text_printing``, ``text_imports``, ``text_plan``, ``text_access``) and merged into `TEXT`;
a key defined twice is an error at import. Layer, field and enumeration labels
are not repeated: they come from `gridmap.schema` through `layer_label`,
`field_label` and `choice_label`.

>>> t("kpi.errors")
'错误问题'
>>> t("kpi.errors", "en")
'Error findings'
>>> t("upload.help", "en", mb=200)
'GeoPackage (.gpkg), at most 200 MB.'
>>> layer_label("grid_small", "en")
'small grid (responsibility zone)'
>>> choice_label("small_venue"), choice_label("small_venue", "en")
('九小场所', 'nine small venues')
"""

from __future__ import annotations

from typing import Literal

from gridmap.i18n import (
    text_access,
    text_app,
    text_edit,
    text_equipment,
    text_imports,
    text_inspections,
    text_plan,
    text_printing,
)
from gridmap.schema import CHOICE_LABELS_EN, CHOICE_LABELS_ZH, LAYERS

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
#: How each language names itself in the language switch.
LANG_NAMES = {"zh": "中文", "en": "English"}

#: The tables, one module per part of the app; keys must not repeat across them.
_TABLES = (
    text_app,
    text_access,
    text_plan,
    text_edit,
    text_equipment,
    text_imports,
    text_inspections,
    text_printing,
)


def _merge(tables: tuple) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for module in tables:
        repeated = sorted(set(merged) & set(module.TEXT))
        if repeated:
            raise ValueError(f"{module.__name__} repeats the keys {repeated}")
        merged.update(module.TEXT)
    return merged


#: key -> (Chinese, English), the whole table. Placeholders use str.format names.
TEXT: dict[str, tuple[str, str]] = _merge(_TABLES)


def require_lang(value: object, *, option: str = "lang") -> Lang:
    """`value` as one of `LANGS`, else `OptionError` listing them (``--lang xx`` is refused).

    >>> require_lang(" EN ")
    'en'
    """
    from gridmap.errors import OptionError

    code = str(value).strip().lower()
    if code not in LANGS:
        accepted = ", ".join(f"{lang} ({LANG_NAMES[lang]})" for lang in LANGS)
        raise OptionError(
            f"{option} {value!r} is not a language GridMap speaks. Fix: choose one of {accepted}."
        )
    return code


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """Return the text for `key` in `lang`, with ``{name}`` placeholders filled."""
    try:
        zh, en = TEXT[key]
    except KeyError:
        raise KeyError(
            f"no translation for {key!r}; add it to a table in gridmap/i18n/text_*.py"
        ) from None
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def layer_label(layer: str, lang: str = DEFAULT_LANG) -> str:
    """Return the schema's label of a layer."""
    spec = LAYERS[layer]
    return spec.en if lang == "en" else spec.zh


def field_label(layer: str, field: str, lang: str = DEFAULT_LANG) -> str:
    """Return the schema's label of a field of a layer."""
    spec = LAYERS[layer].field(field)
    return spec.en if lang == "en" else spec.zh


def choice_label(value: str, lang: str = DEFAULT_LANG) -> str:
    """Label of an enumerated value (a unit category, a building use...)."""
    if lang == "en":
        return CHOICE_LABELS_EN.get(value, value.replace("_", " "))
    return CHOICE_LABELS_ZH.get(value, value)


def check_label(
    check: str, checks: dict[str, tuple[str, str, str]], lang: str = DEFAULT_LANG
) -> str:
    """Label of a coverage check from the analysis' ``CHECKS`` table."""
    entry = checks.get(check)
    if entry is None:
        return check
    return entry[2] if lang == "en" else entry[1]
