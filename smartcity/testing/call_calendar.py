"""The tests' call calendar and the bytes they upload: plain constants, no Django,
so pure tests may use them too.

Every call of the tests runs on the same calendar (the year changes, the days do
not): announced on 1 June, submissions from 24 October 09:00 to 26 October
18:00, written review from 2 November, site inspection from 16 November,
decision from 30 November, results on 21 December (all KST).
"""

from __future__ import annotations

import datetime as dt

from smartcity.certification.domain.calls import Timeline

KST = dt.timezone(dt.timedelta(hours=9))

#: The smallest file the upload check takes for a PDF (the sealed application form).
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: A second, different PDF: the evidence sent in answer to a supplement request.
EVIDENCE = b"%PDF-1.7\n% evidence for the supplement\ntrailer<<>>\n%%EOF\n"
#: A number indicator of city-2023: 스마트도시 교육 이수 공무원 비율(%).
NUMBER_INDICATOR = "A1.1.Q2"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An instant in Korean time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=KST)


def timeline(year: int = 2026, *, opens: dt.datetime | None = None) -> Timeline:
    """The call calendar of ``year``; ``opens`` moves the start of submissions."""
    return Timeline(
        submission_opens_at=opens or at(year, 10, 24, 9),
        submission_closes_at=at(year, 10, 26, 18),
        written_review_starts_at=at(year, 11, 2),
        site_inspection_starts_at=at(year, 11, 16),
        decision_starts_at=at(year, 11, 30),
        results_announced_at=at(year, 12, 21),
        announced_at=at(year, 6, 1),
    )


# The 2026 call's moments the tests set the clock to.
ANNOUNCED = at(2026, 6, 1)
OPENS = at(2026, 10, 24, 9)
SUBMITTING = at(2026, 10, 25, 10)
CLOSES = at(2026, 10, 26, 18)
DOCUMENT_CHECK = at(2026, 10, 28, 10)
WRITTEN_REVIEW = at(2026, 11, 3, 10)
