"""What every committee service shares: the refusal type and money formatting."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

CENTS = Decimal("0.01")


class EvaluationRefused(ValidationError):
    """A committee action refused for a reason the UI explains; ``code`` names it
    (e.g. ``rationale_required``, ``conflict_of_interest``, ``load_limit_reached``).

    A ``ValidationError``, so callers that only care about "bad input" still catch it.
    ``detail`` names what is missing, for the sentence the UI builds: indicator
    codes, members' names, or the application's status.
    """

    def __init__(self, code: str, detail: tuple[str, ...] = ()) -> None:
        super().__init__(code, code=code)
        self.code: str = code
        self.detail: tuple[str, ...] = detail


def cents(points: Decimal) -> str:
    return str(Decimal(points).quantize(CENTS))
