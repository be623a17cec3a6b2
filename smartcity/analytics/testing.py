"""Generated committee results for tests, the benchmark and an optional demo.

Nothing here is a product write path: it bulk-creates calls, applications and
consensus rows directly so that 10 years × 243 local governments take seconds.
Every generated row is labelled (organisation and title say "생성된 데모";
the consensus minutes say so too) so no one mistakes it for a real result.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from smartcity.accounts.choices import OrganisationKind
from smartcity.accounts.models import User
from smartcity.accounts.services import create_organisation
from smartcity.analytics.selectors.results import GENERATED_LABEL
from smartcity.certification.evaluation.models import Consensus
from smartcity.certification.models import Application, Call
from smartcity.certification.services.summary import rebuild_result_summary
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import engine_framework
from smartcity.municipalities.models import Municipality
from smartcity.scoring import Framework
from smartcity.scoring.grading import grade_band

LABEL = GENERATED_LABEL
#: Mean level per area: innovation weakest, as the 2021 results found.
AREA_BIAS = {"A1": Decimal("-0.12"), "A2": Decimal("0.05"), "A3": Decimal("0.02")}


def _aware(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 9, tzinfo=dt.UTC)


def generated_call(year: int, framework: FrameworkVersion) -> Call:
    call, _ = Call.objects.get_or_create(
        year=year,
        track="city",
        title_ko=f"{year}년 스마트도시 인증 공모 ({LABEL})",
        defaults={
            "framework": framework,
            "announced_at": _aware(year, 6, 1),
            "submission_opens_at": _aware(year, 7, 1),
            "submission_closes_at": _aware(year, 7, 3),
            "written_review_starts_at": _aware(year, 9, 1),
            "site_inspection_starts_at": _aware(year, 9, 15),
            "decision_starts_at": _aware(year, 10, 15),
            "results_announced_at": _aware(year, 11, 25),
        },
    )
    return call


def result_document(
    framework: Framework, level: Decimal, rng: random.Random
) -> tuple[dict[str, object], Decimal]:
    """A result JSON in the engine's shape (``score_result_to_dict``), with
    points in fifths of each indicator (like the maturity stages)."""
    areas: list[dict[str, object]] = []
    total = Decimal(0)
    for area in framework.areas:
        area_points = Decimal(0)
        area_max = Decimal(0)
        items: list[dict[str, object]] = []
        for item in area.items:
            indicators: list[dict[str, object]] = []
            item_points = Decimal(0)
            item_max = Decimal(0)
            for ind in item.indicators:
                mean = float(level + AREA_BIAS.get(area.code, Decimal(0)))
                share = min(1.0, max(0.0, rng.gauss(mean, 0.25)))
                points = (ind.points * Decimal(round(share * 5)) / 5).quantize(Decimal("0.01"))
                indicators.append({
                    "code": ind.code, "points": str(points), "max_points": str(ind.points),
                    "exact": str(points), "source": "committee", "value": None,
                    "proposal_points": None, "member_points": [], "aggregated": str(points),
                    "flags": [],
                })  # fmt: skip
                item_points += points
                item_max += ind.points
            items.append({"code": item.code, "points": str(item_points),
                          "max_points": str(item_max), "exact": str(item_points),
                          "indicators": indicators})  # fmt: skip
            area_points += item_points
            area_max += item_max
        areas.append({"code": area.code, "points": str(area_points), "max_points": str(area_max),
                      "exact": str(area_points), "items": items})  # fmt: skip
        total += area_points
    max_total = sum((Decimal(a["max_points"]) for a in areas), Decimal(0))  # type: ignore[arg-type]
    band = grade_band(framework, total)
    document: dict[str, object] = {
        "framework_code": framework.code,
        "framework_hash": "",
        "engine_version": LABEL,
        "total": str(total),
        "max_total": str(max_total),
        "exact_total": str(total),
        "grade": band.grade if band else None,
        "certified": total >= framework.certification_threshold,
        "areas": areas,
        "trace": [],
    }
    return document, total


@transaction.atomic
def generate_results(
    *,
    years: Sequence[int],
    municipalities: Sequence[Municipality],
    framework_for_year: dict[int, FrameworkVersion],
    creator: User,
    status: str = "announced",
    seed: int = 2026,
) -> list[Application]:
    """One announced (by default) result per municipality per year, with
    abilities that drift upwards so trends and improvers exist."""
    rng = random.Random(seed)
    organisations = {}
    for m in municipalities:
        organisations[m.pk] = create_organisation(
            name_ko=f"{m.full_name_ko} ({LABEL})",
            kind=OrganisationKind.MUNICIPALITY,
            municipality_id=m.pk,
            actor=creator,
        )
    ability = {m.pk: Decimal(str(round(rng.uniform(0.45, 0.85), 3))) for m in municipalities}
    created: list[Application] = []
    for index, year in enumerate(years):
        version = framework_for_year[year]
        framework = engine_framework(version)
        call = generated_call(year, version)
        announced = call.results_announced_at
        applications = [
            Application(
                kind="application", track="city", status=status, organisation=organisations[m.pk],
                municipality=m, framework=version, call=call,
                size_class="large" if m.code.endswith("000") or m.pk % 7 == 0 else "small_medium",
                submitted_at=call.submission_closes_at, title=f"{m.full_name_ko} {year} ({LABEL})",
                announced_at=announced if status == "announced" else None, created_by=creator,
            )
            for m in municipalities
        ]  # fmt: skip
        Application.objects.bulk_create(applications)
        applications = list(
            Application.objects.filter(call=call, organisation__in=organisations.values())
        )
        consensus = []
        for application in applications:
            level = ability[application.municipality_id] + Decimal("0.015") * index  # type: ignore[index]
            document, total = result_document(framework, level, rng)
            certified = bool(document["certified"])
            application.result_certified = certified
            consensus.append(
                Consensus(
                    application=application, fixed_at=announced, fixed_by=creator,
                    minutes=LABEL, total=total, grade=str(document["grade"] or ""),
                    certified=certified, result=document,
                )
            )  # fmt: skip
        Consensus.objects.bulk_create(consensus)
        Application.objects.bulk_update(applications, ["result_certified"])
        created.extend(applications)
    # Bulk creation bypasses the write services, so bring the dashboard's
    # yearly summary up to date the way an operator would after an import.
    rebuild_result_summary()
    return created
