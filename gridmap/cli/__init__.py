"""The `gridmap` command line: thin wrappers that parse, call the package and print.

Exit status: 0 success, 1 the command ran and found errors in the data,
2 the input could not be read or the command was misused.
"""

from __future__ import annotations

import sys

import typer

from gridmap.errors import GridmapError

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


def _register() -> None:
    from gridmap.cli import (
        assess,  # noqa: F401
        basic,  # noqa: F401  (commands register on import)
        check,  # noqa: F401
        export,  # noqa: F401
        importing,  # noqa: F401
        inspections,  # noqa: F401
        site,  # noqa: F401
    )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a `GridmapError` becomes one readable message and exit status 2."""
    _register()
    try:
        code = app(args=argv, standalone_mode=False)  # click returns typer.Exit's code here
    except GridmapError as exc:
        typer.echo(f"gridmap: error: {exc}", err=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("gridmap: aborted", err=True)
        return 130
    except typer.TyperException as exc:  # usage errors: unknown command, bad option
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        return int(getattr(exc, "exit_code", 2))
    return code if isinstance(code, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
