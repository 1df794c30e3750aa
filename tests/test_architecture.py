"""The floors of the package hold: no import cycles, no upward imports, facades state their API.

Every module under gridmap/ is parsed with `ast` (nothing is imported or run),
and the import graph is built from its ``import`` and ``from ... import``
statements, including imports inside functions (a lazy import that dodges a
cycle is still a cycle). An edge goes to the most specific module named:
``from gridmap.analysis.coverage import scope`` is an edge to
``gridmap.analysis.coverage.scope`` when that is a module, else to the
package's ``__init__``. Imports under ``if TYPE_CHECKING:`` never run, so they
do not count for cycles, but they do count for the floors.

The rules are those of docs/architecture.md:

- no import cycle between modules;
- nothing in gridmap/ imports streamlit (the app lives in gridmap_app/);
- render never imports io (io passes the tile fetcher and the font cache in);
- io never imports gridmap.analysis (it reads and writes; the features compute);
- a feature package (gridmap/analysis/<feature>/) never imports gridmap.io,
  gridmap.cli or gridmap.render (features are pure);
- outside a feature package, nothing imports its private (``_``) modules or names;
- every package ``__init__.py`` under gridmap/analysis defines ``__all__``,
  and every name it lists is bound in that ``__init__``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gridmap"
FEATURES = "gridmap.analysis"


@dataclass(frozen=True)
class Import:
    """One imported target of one module, where it is written."""

    importer: str
    target: str  # the most specific gridmap module named, or the external name
    names: tuple[str, ...]  # the names taken by ``from target import ...`` (empty for ``import``)
    line: int
    type_only: bool  # under ``if TYPE_CHECKING:``
    lazy: bool  # inside a function

    def where(self) -> str:
        """``gridmap/x/y.py:12`` of the import, for messages."""
        return f"{_path_of(self.importer)}:{self.line}"


@dataclass(frozen=True)
class Module:
    """A module of gridmap/ as parsed: its dotted name, whether it is a package, its tree."""

    name: str
    path: Path
    is_package: bool
    tree: ast.Module


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


@cache
def modules() -> dict[str, Module]:
    """Every module under gridmap/, by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name, is_package = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found[name] = Module(name, path, is_package, tree)
    return found


def _path_of(name: str) -> str:
    module = modules().get(name)
    return str(module.path.relative_to(ROOT)) if module else name


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(
    body: list[ast.stmt], *, type_only: bool = False, lazy: bool = False
) -> list[tuple[ast.Import | ast.ImportFrom, bool, bool]]:
    """Every import statement in `body`, with (type_only, lazy), walking into blocks."""
    out: list[tuple[ast.Import | ast.ImportFrom, bool, bool]] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append((node, type_only, lazy))
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            out += _statements(node.body, type_only=True, lazy=lazy)
            out += _statements(node.orelse, type_only=type_only, lazy=lazy)
        else:
            inner = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    stmts = [s for s in block if isinstance(s, ast.stmt)]
                    # except handlers and match cases hold their statements one level down
                    for item in block:
                        if isinstance(item, ast.ExceptHandler | ast.match_case):
                            stmts += item.body
                    out += _statements(stmts, type_only=type_only, lazy=inner)
    return out


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


