"""The translation table: complete in both languages, and every key the UI asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from gridmap.i18n import LANGS, TEXT, check_label, choice_label, field_label, layer_label, t
from gridmap.render.web.tiles import PROVIDERS
from gridmap.schema import LAYERS, UNIT_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
#: Every file of the app and of the renderers that asks for texts by literal key.
UI_SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "gridmap_app").rglob("*.py")),
    *sorted((ROOT / "gridmap" / "render").rglob("*.py")),
]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_text_has_both_languages_with_the_same_placeholders(key: str) -> None:
    zh, en = TEXT[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)


def test_every_literal_key_used_by_the_ui_exists() -> None:
    used = set()
    for path in UI_SOURCES:
        used |= set(re.findall(r"""\b(?:t|text)\(\s*["']([a-z_.0-9]+)["']""", path.read_text()))
    assert used, "no t('...') calls found"
    assert used <= set(TEXT), sorted(used - set(TEXT))


def test_keys_built_from_names_exist() -> None:
    for name in ("buildings", "households", "units", "errors", "no_leader", "grids"):
        assert f"kpi.{name}" in TEXT
    for name in ("none", "households", "units", "findings"):
        assert f"choro.{name}" in TEXT
    for name in ("sample", "upload", "path"):
        assert f"source.{name}" in TEXT
    for provider in PROVIDERS.values():
        assert provider.label_key in TEXT
    for severity in ("error", "warning"):
        assert f"severity.{severity}" in TEXT


def test_labels_come_from_the_schema() -> None:
    for lang in LANGS:
        for name, spec in LAYERS.items():
            assert layer_label(name, lang) == (spec.en if lang == "en" else spec.zh)
    assert field_label("grid_small", "leader") == "负责人"
    assert field_label("equipment_points", "extinguishers", "en") == "fire extinguishers"
    for category in UNIT_CATEGORIES:
        assert choice_label(category) != category
        assert choice_label(category, "en")


def test_t_fills_placeholders_and_names_unknown_keys() -> None:
    assert t("upload.help", "zh", mb=200) == "GeoPackage (.gpkg)，不超过 200 MB。"
    assert t("kpi.errors", "fr") == "错误问题"  # unknown languages fall back to Chinese
    with pytest.raises(KeyError, match="gridmap/i18n/text_"):
        t("no.such.key")


def test_check_labels_come_from_the_analysis() -> None:
    from gridmap.analysis.coverage import CHECKS

    assert check_label("gap", CHECKS) == CHECKS["gap"][1]
    assert check_label("gap", CHECKS, "en") == "gap"
    assert check_label("mystery", CHECKS) == "mystery"


def test_a_key_defined_in_two_tables_is_refused() -> None:
    from types import SimpleNamespace

    from gridmap.i18n import _merge

    first = SimpleNamespace(__name__="text_a", TEXT={"x.y": ("甲", "a")})
    second = SimpleNamespace(__name__="text_b", TEXT={"x.y": ("乙", "b")})
    with pytest.raises(ValueError, match=r"text_b repeats the keys \['x.y'\]"):
        _merge((first, second))
