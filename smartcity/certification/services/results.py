"""Approval, announcement and the result report (certification.md §4, §5).

The Ministry approves (or returns) what the committee reported, within the
approval deadline; then the result is announced. Announcing a certified
application issues its registry decision — a new certification, or the
extension of the certificate it re-reviews — in the same transaction as the
state change, so a decision the lifecycle rules refuse (e.g. one extension
too many) leaves the application approved and unannounced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.domain.claims import indicators_by_code
from smartcity.certification.domain.workflow import Action, Status
from smartcity.certification.evaluation.models import Consensus, ConsensusScore
from smartcity.certification.models import Application, Call
from smartcity.certification.selectors import engine_inputs, score_problem
from smartcity.certification.services.workflow import TransitionRefused, perform
from smartcity.frameworks.selectors import engine_framework
from smartcity.notifications.services import notify
from smartcity.registry.choices import DecisionType
from smartcity.registry.models import Certificate, Subject
from smartcity.registry.services import (
    RegistryRefused,
    city_subject,
    record_decision,
    service_subject,
)
from smartcity.scoring import Review, ScoringInputError, WhatIfResult, what_if
from smartcity.scoring.whatif import Target


class AnnouncementRefused(Exception):
    """The announcement could not issue its decision; nothing was written.
    ``code`` is a workflow or registry code, ``params`` fill its message."""

    def __init__(self, code: str, params: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}


# --- approval ---------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalRow:
    application: Application
    consensus: Consensus | None
    overdue: bool


def awaiting_approval(now: dt.datetime | None = None) -> list[ApprovalRow]:
    """Every reported application, the oldest deadline first, with the
    committee's result and whether the approval deadline has passed."""
    now = now or timezone.now()
    applications = (
        Application.objects.filter(kind=ApplicationKind.APPLICATION, status=Status.REPORTED)
        .select_related("organisation", "municipality", "call", "consensus")
        .order_by("approval_due_at", "pk")
    )
    return [
        ApprovalRow(
            application=a,
            consensus=_consensus_of(a),
            overdue=a.approval_due_at is not None and now > a.approval_due_at,
        )
        for a in applications
    ]


def approved_by_call() -> list[tuple[Call, list[Application]]]:
    """Approved, not yet announced applications, grouped by call."""
    groups: dict[int, tuple[Call, list[Application]]] = {}
    applications = (
        Application.objects.filter(kind=ApplicationKind.APPLICATION, status=Status.APPROVED)
        .exclude(call__isnull=True)
        .select_related("call", "organisation", "consensus")
        .order_by("call_id", "title")
    )
    for application in applications:
        assert application.call is not None
        groups.setdefault(application.call_id or 0, (application.call, []))[1].append(application)
    return list(groups.values())


def _consensus_of(application: Application) -> Consensus | None:
    try:
        return application.consensus
    except Consensus.DoesNotExist:
        return None


