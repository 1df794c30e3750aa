"""Where a command's output files go: a file, or standard output for ``-``; never half of them.

Every command declares its output options first (`Outputs.declare`), before
it reads anything, so a misused option fails before any work:

- ``--json -`` (any text output) writes to standard output; the command's
  summary then goes to standard error, so the JSON stays parseable;
- a binary output (``--xlsx -``, ``--out -`` for a PDF) goes to standard
  output only when it is redirected or piped, never to a terminal;
- a GeoPackage cannot be streamed, and only one output may be ``-``.

Files are written through the package's atomic writers. When a command fails
after writing some of its outputs, `Outputs.guard` removes the files it
created, so a failed command leaves no output behind (a file it replaced is
left as the writer left it: whole, the new or the old version).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import typer

from gridmap.errors import OptionError

#: text: JSON and other text (may go to standard output); binary: xlsx, pdf, png, zip
#: (standard output only when it is not a terminal); file: only a real file (GeoPackage).
Kind = Literal["text", "binary", "file"]
STDOUT = "-"


def is_stdout(path: Path | str | None) -> bool:
    """Return True for the conventional ``-``."""
    return path is not None and str(path) == STDOUT


def _terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


@dataclass
class Outputs:
    """The output options of one command run, checked up front and written safely."""

    kinds: dict[str, Kind] = field(default_factory=dict)
    paths: dict[str, Path | None] = field(default_factory=dict)
    created: list[Path] = field(default_factory=list)

    def declare(self, option: str, path: Path | None, kind: Kind, *, what: str = "") -> None:
        """Record an output option; `OptionError` now when ``-`` cannot be honoured."""
        self.kinds[option], self.paths[option] = kind, path
        if not is_stdout(path):
            return
        thing = what or {"text": "the text", "binary": "the file", "file": "the file"}[kind]
        if kind == "file":
            raise OptionError(
                f"{option} -: {thing} cannot be written to standard output. "
                f"Fix: give a file name, e.g. {option} district.gpkg."
            )
        if kind == "binary" and _terminal():
            raise OptionError(
                f"{option} -: {thing} is binary and would garble the terminal. "
                f"Fix: redirect or pipe it ({option} - > out{_suffix(what)}), or give a file name."
            )
        others = [o for o, p in self.paths.items() if o != option and is_stdout(p)]
        if others:
            raise OptionError(
                f"{others[0]} - and {option} - would both write to standard output. "
                f"Fix: give a file name to one of them."
            )

    @property
    def stdout_taken(self) -> bool:
        """True when an output goes to standard output (the summary then goes to stderr)."""
        return any(is_stdout(p) for p in self.paths.values())

    def echo(self, text: str) -> None:
        """Print the human summary: to stdout, or to stderr when stdout carries an output."""
        typer.echo(text, err=self.stdout_taken)

    def write(self, option: str, write: Callable[[Path], object], *, suffix: str = "") -> None:
        """Write the output of `option` with ``write(path)`` (a package writer)."""
        path = self.paths[option]
        if path is None:
            return
        if is_stdout(path):
            self._stream(write, binary=self.kinds[option] != "text", suffix=suffix)
            return
        self.write_file(path, write)

    def write_file(self, path: Path, write: Callable[[Path], object]) -> None:
        """Write one more file of the command (a PNG page beside the PDF), tracked by `guard`."""
        existed = path.exists()
        write(path)
        if not existed:
            self.created.append(path)

    def _stream(self, write: Callable[[Path], object], *, binary: bool, suffix: str) -> None:
        with tempfile.TemporaryDirectory(prefix="gridmap-stdout-") as folder:
            tmp = Path(folder) / f"out{suffix}"
            write(tmp)
            data = tmp.read_bytes()
        if binary:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()

    @contextlib.contextmanager
    def guard(self) -> Iterator[Outputs]:
        """Remove the files this run created when the command fails inside the block."""
        try:
            yield self
        except typer.Exit:  # the command ran to its end (exit 1: errors found in the data)
            raise
        except BaseException:
            for path in self.created:
                with contextlib.suppress(OSError):
                    path.unlink()
            self.created.clear()
            raise


def _suffix(what: str) -> str:
    for word, suffix in (("PDF", ".pdf"), ("workbook", ".xlsx"), ("zip", ".zip")):
        if word in what:
            return suffix
    return ""
