"""Calls and applications for the tests, made through the product's services on
the tests' call calendar (``call_calendar``) and the frozen clock (the root
conftest's ``clock``).

The committee's work in ``reported`` is written as rows: the evaluation app
tests its own services. The consensus is the engine's result for points at a
chosen share of every indicator's maximum, exactly as the consensus meeting
would store it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from smartcity.accounts.models import User
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
from smartcity.municipalities.models import PopulationCount
from smartcity.scoring import Review, score, score_result_to_dict
from smartcity.testing.call_calendar import NUMBER_INDICATOR, PDF, at, timeline
from smartcity.testing.personas import persona_municipality
from smartcity.testing.submission import complete_for_submission

#: The persona cities' populations: city A (가람시) small/medium, city B (나래시) large.
PERSONA_CITY_POPULATIONS = {"applicant_city_a": 320_000, "applicant_city_b": 610_000}


def populate_persona_cities() -> None:
    """Give the persona cities a population, so per-population indicators score."""
    for persona, population in PERSONA_CITY_POPULATIONS.items():
        PopulationCount.objects.get_or_create(
            municipality=persona_municipality(persona),
            reference_date=dt.date(2025, 11, 1),
            defaults={"population": population, "source": "test"},
        )


def open_call(
    ministry: User,
    framework: FrameworkVersion,
    *,
    clock: Any = None,
    year: int = 2026,
    announced: dt.datetime | None = None,
    opens: dt.datetime | None = None,
    **extra: Any,
) -> Call:
    """The Ministry's call of ``year`` on the test calendar, announced on 1 June
    (or ``announced``); with ``clock``, the clock is first set to the
    announcement. ``extra`` goes to ``create_call`` (e.g. ``field`` for the
    service track)."""
    announced_at = announced or at(year, 6, 1)
    if clock is not None:
        clock.set(announced_at)
    return create_call(
        actor=ministry,
        year=year,
        framework=framework,
        title_ko=f"{year}년 스마트도시 인증 공모",
        timeline=timeline(year, opens=opens),
        announced_at=announced_at,
        **extra,
    )


def number_claim(value: str = "12", *, to_verify: bool = False) -> list[ClaimInput]:
    """One claim: the number indicator, with its evidence line."""
    return [
        ClaimInput(
            NUMBER_INDICATOR, value=value, evidence_reference="부록1.pdf 3쪽", to_verify=to_verify
        )
    ]


def claims_for(
    framework: FrameworkVersion, *, number: str = "10", verify_first: bool = False
) -> list[ClaimInput]:
    """A claim for every indicator: maturity at stage 3, yes/no ``yes``, numbers
    ``number``; with ``verify_first`` the first maturity claim is to be verified
    on site."""
    inputs = []
    marked = not verify_first
    for indicator in engine_framework(framework).indicators:
        kind = indicator_kind(indicator)
        if kind == "maturity":
            inputs.append(
                ClaimInput(
                    indicator.code,
                    stage="3",
                    evidence_reference="부록 1, 3쪽",
                    to_verify=not marked,
                )
            )
            marked = True
        elif kind == "yes_no":
            inputs.append(ClaimInput(indicator.code, flag="yes", evidence_reference="p.2"))
        else:
            inputs.append(ClaimInput(indicator.code, value=number, evidence_reference="p.3"))
    return inputs


def submit(
    applicant: User,
    call: Call,
    *,
    clock: Any = None,
    claims: list[ClaimInput] | None = None,
    area_km2: Decimal | None = None,
    title: str = "가람시 신청",
    then: dt.datetime | None = None,
) -> Application:
    """Apply to ``call`` and submit version 1: the claims (by default
    ``number_claim()``), the area if given, the sealed application form, the
    attestation; indicators left open are marked not applicable and the other
    required documents uploaded (``testing.submission``), as submission
    requires. With ``clock``, this happens on 25 October 10:00 of the call's
    year; ``then`` is where the clock is left afterwards."""
    if clock is not None:
        clock.set(at(call.year, 10, 25, 10))
    draft = start_self_assessment(actor=applicant, framework=call.framework, title=title)
    save_claims(actor=applicant, application=draft, inputs=claims or number_claim())
    if area_km2 is not None:
        set_area(actor=applicant, application=draft, area_km2=area_km2)
    application = apply_to_call(actor=applicant, application=draft, call=call)
    upload_attachment(
        actor=applicant,
        application=application,
        kind="application_form",
        name="신청서.pdf",
        data=PDF,
    )
    set_attestation(actor=applicant, application=application, attested=True)
    complete_for_submission(applicant, application)
    submit_application(actor=applicant, application=application)
    if then is not None:
        clock.set(then)
    application.refresh_from_db()
    return application


def submitted_application(
    clock: Any, applicant: User, call: Call, *, title: str = "가람시 인증 신청"
) -> Application:
    """A complete application (every indicator claimed, the area declared), submitted."""
    return submit(
        applicant,
        call,
        clock=clock,
        claims=claims_for(call.framework),
        area_km2=Decimal("120.50"),
        title=title,
    )


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
    clock.set(at(year, 11, 3, 10))
    Assignment.objects.get_or_create(application=application, member=member)
    perform(actor=operator, application=application, action=Action.START_REVIEW)
    Assignment.objects.filter(application=application).update(submitted_at=clock.now)
    fix_consensus_rows(application, operator, share)
    clock.set(at(year, 11, 30, 10))
    return perform(actor=operator, application=application, action=Action.REPORT)


def approved(clock: Any, application: Application, *, ministry: User) -> Application:
    """The Ministry approves the reported result (1 December)."""
    year = application.call.year if application.call else 2026
    clock.set(at(year, 12, 1, 10))
    return perform(actor=ministry, application=application, action=Action.APPROVE)
