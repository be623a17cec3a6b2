"""When a revocation may take effect: today or later, while the certificate runs."""

from __future__ import annotations

import datetime as dt

import pytest

from smartcity.registry.domain.revocation import revocation_problem

FROM, UNTIL = dt.date(2025, 6, 1), dt.date(2027, 5, 31)
TODAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("effective_on", "today", "ended_by", "code"),
    [
        (TODAY, TODAY, "", ""),
        (dt.date(2026, 4, 1), TODAY, "", ""),  # a notice period
        (UNTIL, TODAY, "", ""),  # the last valid day
        (dt.date(2026, 3, 1), TODAY, "", "revocation_in_the_past"),
        (dt.date(2027, 6, 1), TODAY, "", "revocation_after_expiry"),
        (TODAY, TODAY, "revoked", "revocation_already_ended"),
        (TODAY, TODAY, "extended", "revocation_already_ended"),
        (dt.date(2027, 6, 2), dt.date(2027, 6, 2), "", "revocation_without_valid_certification"),
        (dt.date(2025, 5, 1), dt.date(2025, 5, 1), "", "revocation_without_valid_certification"),
    ],
)
def test_revocation_takes_effect_today_or_later_while_the_certificate_runs(
    effective_on: dt.date, today: dt.date, ended_by: str, code: str
) -> None:
    assert (
        revocation_problem(
            effective_on=effective_on,
            today=today,
            valid_from=FROM,
            valid_until=UNTIL,
            ended_by=ended_by,
        )
        == code
    )
