"""The consensus meeting (합의): the committee's agreed points per indicator,
scored by the engine and stored with everything needed to reproduce them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.certification.evaluation.access import can_fix_consensus
from smartcity.certification.evaluation.models import Assignment, Consensus, ConsensusScore
from smartcity.certification.evaluation.selectors import (
    CONSENSUS_STATES,
    consensus_defaults,
    inspection_overrides,
)
from smartcity.certification.evaluation.services.common import EvaluationRefused, cents
from smartcity.certification.models import Application
from smartcity.certification.selectors import engine_inputs
from smartcity.certification.services.summary import sync_result_summary
from smartcity.core.services import record_audit
from smartcity.scoring import Review, ScoreResult, ScoringInputError, score, score_result_to_dict

#: The one "member" whose review carries the agreed points into the engine.
CONSENSUS_REVIEWER = "consensus"


def fix_consensus(
    *,
    actor: User,
    application: Application,
    scores: Mapping[str, tuple[Decimal, str]],
    minutes: str = "",
) -> Consensus:
    """Fix the agreed points (``code → (points, rationale)``); indicators left out
    take the form's default (the committee aggregate). Only the track's
    operating body, only once every assigned member has submitted, only during
    the written review or the site inspection. Agreed points that depart from
    the default need a rationale. Each refusal names what is missing (the
    members who have not submitted, the indicators without a rationale…).
    Re-fixing replaces the earlier consensus (audited with the old and new
    totals). Decided site-inspection adjustments and rejections prevail over
    the agreed points."""
    if not can_fix_consensus(actor, application):
        raise PermissionDenied
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in CONSENSUS_STATES:
            raise EvaluationRefused("wrong_state", (locked.get_status_display(),))
        assignments = Assignment.objects.filter(application=locked).select_related("member")
        if not assignments.exists():
            raise EvaluationRefused("no_members_assigned")
        pending = [str(a.member) for a in assignments.order_by("pk") if a.submitted_at is None]
        if pending:
            raise EvaluationRefused("reviews_pending", tuple(pending))
        framework = engine_inputs(locked).framework
        index = framework.indicator_index
        for code, (points, _rationale) in scores.items():
            indicator = index.get(code)
            if indicator is None:
                raise EvaluationRefused("unknown_indicator", (code,))
            if not points.is_finite() or points < 0 or points > indicator.points:
                raise EvaluationRefused("out_of_range", (code, cents(indicator.points)))
        defaults = consensus_defaults(locked)
        unexplained = tuple(
            code
            for code in index
            if code in scores
            and scores[code][0] != defaults.get(code, Decimal(0))
            and not scores[code][1].strip()
        )
        if unexplained:
            raise EvaluationRefused("consensus_rationale_required", unexplained)
        agreed = {
            code: scores[code][0] if code in scores else defaults.get(code, Decimal(0))
            for code in index
        }
        rationales = {code: scores[code][1].strip() for code in scores}
        previous = Consensus.objects.filter(application=locked).first()
        old_total = None if previous is None else cents(previous.total)
        consensus = previous or Consensus(application=locked)
        consensus.fixed_at = timezone.now()
        consensus.fixed_by = actor
        consensus.minutes = minutes.strip()
        _apply(consensus, locked, agreed, rationales)
        record_audit(
            actor=actor,
            action="evaluation.consensus_fixed",
            object_type="certification.application",
            object_id=locked.pk,
            data={
                "from": old_total,
                "to": cents(consensus.total),
                "refixed": previous is not None,
                "certified": consensus.certified,
                "grade": consensus.grade,
            },
        )
    return consensus


def recompute_consensus(*, actor: User, consensus: Consensus, why: str) -> Consensus:
    """Score the consensus again from its agreed points and the inspection's
    current outcomes (e.g. after an adjustment). Audited with old and new totals."""
    agreed = {code: Decimal(points) for code, points in consensus.result["agreed"].items()}
    rationales = {s.indicator_code: s.rationale for s in consensus.scores.all()}
    old_total = cents(consensus.total)
    _apply(consensus, consensus.application, agreed, rationales)
    record_audit(
        actor=actor,
        action="evaluation.consensus_recomputed",
        object_type="certification.application",
        object_id=consensus.application_id,
        data={"from": old_total, "to": cents(consensus.total), "why": why},
    )
    return consensus


def _apply(
    consensus: Consensus,
    application: Application,
    agreed: Mapping[str, Decimal],
    rationales: Mapping[str, str],
) -> None:
    """Effective points = agreed points with the inspection's verdicts on top;
    score them, store the result and one row per indicator."""
    overrides = inspection_overrides(application)
    effective = {**agreed, **{c: p for c, p in overrides.items() if c in agreed}}
    result = consensus_result(application, effective)
    document: dict[str, Any] = score_result_to_dict(result)
    document["agreed"] = {code: str(points) for code, points in agreed.items()}
    document["inspection_overrides"] = {code: str(p) for code, p in sorted(overrides.items())}
    consensus.total = result.total
    consensus.grade = "" if result.grade is None else str(result.grade)
    consensus.certified = result.certified
    consensus.result = document
    consensus.save()
    consensus.scores.all().delete()
    ConsensusScore.objects.bulk_create(
        ConsensusScore(
            consensus=consensus,
            indicator_code=code,
            points=points,
            rationale=rationales.get(code, ""),
        )
        for code, points in effective.items()
    )
    sync_result_summary(application_id=application.pk)


def consensus_result(application: Application, points: Mapping[str, Decimal]) -> ScoreResult:
    """The engine's full result for the agreed points. The applicant's claims go in
    so the result keeps their values and proposals; if they cannot be scored
    (e.g. no population on record) the agreed points alone decide."""
    inputs = engine_inputs(application)
    reviews = [Review(CONSENSUS_REVIEWER, code, value) for code, value in points.items()]
    try:
        return score(inputs.framework, inputs.observations, reviews, context=inputs.context)
    except ScoringInputError:
        return score(inputs.framework, [], reviews)
