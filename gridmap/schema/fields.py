"""The building blocks of the data model: `Choice`, `Field` and `LayerSpec`.

A `Field` is one attribute of a layer: its type, its Chinese and English labels,
the column names real ledgers (台帐) use for it (`aliases`, per layer) and, for
an enumerated field, its values as `Choice` records (code, labels and the other
Chinese names accepted on load, per field).

>>> f = Field("severity", "text", "隐患等级", "severity", labels=(
...     Choice("general", "一般", "general", ("一般隐患",)),
...     Choice("major", "重大隐患", "major", ("重大火灾隐患",))))
>>> f.choices
('general', 'major')
>>> f.choice_codes()["重大火灾隐患"], f.choice_codes()["general"]
('major', 'general')
>>> f.accepted_values()
'general (一般, 一般隐患), major (重大隐患, 重大火灾隐患)'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal["id", "text", "int", "float", "bool", "datetime"]

POLYGONAL = ("Polygon", "MultiPolygon")
POINT = ("Point",)

#: Time zone in which GridMap stores and compares all dates and times.
TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Choice:
    """One value of an enumerated field.

    Attributes
    ----------
    code
        The value stored in the file and used in code (``general``).
    zh, en
        The labels shown in Chinese and English (``一般``, ``general``).
    aliases
        Other Chinese names of the value found in real ledgers, accepted on
        load for this field only (``一般单位`` for a unit, ``一般隐患`` for a hazard).
    """

    code: str
    zh: str
    en: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def label_en(self) -> str:
        """The English label (the code with spaces when none is given)."""
        return self.en or self.code.replace("_", " ")


@dataclass(frozen=True)
class Field:
    """One attribute of a layer.

    An enumerated field gives its values as `labels` (`Choice` records);
    `choices` then holds their codes.
    """

    name: str
    kind: FieldKind
    zh: str
    en: str
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    personal: bool = False
    labels: tuple[Choice, ...] = ()

    def __post_init__(self) -> None:
        codes = tuple(c.code for c in self.labels)
        if self.labels and self.choices and self.choices != codes:
            raise ValueError(f"field {self.name!r}: choices {self.choices} != labels {codes}")
        if self.labels and not self.choices:
            object.__setattr__(self, "choices", codes)

    def choice_codes(self) -> dict[str, str]:
        """Every accepted spelling of the field's values -> its code.

        Codes, Chinese labels and their aliases, each as written and stripped;
        empty for a field without choices.
        """
        out: dict[str, str] = {}
        for choice in self.labels:
            for text in (choice.code, choice.zh, *choice.aliases):
                out.setdefault(text.strip(), choice.code)
        for code in self.choices:
            out.setdefault(code, code)
        return out

    def choice_label(self, code: str, lang: str = "zh") -> str:
        """Return the label of one of the field's values (the code itself when unknown)."""
        for choice in self.labels:
            if choice.code == code:
                return choice.label_en if lang == "en" else choice.zh
        return code

    def accepted_values(self) -> str:
        """Return the codes and Chinese names, for an error message listing what is accepted."""
        if not self.labels:
            return ", ".join(self.choices)
        return ", ".join(f"{c.code} ({', '.join((c.zh, *c.aliases))})" for c in self.labels)


@dataclass(frozen=True)
class LayerSpec:
    """One layer of a district GeoPackage."""

    name: str
    zh: str
    en: str
    id_field: str
    fields: tuple[Field, ...]
    geometry: tuple[str, ...] | None
    geometry_optional: bool = False
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def field_names(self) -> tuple[str, ...]:
        """The names of the layer's fields, in schema order."""
        return tuple(f.name for f in self.fields)

    @property
    def required_fields(self) -> tuple[str, ...]:
        """The names of the layer's required fields."""
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        """Return the field `name` of the layer; `KeyError` if it has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"layer {self.name!r} has no field {name!r}")

    def alias_map(self) -> dict[str, str]:
        """Map every accepted column name (lower-cased) to the canonical field name."""
        out: dict[str, str] = {}
        for f in self.fields:
            for alias in (f.name, *f.aliases):
                out[alias.strip().lower()] = f.name
        return out