@cache
def imports() -> tuple[Import, ...]:
    """Every import of every module under gridmap/."""
    known = modules()
    found: list[Import] = []
    for module in known.values():
        for node, type_only, lazy in _statements(module.tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(Import(module.name, alias.name, (), node.lineno, type_only, lazy))
                continue
            source = _absolute(module, node)
            submodules = [f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in known]
            names = tuple(a.name for a in node.names if f"{source}.{a.name}" not in known)
            for target in submodules:
                found.append(Import(module.name, target, (), node.lineno, type_only, lazy))
            if names or not submodules:
                found.append(Import(module.name, source, names, node.lineno, type_only, lazy))
    return tuple(found)


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _feature_of(name: str) -> str | None:
    """``gridmap.analysis.coverage`` for any module of that feature package, else None."""
    parts = name.split(".")
    if len(parts) >= 3 and ".".join(parts[:2]) == FEATURES:
        return ".".join(parts[:3])
    return None


def _check(title: str, problems: list[str]) -> None:
    """Fail with `title` and one line per problem, without a traceback to wade through."""
    if problems:
        pytest.fail(f"{title} ({len(problems)}):\n  " + "\n  ".join(problems), pytrace=False)


# -- cycles ---------------------------------------------------------------------------------


def _graph() -> dict[str, dict[str, Import]]:
    """importer -> imported gridmap module -> the first import statement making that edge."""
    known = modules()
    graph: dict[str, dict[str, Import]] = {name: {} for name in known}
    for imp in imports():
        if imp.type_only or imp.target not in known or imp.target == imp.importer:
            continue
        graph[imp.importer].setdefault(imp.target, imp)
    return graph


def _components(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _shortest_cycle(
    graph: dict[str, dict[str, Import]], members: set[str], start: str
) -> list[str]:
    """A shortest cycle through `start`, staying inside `members`."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node]):
            if child == start:
                return [*paths[node], start]
            if child in members and child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def _cycles(graph: dict[str, dict[str, Import]], component: list[str]) -> list[list[str]]:
    """The shortest cycle through each module of a knot, each cycle once."""
    members = set(component)
    seen: set[frozenset[tuple[str, str]]] = set()
    found = []
    for start in component:
        cycle = _shortest_cycle(graph, members, start)
        edges = frozenset(zip(cycle, cycle[1:], strict=False))
        if edges not in seen:
            seen.add(edges)
            found.append(cycle)
    return found


def _flags(imp: Import) -> str:
    return "".join([", lazy" * imp.lazy, ", type only" * imp.type_only])


def test_no_import_cycle() -> None:
    graph = _graph()
    problems = []
    for component in _components(graph):
        for cycle in _cycles(graph, component):
            steps = [
                f"{importer} -> {target} ({graph[importer][target].where()}"
                f"{_flags(graph[importer][target])})"
                for importer, target in zip(cycle, cycle[1:], strict=False)
            ]
            problems.append(f"cycle {' -> '.join(cycle)}:\n      " + "\n      ".join(steps))
    _check("import cycles between modules of gridmap/", problems)


# -- floors ---------------------------------------------------------------------------------


def _violations(importer_in: str, forbidden: tuple[str, ...], why: str) -> list[str]:
    return [
        f"{imp.where()}: {imp.importer} imports {imp.target}{_flags(imp)} ({why})"
        for imp in imports()
        if _under(imp.importer, importer_in) and any(_under(imp.target, f) for f in forbidden)
    ]


def test_nothing_in_gridmap_imports_streamlit() -> None:
    problems = [
        f"{imp.where()}: {imp.importer} imports {imp.target} (widgets belong in gridmap_app/)"
        for imp in imports()
        if imp.target.split(".")[0] == "streamlit" or imp.target.startswith("streamlit_")
    ]
    _check("gridmap/ imports streamlit", problems)


def test_render_never_imports_io() -> None:
    why = "render draws what it is given; io passes the tile fetcher and the font cache in"
    problems = _violations("gridmap.render", ("gridmap.io",), why)
    _check("render imports io", problems)


def test_io_never_imports_analysis() -> None:
    why = "io reads and writes; the callers run the features"
    problems = _violations("gridmap.io", (FEATURES,), why)
    _check("io imports gridmap.analysis", problems)


def test_feature_packages_are_pure() -> None:
    forbidden = ("gridmap.io", "gridmap.cli", "gridmap.render")
    problems = [
        f"{imp.where()}: {imp.importer} imports {imp.target}{_flags(imp)} "
        "(a feature package takes layers and returns results; io, cli and render call it)"
        for imp in imports()
        if _feature_of(imp.importer) and any(_under(imp.target, f) for f in forbidden)
    ]
    _check("feature packages import io, cli or render", problems)


def test_nothing_outside_a_feature_imports_its_private_parts() -> None:
    problems = []
    for imp in imports():
        feature = _feature_of(imp.target)
        if feature is None or _feature_of(imp.importer) == feature:
            continue
        private_parts = [p for p in imp.target.split(".")[3:] if p.startswith("_")]
        private_names = [n for n in imp.names if n.startswith("_") and not n.endswith("__")]
        if private_parts or private_names:
            what = ", ".join([imp.target] * bool(private_parts) + private_names)
            problems.append(
                f"{imp.where()}: {imp.importer} imports private {what} of {feature} "
                f"(import what {feature}/__init__.py lists in __all__)"
            )
    _check("private modules or names of feature packages used outside", problems)


# -- facades ----------------------------------------------------------------------------------


def _bound_names(tree: ast.Module) -> set[str]:
    """Names a module binds at its top level (assignments, imports, defs, classes)."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    return bound


def _declared_all(tree: ast.Module) -> ast.expr | None:
    """The value assigned to ``__all__`` at the module's top level, if any."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return value
    return None


def test_every_analysis_package_states_its_api_in_all() -> None:
    problems = []
    for module in modules().values():
        if not (module.is_package and _under(module.name, FEATURES)):
            continue
        where = module.path.relative_to(ROOT)
        value = _declared_all(module.tree)
        if value is None:
            what = "the feature's public API" if _feature_of(module.name) else "its public names"
            problems.append(f"{where}: no __all__ (list {what}, or [] when there is none)")
            continue
        if not isinstance(value, ast.List | ast.Tuple) or not all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
        ):
            problems.append(f"{where}:{value.lineno}: __all__ is not a literal list of strings")
            continue
        listed = [e.value for e in value.elts if isinstance(e, ast.Constant)]
        bound = _bound_names(module.tree)
        missing = sorted(set(listed) - bound)
        twice = sorted({name for name in listed if listed.count(name) > 1})
        if missing:
            problems.append(
                f"{where}: __all__ lists names it does not define: {', '.join(missing)}"
            )
        if twice:
            problems.append(f"{where}: __all__ lists twice: {', '.join(twice)}")
    _check("feature package facades", problems)


def test_the_parser_sees_the_package() -> None:
    """A guard for the rules above: the graph is not empty and relative imports resolve."""
    known = modules()
    assert "gridmap.analysis.coverage" in known and known["gridmap.analysis.coverage"].is_package
    targets = {imp.target for imp in imports() if imp.target.startswith("gridmap.")}
    assert len(known) > 100 and len(targets) > 50
    unknown = sorted(
        f"{imp.where()}: {imp.target}"
        for imp in imports()
        if _under(imp.target, "gridmap") and imp.target not in known
    )
    _check("imports of gridmap modules that do not exist", unknown)
