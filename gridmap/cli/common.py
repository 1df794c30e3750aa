"""What every subcommand shares: the typer `app` they register on and `progress`.

The subcommand modules import this module (never `gridmap.cli` itself), so
`gridmap/cli/__init__.py` can import them to register their commands without
an import cycle.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="gridmap",
    help="GridMap: fire-safety grid management (消防安全网格精细化管理).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("gridmap")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "unknown (not installed)"
        typer.echo(f"gridmap {number}")
        raise typer.Exit(0)


@app.callback()
def _options(
    show_version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    pass


def progress(message: str) -> None:
    """Print a progress line to standard error."""
    typer.echo(f"... {message}", err=True)
