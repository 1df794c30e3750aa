"""Saving a boundary edit the way the plan requires: reviewed first, accepted with a reason.

`commit_edits` is the one way the app (and a script) saves boundary edits:
it runs `gridmap.analysis.editing.review.review_edit` (unless the caller passes
the review it showed the planner), refuses an edit that adds error findings
unless the planner accepts it with a reason, and then saves through
`gridmap.io.save_edit` (atomic, logged, refused if the file changed since it
was loaded). It sits above `analysis` (pure) and `io` (disk), like the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gridmap.analysis.editing.review import EditReview, review_edit
from gridmap.district import District
from gridmap.errors import EditRefused
from gridmap.io import save_edit
from gridmap.layers.edits import Edit


def _describe(review: EditReview) -> str:
    errors = review.new_findings[review.new_findings["severity"] == "error"]
    parts = []
    for check, ids, area in zip(errors["check"], errors["ids"], errors["area_m2"], strict=True):
        size = f" ({area:,.1f} m²)" if area == area and area is not None else ""
        parts.append(f"{check} {', '.join(map(str, ids))}{size}")
    return "; ".join(parts)


def commit_edits(
    district: District,
    edits: Edit | Sequence[Edit],
    *,
    user: str,
    reason: str | None = None,
    accept_findings: bool = False,
    review: EditReview | None = None,
    min_area: float = 1.0,
) -> tuple[District, EditReview]:
    """Review and save `edits` as `user`; return the saved district and the review.

    Raises `EditRefused` when the edits add error findings (a gap, an overlap,
    a grid leaving its parent, an invalid geometry ...) and the planner has
    not set `accept_findings` with a non-empty `reason`; the file is not
    touched. `ConflictError` and `SaveError` come from `gridmap.io.save_edit`.
    """
    edits = [edits] if isinstance(edits, Edit) else list(edits)
    if not user.strip():
        raise EditRefused("give the name of the person making the edit; it goes into the log.")
    review = review if review is not None else review_edit(district, edits, min_area=min_area)
    why = (reason or "").strip() or None
    if review.blocking and not (accept_findings and why):
        raise EditRefused(
            f"the edit adds error findings ({_describe(review)}); nothing was saved. Change the "
            "drawing, or accept the findings and give the reason."
        )
    stamped = [replace(e, user=user.strip(), reason=why or e.reason) for e in edits]
    return save_edit(district, stamped), review
