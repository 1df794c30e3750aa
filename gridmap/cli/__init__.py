"""The `gridmap` command line: thin wrappers that parse, call the package and print.

Exit status: 0 success, 1 the command ran and found errors in the data,
2 the input could not be read or the command was misused.

Modules
-------
common
    The typer `app` every subcommand registers on, ``--version`` and `progress`.
options, outputs
    Option checks (dates, distances, DPI, language) and the output files and ``-``.
basic, check, export, importing, inspections, assess, site, users, audit
    The subcommands: ``info`` and ``demo``, ``check``, ``export-pdf``, ``import``,
    ``inspections`` and ``hazards``, ``assess``, ``site`` and ``bom``, ``users``
    (the app's accounts) and ``audit`` (the audit log).
audit_trail
    The CLI as the local administrator: the notice, the author of its edits, the
    audit lines of its exports, saves and imports, and ``--public``.

This module only registers the subcommands (`main`) and is the console-script
entry point (`run`).
"""

from __future__ import annotations

import sys

import typer

from gridmap.cli.common import app
from gridmap.errors import GridmapError


def _register() -> None:
    from gridmap.cli import (
        assess,  # noqa: F401
        audit,  # noqa: F401
        basic,  # noqa: F401  (commands register on import)
        check,  # noqa: F401
        export,  # noqa: F401
        importing,  # noqa: F401
        inspections,  # noqa: F401
        site,  # noqa: F401
        users,  # noqa: F401
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
