"""Typed errors, and the `Problem` record that validation collects.

Validation never stops at the first problem: it collects every `Problem` it
finds and raises one `DataError` listing them all, each naming the file, the
layer and the field, and saying how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is, what it is and how to fix it."""

    severity: Severity
    message: str
    file: str | None = None
    layer: str | None = None
    field: str | None = None
    fix: str | None = None
    count: int | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"file {self.file}" if self.file else "",
                f"layer {self.layer!r}" if self.layer else "",
                f"field {self.field!r}" if self.field else "",
            )
            if part
        )
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f" Fix: {self.fix}"
        return text

    def as_dict(self) -> dict[str, object]:
        """Return the problem as plain data, without the fields that are not set."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


class GridmapError(Exception):
    """Base class of every error GridMap raises on purpose."""


class DataError(GridmapError):
    """Input data cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem] | Problem | str, *, file: str | None = None):
        if isinstance(problems, str):
            problems = Problem("error", problems, file=file)
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems found:"]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        return "\n".join(lines)


class CRSError(DataError):
    """A coordinate reference system is missing, unreadable or unsuitable."""


class ArchiveError(DataError):
    """An uploaded archive is refused: too large, a zip bomb, unsafe paths or unexpected files."""


class OptionError(GridmapError, ValueError):
    """An option's value is out of range; the message names the option, the value and the fix."""


class PathRefused(GridmapError):
    """A path typed in the app lies outside the data folder it is confined to."""


class SaveError(GridmapError):
    """A district could not be written; the original file is untouched."""


class ConflictError(SaveError):
    """The file changed on disk since it was loaded; saving would overwrite someone's work."""

    def __init__(self, message: str, *, changes: dict[str, dict[str, list[str]]] | None = None):
        self.changes = changes or {}
        super().__init__(message)


class FileInUseError(SaveError):
    """Another program or connection holds the file, so it cannot be replaced; nothing was written.

    `holders` lists the processes found (`gridmap.io.sharing.Holder`), empty when
    only SQLite's locks showed the file in use.
    """

    def __init__(self, message: str, holders: tuple[object, ...] = ()):
        self.holders = holders
        super().__init__(message)


class EditError(GridmapError):
    """A boundary edit cannot be made as asked; the message says why."""


class EditRefused(GridmapError):
    """An edit would add error findings and was not accepted with a reason; nothing was saved."""


class AccessDenied(GridmapError):
    """The signed-in user's role or grids do not allow what was asked (nothing was changed)."""


class SignInError(GridmapError):
    """A sign-in was refused: unknown name or wrong password, a disabled or locked account.

    `locked` is True when the account is locked after repeated failed sign-ins.
    """

    def __init__(self, message: str, *, locked: bool = False):
        super().__init__(message)
        self.locked = locked


class GridmapWarning(UserWarning):
    """Base class of GridMap's own warnings (turned into errors in the test suite)."""
