"""A call's timeline and the phase it is in, judged on the server's clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise


class Phase(StrEnum):
    ANNOUNCED = "announced"  # published, submissions not yet open
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
    ``submission_closes_at`` exactly: a second later is late."""

    submission_opens_at: dt.datetime
    submission_closes_at: dt.datetime
    written_review_starts_at: dt.datetime
    site_inspection_starts_at: dt.datetime
    decision_starts_at: dt.datetime
    results_announced_at: dt.datetime

    def problems(self) -> list[str]:
        order = [
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
