"""Set-up for the result, announcement and extension tests: a call, and an
application driven through the real workflow to ``reported``.

The committee's work (assignment, submitted review, consensus) is written as
rows here; the evaluation app tests its own services. The consensus is the
engine's result for points at a chosen share of every indicator's maximum,
exactly as the consensus meeting would store it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from smartcity.accounts.models import User
from smartcity.certification.domain.calls import Timeline
from smartcity.certification.domain.claims import ClaimInput, indicator_kind
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.models import Assignment, Consensus, ConsensusScore
from smartcity.certification.models import Application, Call
from smartcity.certification.selectors import engine_inputs
from smartcity.certification.services import (
    apply_to_call,
    create_call,
    save_claims,
    set_area,
    set_attestation,
    start_self_assessment,
    submit_application,
    upload_attachment,
)
from smartcity.certification.services.workflow import perform
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import engine_framework
from smartcity.scoring import Review, score, score_result_to_dict

KST = dt.timezone(dt.timedelta(hours=9))
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def timeline(year: int) -> Timeline:
    return Timeline(
        submission_opens_at=dt.datetime(year, 10, 24, 9, 0, tzinfo=KST),
        submission_closes_at=dt.datetime(year, 10, 26, 18, 0, tzinfo=KST),
        written_review_starts_at=dt.datetime(year, 11, 2, tzinfo=KST),
        site_inspection_starts_at=dt.datetime(year, 11, 16, tzinfo=KST),
        decision_starts_at=dt.datetime(year, 11, 30, tzinfo=KST),
        results_announced_at=dt.datetime(year, 12, 21, tzinfo=KST),
    )


def make_call(clock: Any, ministry: User, framework: FrameworkVersion, year: int) -> Call:
    clock.set(dt.datetime(year, 6, 1, tzinfo=KST))
    return create_call(
        actor=ministry,
        year=year,
        framework=framework,
        title_ko=f"{year}년 스마트도시 인증 공모",
        timeline=timeline(year),
        announced_at=dt.datetime(year, 6, 1, tzinfo=KST),
    )


def claims_for(framework: FrameworkVersion, stage: str = "3") -> list[ClaimInput]:
    inputs = []
    for indicator in engine_framework(framework).indicators:
        kind = indicator_kind(indicator)
        if kind == "maturity":
            inputs.append(ClaimInput(indicator.code, stage=stage, evidence_reference="p.1"))
        elif kind == "yes_no":
            inputs.append(ClaimInput(indicator.code, flag="yes", evidence_reference="p.2"))
        else:
            inputs.append(ClaimInput(indicator.code, value="10", evidence_reference="p.3"))
    return inputs


def submitted_application(
    clock: Any, applicant: User, call: Call, *, title: str = "가람시 인증 신청"
) -> Application:
    """Apply in the submission window and submit (claims, sealed form, attestation)."""
    year = call.year
    clock.set(dt.datetime(year, 10, 25, 10, 0, tzinfo=KST))
    draft = start_self_assessment(actor=applicant, framework=call.framework, title=title)
    save_claims(actor=applicant, application=draft, inputs=claims_for(call.framework))
    set_area(actor=applicant, application=draft, area_km2=Decimal("120.50"))
    application = apply_to_call(actor=applicant, application=draft, call=call)
    upload_attachment(
        actor=applicant,
        application=application,
        kind="application_form",
        name="신청서.pdf",
        data=PDF,
    )
    set_attestation(actor=applicant, application=application, attested=True)
    submit_application(actor=applicant, application=application)
    return application


def fix_consensus_rows(application: Application, fixed_by: User, share: Decimal) -> Consensus:
    """The consensus as the meeting stores it: every indicator at ``share`` of its points."""
    inputs = engine_inputs(application)
    points = {
        i.code: (i.points * share).quantize(Decimal("0.01")) for i in inputs.framework.indicators
    }
    reviews = [Review("consensus", code, value) for code, value in points.items()]
    result = score(inputs.framework, inputs.observations, reviews, context=inputs.context)
    consensus = Consensus.objects.create(
        application=application,
        fixed_at=dt.datetime.now(tz=dt.UTC),
        fixed_by=fixed_by,
        total=result.total,
        grade="" if result.grade is None else str(result.grade),
        certified=result.certified,
        result=score_result_to_dict(result),
    )
    ConsensusScore.objects.bulk_create(
        ConsensusScore(consensus=consensus, indicator_code=code, points=value)
        for code, value in points.items()
    )
    return consensus


def reported(
    clock: Any,
    application: Application,
    *,
    operator: User,
    member: User,
    share: Decimal,
) -> Application:
    """Review (one member, submitted), the consensus, and the report to the Ministry."""
    year = application.call.year if application.call else 2026
    clock.set(dt.datetime(year, 11, 3, 10, 0, tzinfo=KST))
    Assignment.objects.get_or_create(application=application, member=member)
    perform(actor=operator, application=application, action=Action.START_REVIEW)
    Assignment.objects.filter(application=application).update(submitted_at=clock.now)
    fix_consensus_rows(application, operator, share)
    clock.set(dt.datetime(year, 11, 30, 10, 0, tzinfo=KST))
    return perform(actor=operator, application=application, action=Action.REPORT)


def approved(clock: Any, application: Application, *, ministry: User) -> Application:
    year = application.call.year if application.call else 2026
    clock.set(dt.datetime(year, 12, 1, 10, 0, tzinfo=KST))
    return perform(actor=ministry, application=application, action=Action.APPROVE)
