"""The docstring examples of the feature packages run, on the bundled sample (issue 15).

Every module of `gridmap.analysis`'s feature packages is run with `doctest`; the
examples find the sample district read once per test module as ``district``
(``gridmap.io.read_district("data/boundaries/shangjie_demo.gpkg")``), as momepy's
examples run on its bundled data. Every public function of a package's ``__all__``
must have an ``Examples`` section, so an example cannot quietly go missing.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import io
import pkgutil
from pathlib import Path

import pytest

import gridmap.analysis
from gridmap.io import read_district

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
PACKAGES = sorted(
    f"gridmap.analysis.{found.name}"
    for found in pkgutil.iter_modules(gridmap.analysis.__path__)
    if found.ispkg
)


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        path = importlib.import_module(package).__path__
        names += [package, *(f"{package}.{m.name}" for m in pkgutil.iter_modules(path))]
    return names


@pytest.fixture(scope="module")
def district():
    return read_district(SAMPLE)


@pytest.mark.parametrize("name", _modules())
def test_examples_run(name: str, district) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    out = io.StringIO()
    for test in doctest.DocTestFinder().find(module, name, extraglobs={"district": district}):
        runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_function_has_an_example(package: str) -> None:
    module = importlib.import_module(package)
    functions = [getattr(module, n) for n in module.__all__]
    missing = [
        f.__name__
        for f in functions
        if inspect.isfunction(f) and "\nExamples\n--------\n" not in (inspect.getdoc(f) or "")
    ]
    assert missing == []
