"""A call's timeline and the phase it is in, judged on the server's clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise


class Phase(StrEnum):
    UPCOMING = "upcoming"  # not announced yet: a draft, or before the notice date
    ANNOUNCED = "announced"  # the notice is out, submissions not yet open
    OPEN = "open"  # submissions accepted
    DOCUMENT_CHECK = "document_check"  # closed; completeness, supplements
    WRITTEN_REVIEW = "written_review"
    SITE_INSPECTION = "site_inspection"
    DECISION = "decision"  # committee report, Ministry approval
    ANNOUNCED_RESULTS = "announced_results"


@dataclass(frozen=True)
class Timeline:
    """Every boundary is an aware datetime; a phase runs from its start
    (inclusive) to the next one's start (exclusive). Submission closes at
    ``submission_closes_at`` exactly: a second later is late.

    The notice (공고) phase starts at ``announced_at`` and only for a call
    that is ``published``: before either, the call is ``UPCOMING`` and no
    phase of its schedule is current. ``announced_at`` may be left out by a
    caller that has no notice date (the notice then runs until submissions
    open, as before the field was read)."""

    submission_opens_at: dt.datetime
    submission_closes_at: dt.datetime
    written_review_starts_at: dt.datetime
    site_inspection_starts_at: dt.datetime
    decision_starts_at: dt.datetime
    results_announced_at: dt.datetime
    announced_at: dt.datetime | None = None
    published: bool = True

    def problems(self) -> list[str]:
        notice = [] if self.announced_at is None else [self.announced_at]
        order = [
            *notice,
            self.submission_opens_at,
            self.submission_closes_at,
            self.written_review_starts_at,
            self.site_inspection_starts_at,
            self.decision_starts_at,
            self.results_announced_at,
        ]
        found = []
        if any(moment.tzinfo is None for moment in order):
            found.append("naive_datetime")
        elif any(a > b for a, b in pairwise(order)):
            found.append("out_of_order")
        return found


def phase_at(timeline: Timeline, now: dt.datetime) -> Phase:
    """The phase the call is in at ``now``: ``UPCOMING`` until it is
    published and its notice date has come, then each phase in turn."""
    if not timeline.published or (
        timeline.announced_at is not None and now < timeline.announced_at
    ):
        return Phase.UPCOMING
    if now < timeline.submission_opens_at:
        return Phase.ANNOUNCED
    if now <= timeline.submission_closes_at:
        return Phase.OPEN
    if now < timeline.written_review_starts_at:
        return Phase.DOCUMENT_CHECK
    if now < timeline.site_inspection_starts_at:
        return Phase.WRITTEN_REVIEW
    if now < timeline.decision_starts_at:
        return Phase.SITE_INSPECTION
    if now < timeline.results_announced_at:
        return Phase.DECISION
    return Phase.ANNOUNCED_RESULTS


def accepts_submissions(timeline: Timeline, now: dt.datetime) -> bool:
    return phase_at(timeline, now) is Phase.OPEN


# --- a call's dated milestones, as the call form edits them ------------------

#: The call's dated milestones in the order they must come, by field name:
#: the notice, the submission window (to the second), the written review,
#: the site inspection, the report, the approval deadline and the
#: announcement. The completeness review (서류 검토) runs from the close of
#: submissions to the written review. ``approval_due_at`` may be left empty.
SCHEDULE_FIELDS = (
    "announced_at",
    "submission_opens_at",
    "submission_closes_at",
    "written_review_starts_at",
    "site_inspection_starts_at",
    "decision_starts_at",
    "approval_due_at",
    "results_announced_at",
)
OPTIONAL_FIELDS = frozenset({"approval_due_at"})
#: Years a call's date may fall in; anything else is a typing mistake (and
#: keeps far-off years away from time-zone arithmetic).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2200


def schedule_problems(dates: Mapping[str, dt.datetime | None]) -> dict[str, str]:
    """A problem code per field of ``dates`` (keyed by ``SCHEDULE_FIELDS``):
    ``required``, ``naive_datetime``, ``out_of_range``, ``before_previous``
    (earlier than the milestone before it) or ``window_empty`` (submissions
    close at or before they open). Each field is compared with the nearest
    earlier milestone that is set and valid."""
    found: dict[str, str] = {}
    previous: tuple[str, dt.datetime] | None = None
    for name in SCHEDULE_FIELDS:
        moment = dates.get(name)
        if moment is None:
            if name not in OPTIONAL_FIELDS:
                found[name] = "required"
            continue
        if moment.tzinfo is None:
            found[name] = "naive_datetime"
            continue
        if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            found[name] = "out_of_range"
            continue
        if previous is not None:
            earlier_name, earlier = previous
            if name == "submission_closes_at" and earlier_name == "submission_opens_at":
                if moment <= earlier:
                    found[name] = "window_empty"
            elif moment < earlier:
                found[name] = "before_previous"
        if name not in found:
            previous = (name, moment)
    return found


def moved_in_the_past(
    before: Mapping[str, dt.datetime | None],
    after: Mapping[str, dt.datetime | None],
    now: dt.datetime,
) -> list[str]:
    """The milestones whose change touches the past: a date that has passed
    and is moved, or a date moved into the past. A published call's such
    change needs a reason, and is audited and told to those it concerns."""
    moved = []
    for name in SCHEDULE_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if (old is not None and old <= now) or (new is not None and new <= now):
            moved.append(name)
    return moved


def changed_fields(
    before: Mapping[str, object], after: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """``{field: (old, new)}`` for every field of ``after`` whose value differs."""
    return {
        name: (before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value
    }


def document_problems(chosen: Sequence[str], known: Collection[str]) -> str:
    """``""`` when ``chosen`` names at least one known document kind, each once;
    else ``no_documents``, ``unknown_document`` or ``duplicate_document``."""
    if not chosen:
        return "no_documents"
    if any(kind not in known for kind in chosen):
        return "unknown_document"
    if len(set(chosen)) != len(chosen):
        return "duplicate_document"
    return ""
