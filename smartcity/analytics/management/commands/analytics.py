"""``smartcity analytics demo-results``: clearly labelled generated results.

The dashboard's counts come from the registry and need nothing; its score
charts, city benchmarks and the score map need committee results, which the
demo record (press releases) does not have. This adds announced results for
every local government for the years asked, every row labelled "생성된 데모".
Refused in production.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.accounts.models import User
from smartcity.analytics.testing import LABEL, generate_results
from smartcity.certification.models import Call
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.services import load_shipped_frameworks
from smartcity.municipalities.models import Municipality


class Command(BaseCommand):
    help = "분석 화면용 생성 데모 결과를 만듭니다 (Generate labelled demo results for analytics)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["demo-results"])
        parser.add_argument("--years", default="2021-2025", help="e.g. 2021-2025")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("generated results are never loaded in production")
        first, _, last = str(options["years"]).partition("-")
        years = list(range(int(first), int(last or first) + 1))
        if Call.objects.filter(title_ko__contains=LABEL, year__in=years).exists():
            raise CommandError(f"generated results already exist for {years}")
        load_shipped_frameworks()
        old = FrameworkVersion.objects.get(code="city-2021")
        new = FrameworkVersion.objects.get(code="city-2023")
        creator = User.objects.filter(role="ministry_officer").order_by("pk").first()
        if creator is None:
            raise CommandError("load the demo first (smartcity demo load)")
        created = generate_results(
            years=years,
            municipalities=list(Municipality.objects.order_by("code")),
            framework_for_year={y: old if y < 2023 else new for y in years},
            creator=creator,
        )
        self.stdout.write(f"{len(created)} generated results ({LABEL}) for {years[0]}–{years[-1]}")
