"""What the national map shows for one local government.

Pure: given a subject's certificate periods, its status on a day; given a
score share, its colour class. Colours live here (not in JavaScript) so the
legend, the map and the accessible table cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from smartcity.analytics.domain.counts import PeriodFact

#: status code → fill colour (colour-blind-safe, from the Okabe–Ito palette)
STATUS_COLOURS = {
    "certified": "#009E73",  # valid from a new certification
    "extended": "#0072B2",  # valid from an extension
    "lapsed": "#E69F00",  # held one, expired without extension
    "revoked": "#D55E00",  # the last certificate was revoked
    "none": "#EEEEEE",  # never certified
}

#: lower bound of a score share → colour, highest first (grade bands of §4)
SCORE_CLASSES: tuple[tuple[Fraction, str, str], ...] = (
    (Fraction(9, 10), "#08306B", "90%+"),
    (Fraction(8, 10), "#2171B5", "80–90%"),
    (Fraction(7, 10), "#6BAED6", "70–80%"),
    (Fraction(6, 10), "#C6DBEF", "60–70%"),
    (Fraction(0), "#F7FBFF", "<60%"),
)
NO_SCORE_COLOUR = "#DDDDDD"


@dataclass(frozen=True)
class CertificatePeriod:
    granted_by: str  # new | extension
    valid_from: dt.date
    valid_until: dt.date
    ended_by: str


def status_on(periods: Sequence[CertificatePeriod], day: dt.date) -> str:
    """``certified``/``extended`` when a period covers ``day``; otherwise how the
    latest period that began before it ended (``revoked`` or ``lapsed``; a
    replaced period is followed by its replacement); ``none`` before any."""
    started = [p for p in periods if p.valid_from <= day]
    if not started:
        return "none"
    for p in started:
        if p.valid_until >= day:
            return "extended" if p.granted_by == "extension" else "certified"
    latest = max(started, key=lambda p: (p.valid_from, p.valid_until))
    return "revoked" if latest.ended_by == "revoked" else "lapsed"


def score_colour(share: Fraction | None) -> str:
    if share is None:
        return NO_SCORE_COLOUR
    for bound, colour, _label in SCORE_CLASSES:
        if share >= bound:
            return colour
    return SCORE_CLASSES[-1][1]


def as_period_fact(group: str, p: CertificatePeriod) -> PeriodFact:
    return PeriodFact(
        group=group, valid_from=p.valid_from, valid_until=p.valid_until, ended_by=p.ended_by
    )
