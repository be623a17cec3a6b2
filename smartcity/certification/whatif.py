"""The what-if page's view model: the smallest set of improvements and robustness."""

from __future__ import annotations

from typing import Any

from smartcity.certification.domain.claims import indicators_by_code
from smartcity.certification.models import Application
from smartcity.certification.selectors import engine_inputs, score_problem
from smartcity.scoring import ScoringInputError, grade_robustness
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
    steps = [{"step": s, "indicator": indicators.get(s.indicator)} for s in answer.steps]
    return {"answer": answer, "steps": steps, "robustness": robustness, "problem": None}
