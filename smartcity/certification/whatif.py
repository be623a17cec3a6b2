"""The what-if page's view model: the smallest set of improvements and robustness."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from smartcity.certification.domain.claims import (
    indicators_by_code,
    is_percentage,
    normalised_value,
)
from smartcity.certification.models import Application
from smartcity.certification.selectors import engine_inputs, score_problem
from smartcity.scoring import Indicator, ScoringContext, ScoringInputError, grade_robustness
from smartcity.scoring.whatif import what_if


def what_if_view_model(application: Application, target: str) -> dict[str, Any]:
    inputs = engine_inputs(application)
    indicators = indicators_by_code(inputs.framework)
    try:
        answer = what_if(
            inputs.framework,
            inputs.observations,
            inputs.reviews,
            target=target,  # type: ignore[arg-type]
            context=inputs.context,
        )
        robustness = grade_robustness(
            inputs.framework, inputs.observations, inputs.reviews, context=inputs.context
        )
    except ScoringInputError as error:
        return {"problem": score_problem(error)}
    steps = [_step_row(s, indicators.get(s.indicator), inputs.context) for s in answer.steps]
    return {"answer": answer, "steps": steps, "robustness": robustness, "problem": None}


def _step_row(step: Any, indicator: Indicator | None, context: ScoringContext) -> dict[str, Any]:
    """One improvement, in the unit of the indicator's label: a normalised
    indicator (per 100,000 residents, per km²) shows the raw counts the
    applicant would report and the normalised values they score as."""
    row: dict[str, Any] = {"step": step, "indicator": indicator, "per": "", "scale": None}
    if indicator is None:
        return row
    row["percentage"] = is_percentage(indicator)
    per = getattr(indicator.rule, "per", "")
    if per:
        row["per"] = per
        row["scale"] = indicator.rule.scale  # type: ignore[union-attr]
        for key, value in (("from", step.from_value), ("to", step.to_value)):
            number = isinstance(value, int | Decimal) and not isinstance(value, bool)
            row[f"{key}_raw"] = f"{Decimal(value).normalize():f}" if number else "—"
            row[f"{key}_normalised"] = (
                normalised_value(
                    indicator,
                    Decimal(value),
                    population=context.population,
                    area_km2=context.area_km2,
                )
                if number
                else None
            )
    return row