# --- announcement -----------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    """What an announcement did: the certificate issued (certified), or the
    date an unextended certificate lapses (an extension not certified)."""

    application: Application
    certificate: Certificate | None = None
    lapses_on: dt.date | None = None


def announce_result(*, actor: User, application: Application) -> Announcement:
    """Announce one approved result; a certified one gets its registry
    decision and certificate, and the applicant is told with the result link.
    Raises :class:`TransitionRefused` or :class:`AnnouncementRefused`; either
    way nothing is written."""
    with transaction.atomic():
        locked = perform(actor=actor, application=application, action=Action.ANNOUNCE)
        certificate: Certificate | None = None
        lapses_on: dt.date | None = None
        if locked.result_certified:
            certificate = _issue(actor, locked)
        elif locked.extends_certificate is not None:
            lapses_on = locked.extends_certificate.valid_until
        _notify_result(locked, certificate, lapses_on)
    return Announcement(locked, certificate, lapses_on)


@dataclass
class CallAnnouncement:
    announced: list[Announcement] = field(default_factory=list)
    refused: list[tuple[Application, str, dict[str, str]]] = field(default_factory=list)


def announce_call(*, actor: User, call: Call) -> CallAnnouncement:
    """Announce every approved application of a call; each in its own
    transaction, so one refused decision does not hold back the others."""
    outcome = CallAnnouncement()
    pending = Application.objects.filter(call=call, status=Status.APPROVED).order_by("pk")
    for application in pending:
        try:
            outcome.announced.append(announce_result(actor=actor, application=application))
        except TransitionRefused as refused:
            outcome.refused.append((application, refused.code, {}))
        except AnnouncementRefused as refused:
            outcome.refused.append((application, refused.code, refused.params))
    return outcome


def _issue(actor: User, application: Application) -> Certificate:
    """The decision and certificate of a certified application (in the
    caller's transaction), through the registry's one write path."""
    extension = application.extends_certificate is not None
    subject = _subject_for(application)
    try:
        decision = record_decision(
            actor=actor,
            subject=subject,
            decision=DecisionType.EXTENSION if extension else DecisionType.NEW,
            decided_on=timezone.localdate(),
            subject_code=application.municipality.code if application.municipality else "",
            size_class=application.size_class,
            field=subject.field,
            holder=subject.holder,
            note=application.title[:200],
        )
    except RegistryRefused as refused:
        raise AnnouncementRefused(refused.code, refused.params) from refused
    application.decision = decision
    application.save(update_fields=["decision", "updated_at"])
    return Certificate.objects.get(decision=decision)


def _subject_for(application: Application) -> Subject:
    if application.extends_certificate is not None:
        return application.extends_certificate.subject
    if application.municipality is not None and application.track == "city":
        return city_subject(
            municipality=application.municipality, name=application.municipality.name_ko
        )
    return service_subject(
        name=application.service_name or application.title,
        field=application.call.field if application.call else "",
        holder=application.organisation.name_ko,
    )


def _notify_result(
    application: Application, certificate: Certificate | None, lapses_on: dt.date | None
) -> None:
    applicants = User.objects.filter(
        organisation_id=application.organisation_id,
        role__in=[Role.MUNICIPALITY_APPLICANT, Role.COMPANY_APPLICANT],
        is_active=True,
    )
    consensus = _consensus_of(application)
    params: dict[str, Any] = {
        "title": application.title,
        "total": consensus.total if consensus else "",
        "grade": consensus.grade if consensus else "",
    }
    if certificate is not None:
        subject = _("%(title)s: 인증되었습니다(%(total)s점, %(grade)s등급, 인증번호 %(number)s)")
        params["number"] = certificate.number
    elif lapses_on is not None:
        subject = _(
            "%(title)s: 인증 기준에 미달하여 연장되지 않았습니다. "
            "기존 인증은 %(until)s에 만료됩니다"
        )
        params["until"] = lapses_on.isoformat()
    else:
        subject = _("%(title)s: 인증 기준에 미달했습니다(%(total)s점). 결과 보고서를 확인하세요")
    notify(
        recipients=applicants,
        kind="certification.result",
        subject=subject,
        params=params,
        url=reverse("certification:result", args=[application.pk]),
    )


# --- the result report ------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of the points table: an area, an item or an indicator."""

    level: str
    code: str
    name_ko: str
    name_en: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class AreaSummary:
    code: str
    name_ko: str
    name_en: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class ResultReport:
    application: Application
    consensus: Consensus | None
    total: Decimal | None = None
    max_total: Decimal | None = None
    grade: str = ""
    certified: bool = False
    areas: tuple[AreaSummary, ...] = ()
    lines: tuple[Line, ...] = ()
    gaps: tuple[tuple[str, WhatIfResult, tuple[dict[str, Any], ...]], ...] = ()
    problem: str = ""
    certificate: Certificate | None = None
    lapses_on: dt.date | None = None


def result_report(application: Application) -> ResultReport:
    """Points by area, item and indicator as the committee fixed them, the
    grade and decision, and the gap report: the cheapest improvements to the
    next grade and to certification (the what-if engine, from the fixed
    points)."""
    consensus = _consensus_of(application)
    if consensus is None:
        return ResultReport(application, None, problem="consensus_missing")
    framework = engine_framework(application.framework)
    names: dict[str, tuple[str, str]] = {}
    for area in framework.areas:
        names[area.code] = (area.name_ko, area.name_en)
        for item in area.items:
            names[item.code] = (item.name_ko, item.name_en)
            for indicator in item.indicators:
                names[indicator.code] = (indicator.name_ko, indicator.name_en)
    data = consensus.result
    areas: list[AreaSummary] = []
    lines: list[Line] = []
    for area_data in data.get("areas", []):
        ko, en = names.get(area_data["code"], (area_data["code"], area_data["code"]))
        points, maximum = Decimal(area_data["points"]), Decimal(area_data["max_points"])
        areas.append(AreaSummary(area_data["code"], ko, en, points, maximum))
        lines.append(Line("area", area_data["code"], ko, en, points, maximum))
        for item_data in area_data.get("items", []):
            lines.append(_line("item", item_data, names))
            lines.extend(_line("indicator", i, names) for i in item_data.get("indicators", []))
    certificate = None
    if application.decision_id is not None:
        certificate = Certificate.objects.filter(decision_id=application.decision_id).first()
    lapses_on = None
    if (
        application.status == Status.ANNOUNCED
        and not application.result_certified
        and application.extends_certificate is not None
    ):
        lapses_on = application.extends_certificate.valid_until
    gaps, problem = _gaps(application, consensus)
    return ResultReport(
        application=application,
        consensus=consensus,
        total=consensus.total,
        max_total=Decimal(data["max_total"]) if "max_total" in data else None,
        grade=consensus.grade,
        certified=consensus.certified,
        areas=tuple(areas),
        lines=tuple(lines),
        gaps=gaps,
        problem=problem,
        certificate=certificate,
        lapses_on=lapses_on,
    )


def _line(level: str, data: dict[str, Any], names: dict[str, tuple[str, str]]) -> Line:
    ko, en = names.get(data["code"], (data["code"], data["code"]))
    return Line(level, data["code"], ko, en, Decimal(data["points"]), Decimal(data["max_points"]))


def consensus_reviews(consensus: Consensus) -> list[Review]:
    """The committee's fixed points as one reviewer's scores, so the engine
    reproduces the consensus total (the mean, trimmed mean or median of one
    score is that score)."""
    scores = list(ConsensusScore.objects.filter(consensus=consensus))
    if scores:
        return [Review("committee", s.indicator_code, Decimal(s.points)) for s in scores]
    return [
        Review("committee", indicator["code"], Decimal(indicator["points"]))
        for area in consensus.result.get("areas", [])
        for item in area.get("items", [])
        for indicator in item.get("indicators", [])
        if indicator.get("source") == "committee"
    ]


def _gaps(
    application: Application, consensus: Consensus
) -> tuple[tuple[tuple[str, WhatIfResult, tuple[dict[str, Any], ...]], ...], str]:
    inputs = engine_inputs(application)
    indicators = indicators_by_code(inputs.framework)
    reviews = consensus_reviews(consensus)
    gaps = []
    try:
        targets: tuple[Target, ...] = ("next_grade", "certification")
        for target in targets:
            answer = what_if(
                inputs.framework,
                inputs.observations,
                reviews,
                target=target,
                context=inputs.context,
            )
            steps = tuple(
                {"step": s, "indicator": indicators.get(s.indicator)} for s in answer.steps
            )
            gaps.append((target, answer, steps))
    except ScoringInputError as error:
        return (), score_problem(error)
    return tuple(gaps), ""
