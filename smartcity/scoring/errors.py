"""Exceptions and error records. Every one carries codes, never sentences.

Why codes: the messages are translated in templates (Korean first, English
second), and callers branch on the problem, not on text.
"""

from __future__ import annotations

from dataclasses import dataclass


class ScoringError(Exception):
    """Base class of everything the scoring engine raises on purpose."""


class ScoringInputError(ScoringError, ValueError):
    """Bad scoring input for one indicator: ``indicator_code`` and a ``problem`` code."""

    def __init__(self, indicator_code: str, problem: str, detail: str = "") -> None:
        super().__init__(f"{indicator_code}: {problem}" + (f" ({detail})" if detail else ""))
        self.indicator_code = indicator_code
        self.problem = problem
        self.detail = detail


class UnknownIndicatorError(ScoringInputError):
    """An observation, review or effort names an indicator the framework lacks."""


class DuplicateObservationError(ScoringInputError):
    """Two observations for the same indicator: which one counts would be a guess."""


class WrongValueTypeError(ScoringInputError):
    """A value of the wrong type for the rule (e.g. a float, or a bool for a count)."""


class InvalidValueError(ScoringInputError):
    """A value of the right type that no rule can score (NaN, a negative count)."""


class InvalidStageError(ScoringInputError):
    """A maturity stage outside 1–5."""


class MissingContextError(ScoringInputError):
    """A normalised count needs the population or area, and the context lacks it."""


class InvalidMemberScoreError(ScoringInputError):
    """A committee member's score below 0, above the indicator's points, or not a Decimal."""


class DuplicateReviewError(ScoringInputError):
    """One member scored the same indicator twice."""


class InvalidEffortError(ScoringInputError):
    """A what-if effort weight that is negative or not a Decimal."""


@dataclass(frozen=True)
class FrameworkError:
    """One problem in a framework or framework document.

    ``path`` locates it in the document (``areas[1].items[0].indicators[3].rule.type``),
    ``subject`` is the nearest code (indicator, item, area or framework code),
    ``problem`` is a code such as ``"bands_unordered"``.
    """

    path: str
    subject: str
    problem: str
    detail: str = ""


class FrameworkDocumentError(ScoringError, ValueError):
    """A framework document that cannot be imported; ``errors`` lists every problem."""

    def __init__(self, errors: tuple[FrameworkError, ...]) -> None:
        super().__init__("; ".join(f"{e.path} [{e.subject}]: {e.problem}" for e in errors))
        self.errors = errors
