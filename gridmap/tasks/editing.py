"""Saving a boundary edit the way the plan requires: reviewed first, accepted with a reason.

`commit_edits` is the one way the app (and a script) saves boundary edits. The
caller reviews the edits first (`gridmap.analysis.editing.review_edit`, the
review it showed the planner) and passes that review; `commit_edits` lets the
review's gate (`EditReview.approve`) refuse an edit that adds error findings
unless the planner accepts it with a reason and stamp who made it and why,
then saves through `save_edit` (atomic, logged, refused if the file changed
since it was loaded).
"""

from __future__ import annotations

from collections.abc import Sequence

from gridmap.analysis.editing import EditReview
from gridmap.district import District
from gridmap.io.editlog import save_edit
from gridmap.layers import Edit


def commit_edits(
    district: District,
    edits: Edit | Sequence[Edit],
    *,
    review: EditReview,
    user: str,
    reason: str | None = None,
    accept_findings: bool = False,
) -> tuple[District, EditReview]:
    """Save the reviewed `edits` as `user`; return the saved district and the review.

    Raises `EditRefused` (from `EditReview.approve`) when `user` is blank or
    the edits add error findings and the planner has not set `accept_findings`
    with a non-empty `reason`; the file is not touched. `ConflictError` and
    `SaveError` come from `save_edit`.
    """
    stamped = review.approve(edits, user=user, reason=reason, accept_findings=accept_findings)
    return save_edit(district, stamped), review
