"""A pytest plugin (``-p _doctest_sample`` in pyproject): the sample for the docstring examples.

pytest's doctest run (``--doctest-modules``) gives the feature packages' examples the sample.
The examples of `gridmap.analysis` find the bundled sample district as ``district``,
read once per session (tests/test_docstring_examples.py runs them the same way).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
FEATURES = ROOT / "gridmap" / "analysis"


@functools.cache
def _sample():
    from gridmap.io import read_district

    return read_district(SAMPLE)


@pytest.fixture(autouse=True)
def _sample_district(request: pytest.FixtureRequest) -> None:
    node = request.node
    if type(node).__name__ == "DoctestItem" and FEATURES in Path(node.path).parents:
        request.getfixturevalue("doctest_namespace")["district"] = _sample()
