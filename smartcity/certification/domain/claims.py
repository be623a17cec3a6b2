"""Turning an applicant's claims into the engine's observations, and checking
each claim against its indicator's rule. Pure: no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from smartcity.scoring import Framework, Indicator, Observation
from smartcity.scoring.rules import MaturityRule, NormalisedCountRule, YesNoRule


@dataclass(frozen=True)
class ClaimInput:
    """One claim as typed into the form (strings), before checking."""

    indicator: str
    value: str = ""
    stage: str = ""
    flag: str = ""
    justification: str = ""
    evidence_reference: str = ""
    to_verify: bool = False
    not_applicable: bool = False
    not_applicable_reason: str = ""


@dataclass(frozen=True)
class CheckedClaim:
    indicator: str
    value: Decimal | None
    flag: bool | None
    stage: int | None
    justification: str
    evidence_reference: str
    to_verify: bool
    not_applicable: bool = False
    not_applicable_reason: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.flag is None and self.stage is None


@dataclass(frozen=True)
class ClaimError:
    indicator: str
    field: str  # "value" | "stage" | "flag" | "indicator"
    code: str  # "unknown_indicator" | "not_a_number" | "negative" | "over_100" | …
    value: str = ""


def is_percentage(indicator: Indicator) -> bool:
    """A share in per cent (its name ends in "(%)", as the frameworks write
    it): a value above 100 cannot be true."""
    return any(name.rstrip().endswith("(%)") for name in (indicator.name_ko, indicator.name_en))


def indicator_kind(indicator: Indicator) -> str:
    """``maturity``, ``yes_no`` or ``number``: which input the form shows."""
    if isinstance(indicator.rule, MaturityRule):
        return "maturity"
    if isinstance(indicator.rule, YesNoRule):
        return "yes_no"
    return "number"


def indicators_by_code(framework: Framework) -> dict[str, Indicator]:
    return {i.code: i for a in framework.areas for it in a.items for i in it.indicators}


_YES = {"yes", "y", "true", "1", "예", "on"}
_NO = {"no", "n", "false", "0", "아니오", "아니요", "off"}


def check_claims(
    framework: Framework, inputs: Iterable[ClaimInput]
) -> tuple[list[CheckedClaim], list[ClaimError]]:
    """Check every claim; return the good ones and an error per bad field."""
    indicators = indicators_by_code(framework)
    checked: list[CheckedClaim] = []
    errors: list[ClaimError] = []
    for claim in inputs:
        indicator = indicators.get(claim.indicator)
        if indicator is None:
            errors.append(ClaimError(claim.indicator, "indicator", "unknown_indicator"))
            continue
        kind = indicator_kind(indicator)
        value: Decimal | None = None
        flag: bool | None = None
        stage: int | None = None
        if claim.not_applicable:
            # "Not applicable" replaces the answer; the reason is checked for
            # completeness at submission, not here, so a draft can be saved.
            checked.append(_checked(claim, None, None, None))
            continue
        if kind == "number" and claim.value.strip():
            text = claim.value.strip().replace(",", "")
            try:
                value = Decimal(text)
            except InvalidOperation:
                errors.append(ClaimError(claim.indicator, "value", "not_a_number", claim.value))
                continue
            if not value.is_finite():
                errors.append(ClaimError(claim.indicator, "value", "not_a_number", claim.value))
                continue
            if value < 0:
                errors.append(ClaimError(claim.indicator, "value", "negative", claim.value))
                continue
            if value > 100 and is_percentage(indicator):
                errors.append(ClaimError(claim.indicator, "value", "over_100", claim.value))
                continue
        elif kind == "yes_no" and claim.flag.strip():
            lowered = claim.flag.strip().lower()
            if lowered not in _YES | _NO:
                errors.append(ClaimError(claim.indicator, "flag", "not_yes_no", claim.flag))
                continue
            flag = lowered in _YES
        elif kind == "maturity" and claim.stage.strip():
            if claim.stage.strip() not in {"1", "2", "3", "4", "5"}:
                errors.append(
                    ClaimError(claim.indicator, "stage", "stage_out_of_range", claim.stage)
                )
                continue
            stage = int(claim.stage)
        checked.append(_checked(claim, value, flag, stage))
    return checked, errors


def _checked(
    claim: ClaimInput, value: Decimal | None, flag: bool | None, stage: int | None
) -> CheckedClaim:
    return CheckedClaim(
        indicator=claim.indicator,
        value=value,
        flag=flag,
        stage=stage,
        justification=claim.justification.strip(),
        evidence_reference=claim.evidence_reference.strip(),
        to_verify=claim.to_verify,
        not_applicable=claim.not_applicable,
        not_applicable_reason=claim.not_applicable_reason.strip() if claim.not_applicable else "",
    )


def observations_from(
    claims: Iterable[CheckedClaim], indicators: Mapping[str, Indicator]
) -> list[Observation]:
    """The engine's observations for the non-empty claims."""
    observations = []
    for claim in claims:
        if claim.indicator not in indicators or claim.is_empty:
            continue
        kind = indicator_kind(indicators[claim.indicator])
        value: Decimal | bool | int | None = {
            "number": claim.value,
            "yes_no": claim.flag,
            "maturity": claim.stage,
        }[kind]
        if value is None:
            continue
        observations.append(Observation(claim.indicator, value, claim.evidence_reference or None))
    return observations


def normalised_value(
    indicator: Indicator,
    value: Decimal | None,
    *,
    population: int | Decimal | None,
    area_km2: Decimal | None,
) -> Decimal | None:
    """The figure a normalised indicator is scored on (e.g. patents per
    100,000 residents) for a raw ``value``, or None when the indicator is not
    normalised or the value or its denominator is missing. Shown to two
    decimals; the engine keeps the exact ratio."""
    rule = indicator.rule
    if not isinstance(rule, NormalisedCountRule) or value is None:
        return None
    denominator = population if rule.per == "population" else area_km2
    if not denominator:
        return None
    return (value * rule.scale / Decimal(denominator)).quantize(Decimal("0.01"))
