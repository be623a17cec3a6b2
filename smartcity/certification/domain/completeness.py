"""Is an application complete enough to be turned in? Pure: no Django.

Before a submission the applicant must have, for every indicator of the
framework, either an answer (a value, yes/no or a maturity stage) or the mark
"not applicable" (해당 없음) with a reason; every document the call requires
(the sealed application form, the 평가제안서, …) must be uploaded; and the
copies must be attested as true to their originals (원본대조필).

:func:`missing_items` lists what is missing, in the order the applicant will
fix it (indicators in framework order, then documents in the call's order,
then the attestation), so the refusal page can link to each.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ClaimState:
    """What one saved claim says, as far as completeness is concerned."""

    answered: bool
    not_applicable: bool = False
    not_applicable_reason: str = ""


@dataclass(frozen=True)
class Missing:
    """One thing that keeps an application from being submitted.

    ``kind`` is ``indicator`` (``code`` is its code), ``reason`` (marked not
    applicable without a reason; ``code`` is the indicator), ``document``
    (``code`` is the attachment kind) or ``attestation``.
    """

    kind: str
    code: str = ""


def claim_is_complete(state: ClaimState | None) -> bool:
    """Answered, or marked not applicable with a reason."""
    if state is None:
        return False
    if state.not_applicable:
        return bool(state.not_applicable_reason.strip())
    return state.answered


def missing_items(
    *,
    indicator_codes: Iterable[str],
    claims: Mapping[str, ClaimState],
    required_documents: Iterable[str],
    uploaded_kinds: Collection[str],
    attested: bool | None,
) -> list[Missing]:
    """Everything missing, in fixing order. ``attested=None`` leaves the
    attestation out (it is given in the same form as the submit button)."""
    missing: list[Missing] = []
    for code in indicator_codes:
        state = claims.get(code)
        if claim_is_complete(state):
            continue
        if state is not None and state.not_applicable:
            missing.append(Missing("reason", code))
        else:
            missing.append(Missing("indicator", code))
    seen: set[str] = set()
    for kind in required_documents:
        if kind in seen:
            continue
        seen.add(kind)
        if kind not in uploaded_kinds:
            missing.append(Missing("document", kind))
    if attested is False:
        missing.append(Missing("attestation"))
    return missing


@dataclass(frozen=True)
class Tally:
    """How many indicators are answered, marked not applicable, or open."""

    total: int
    answered: int
    not_applicable: int

    @property
    def open(self) -> int:
        return self.total - self.answered - self.not_applicable


def tally(indicator_codes: Iterable[str], claims: Mapping[str, ClaimState]) -> Tally:
    """The receipt's and the check page's counts (complete claims only)."""
    total = answered = not_applicable = 0
    for code in indicator_codes:
        total += 1
        state = claims.get(code)
        if not claim_is_complete(state):
            continue
        assert state is not None
        if state.not_applicable:
            not_applicable += 1
        else:
            answered += 1
    return Tally(total, answered, not_applicable)


def receipt_number(*, year: int, track: str, application_id: int, version: int) -> str:
    """The number printed on a receipt (접수번호): call year, track letter,
    application and version, e.g. ``2026-C-00042-1``. Stable: it is derived
    from the frozen version, so the page and the notice always agree."""
    letter = {"city": "C", "service": "S"}.get(track, "X")
    return f"{year}-{letter}-{application_id:05d}-{version}"
