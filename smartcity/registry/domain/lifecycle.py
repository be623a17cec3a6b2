"""The certification lifecycle (certification.md §6) as pure functions.

Given every decision about one subject (a city or a service), compute the
periods during which it held a valid certification. The rules, each a
setting of :class:`LifecyclePolicy`:

1. A new certification is valid from its decision date for ``validity_years``:
   ``valid_until = decided_on + 2 years − 1 day``.
2. An extension decided before expiry, or within ``grace_months`` after it,
   continues the certificate without a gap and re-issues it for 2 years from
   the extension's date. Later than that, it is the extension of a lapsed
   certificate: an error.
3. At most ``max_extensions`` extensions per certificate; then a new one.
4. A new certification for a subject that holds one replaces it from the new
   decision's date.
5. A revocation ends validity on its date (the subject is no longer certified
   on the day of revocation).
6. An extension with no earlier certificate, or beyond the maximum, is an error.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum


class DecisionType(StrEnum):
    NEW = "new"
    EXTENSION = "extension"
    REVOCATION = "revocation"


class EndReason(StrEnum):
    """Why a period ended before its nominal end (none: it runs to its end)."""

    EXTENDED = "extended"
    REPLACED = "replaced"
    REVOKED = "revoked"


class PeriodStatus(StrEnum):
    NOT_YET = "not_yet"
    VALID = "valid"
    EXPIRED = "expired"
    EXTENDED = "extended"
    REPLACED = "replaced"
    REVOKED = "revoked"


@dataclass(frozen=True)
class LifecyclePolicy:
    validity_years: int = 2
    grace_months: int = 6
    max_extensions: int = 1


@dataclass(frozen=True)
class Decision:
    """One decision about one subject. ``key`` identifies it to the caller."""

    key: str
    decision: DecisionType
    decided_on: dt.date


@dataclass(frozen=True)
class Period:
    """A stretch of validity granted by one decision (new or extension)."""

    decision_key: str
    granted_by: DecisionType
    valid_from: dt.date
    nominal_until: dt.date
    valid_until: dt.date
    ended_by: EndReason | None = None
    ended_by_key: str | None = None
    extension_number: int = 0

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until

    def status_on(self, day: dt.date) -> PeriodStatus:
        if day < self.valid_from:
            return PeriodStatus.NOT_YET
        if day <= self.valid_until:
            return PeriodStatus.VALID
        if self.ended_by is None:
            return PeriodStatus.EXPIRED
        return PeriodStatus(self.ended_by.value)


class ErrorCode(StrEnum):
    EXTENSION_WITHOUT_CERTIFICATION = "extension_without_certification"
    EXTENSION_OF_LAPSED = "extension_of_lapsed"
    EXTENSION_OF_REVOKED = "extension_of_revoked"
    TOO_MANY_EXTENSIONS = "too_many_extensions"
    EXTENSION_SAME_DAY = "extension_same_day"
    REVOCATION_WITHOUT_VALID_CERTIFICATION = "revocation_without_valid_certification"
    DUPLICATE_DECISION = "duplicate_decision"


@dataclass(frozen=True)
class LifecycleError:
    decision_key: str
    code: ErrorCode
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Lifecycle:
    periods: tuple[Period, ...]
    errors: tuple[LifecycleError, ...]

    def valid_on(self, day: dt.date) -> Period | None:
        for period in self.periods:
            if period.covers(day):
                return period
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31 Aug + 6 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def valid_until_for(start: dt.date, policy: LifecyclePolicy) -> dt.date:
    """The last valid day of a certificate issued on ``start``."""
    return add_months(start, 12 * policy.validity_years) - dt.timedelta(days=1)


_ORDER = {DecisionType.NEW: 0, DecisionType.EXTENSION: 1, DecisionType.REVOCATION: 2}


def compute_lifecycle(
    decisions: Iterable[Decision], policy: LifecyclePolicy | None = None
) -> Lifecycle:
    """All validity periods of one subject, and every decision that breaks a rule.

    Decisions are applied in date order; a decision in error is reported and
    otherwise ignored, so one bad row never corrupts the rest of the record.
    """
    policy = policy or LifecyclePolicy()
    ordered = sorted(decisions, key=lambda d: (d.decided_on, _ORDER[d.decision], d.key))
    periods: list[Period] = []
    errors: list[LifecycleError] = []
    seen: set[tuple[DecisionType, dt.date]] = set()

    for decision in ordered:
        identity = (decision.decision, decision.decided_on)
        if identity in seen:
            errors.append(LifecycleError(decision.key, ErrorCode.DUPLICATE_DECISION))
            continue
        seen.add(identity)
        error = _apply(decision, periods, policy)
        if error is not None:
            errors.append(error)
    return Lifecycle(periods=tuple(periods), errors=tuple(errors))


def _apply(
    decision: Decision, periods: list[Period], policy: LifecyclePolicy
) -> LifecycleError | None:
    day = decision.decided_on
    current = periods[-1] if periods else None

    if decision.decision is DecisionType.NEW:
        if current is not None and current.covers(day):
            periods[-1] = replace(
                current,
                valid_until=day - dt.timedelta(days=1),
                ended_by=EndReason.REPLACED,
                ended_by_key=decision.key,
            )
        until = valid_until_for(day, policy)
        periods.append(Period(decision.key, DecisionType.NEW, day, until, until))
        return None

    if decision.decision is DecisionType.REVOCATION:
        if current is None or not current.covers(day):
            return LifecycleError(decision.key, ErrorCode.REVOCATION_WITHOUT_VALID_CERTIFICATION)
        periods[-1] = replace(
            current,
            valid_until=day - dt.timedelta(days=1),
            ended_by=EndReason.REVOKED,
            ended_by_key=decision.key,
        )
        return None

    return _apply_extension(decision, periods, policy)


def _apply_extension(
    decision: Decision, periods: list[Period], policy: LifecyclePolicy
) -> LifecycleError | None:
    day = decision.decided_on
    if not periods:
        return LifecycleError(decision.key, ErrorCode.EXTENSION_WITHOUT_CERTIFICATION)
    current = periods[-1]
    if current.ended_by is EndReason.REVOKED:
        return LifecycleError(
            decision.key,
            ErrorCode.EXTENSION_OF_REVOKED,
            {"revoked_from": (current.valid_until + dt.timedelta(days=1)).isoformat()},
        )
    if current.extension_number >= policy.max_extensions:
        return LifecycleError(
            decision.key,
            ErrorCode.TOO_MANY_EXTENSIONS,
            {"max_extensions": str(policy.max_extensions)},
        )
    if day <= current.valid_from:
        return LifecycleError(decision.key, ErrorCode.EXTENSION_SAME_DAY)
    grace_end = add_months(current.valid_until, policy.grace_months)
    if day > grace_end:
        return LifecycleError(
            decision.key,
            ErrorCode.EXTENSION_OF_LAPSED,
            {
                "expired_on": current.valid_until.isoformat(),
                "grace_until": grace_end.isoformat(),
            },
        )
    # Before expiry the old certificate ends the day before the extension; in
    # the grace period the new one starts the day after expiry: no gap either way.
    start = day if day <= current.valid_until else current.valid_until + dt.timedelta(days=1)
    periods[-1] = replace(
        current,
        valid_until=start - dt.timedelta(days=1),
        ended_by=EndReason.EXTENDED,
        ended_by_key=decision.key,
    )
    until = valid_until_for(day, policy)
    periods.append(
        Period(
            decision.key,
            DecisionType.EXTENSION,
            start,
            until,
            until,
            extension_number=current.extension_number + 1,
        )
    )
    return None


def valid_periods_on(lifecycles: Sequence[Lifecycle], day: dt.date) -> list[Period]:
    """The period valid on ``day`` of each subject that has one."""
    found = (lc.valid_on(day) for lc in lifecycles)
    return [p for p in found if p is not None]


@dataclass(frozen=True)
class ExtensionWindow:
    """When a holder may apply for re-review of a certificate ending on
    ``valid_until``: from ``opens`` (the reminder) to ``closes`` (the end of
    the grace period after expiry)."""

    opens: dt.date
    closes: dt.date

    def is_open(self, day: dt.date) -> bool:
        return self.opens <= day <= self.closes


def extension_window(
    valid_until: dt.date, *, reminder_months: int, policy: LifecyclePolicy
) -> ExtensionWindow:
    """Apply at least ``reminder_months`` before expiry (certification.md §6);
    an extension is still decided up to the grace period's end."""
    return ExtensionWindow(
        opens=add_months(valid_until, -reminder_months),
        closes=add_months(valid_until, policy.grace_months),
    )
