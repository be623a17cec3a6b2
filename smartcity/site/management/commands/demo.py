"""``smartcity demo load``: the register, the seeds' certification record, demo
decisions valid today, demo logins, the seeds' good practices (annual
reports), this year's demo call (open today,
committees formed) and a reviewed call awaiting the Ministry's approval.
Every date the demo lays is relative to the day it is loaded.

Idempotent. Refuses to create demo logins in production.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smartcity.accounts.choices import OperatingTrack, OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.accounts.services import create_organisation, create_user
from smartcity.certification.demo import open_demo_call
from smartcity.certification.demo_approval import lay_reviewed_call
from smartcity.frameworks.services import load_shipped_frameworks
from smartcity.municipalities.models import Municipality
from smartcity.registry.demo import load_demo_decisions
from smartcity.registry.services import import_decisions
from smartcity.site.demo_practices import load_demo_call_figures, load_demo_practices

DEMO_PASSWORD = "smartcity-demo-2026"  # noqa: S105 - printed by scripts/serve on purpose
HISTORY = Path(__file__).resolve().parents[2] / "demo" / "certification_history.csv"

# (username, display name, role, organisation, kind, track, municipality code)
DEMO_USERS = [
    ("ministry", "김정책", Role.MINISTRY_OFFICER, "국토교통부 도시경제과", OrganisationKind.MINISTRY, "", ""),  # noqa: E501
    ("krihs", "이연구", Role.OPERATING_BODY_STAFF, "국토연구원", OrganisationKind.OPERATING_BODY, OperatingTrack.CITY, ""),  # noqa: E501
    ("kict", "박건설", Role.OPERATING_BODY_STAFF, "한국건설기술연구원", OrganisationKind.OPERATING_BODY, OperatingTrack.SERVICE, ""),  # noqa: E501
    ("member", "최위원", Role.COMMITTEE_MEMBER, "한국대학교 도시공학과", OrganisationKind.EXPERT_BODY, "", ""),  # noqa: E501
    ("goyang", "정고양", Role.MUNICIPALITY_APPLICANT, "고양시", OrganisationKind.MUNICIPALITY, "", "41280"),  # noqa: E501
    ("company", "한기업", Role.COMPANY_APPLICANT, "(주)스마트모빌리티", OrganisationKind.COMPANY, "", ""),  # noqa: E501
    ("operator", "윤관제", Role.PLATFORM_OPERATOR, "고양시 스마트도시 통합운영센터", OrganisationKind.OPERATIONS_CENTRE, "", "41280"),  # noqa: E501
    ("police", "강경위", Role.AGENCY_OFFICER, "경기북부경찰청 112치안종합상황실", OrganisationKind.POLICE, "", ""),  # noqa: E501
    # The Daejeon metropolitan cloud centre (``smartcity operations demo``): real cameras.
    ("daejeon", "서한밭", Role.PLATFORM_OPERATOR, "대전광역시 스마트도시 통합운영센터", OrganisationKind.OPERATIONS_CENTRE, "", "30000"),  # noqa: E501
    ("centre-admin", "문설정", Role.CENTRE_ADMIN, "대전광역시 스마트도시 통합운영센터", OrganisationKind.OPERATIONS_CENTRE, "", "30000"),  # noqa: E501
    ("police-daejeon", "오경사", Role.AGENCY_OFFICER, "대전경찰청 112치안종합상황실", OrganisationKind.POLICE, "", ""),  # noqa: E501
    ("fire", "임소방", Role.AGENCY_OFFICER, "대전소방본부 119종합상황실", OrganisationKind.FIRE, "", ""),  # noqa: E501
    ("fire-goyang", "송소방", Role.AGENCY_OFFICER, "경기도소방재난본부 119종합상황실", OrganisationKind.FIRE, "", ""),  # noqa: E501
]  # fmt: skip


class Command(BaseCommand):
    help = "데모 데이터를 불러옵니다 (Load the demo data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo data is never loaded in production")
        if not Municipality.objects.exists():
            call_command("municipalities", "load", stdout=self.stdout)
        frameworks = load_shipped_frameworks()
        self.stdout.write(f"frameworks: {len(frameworks)} loaded")
        result = import_decisions(data=HISTORY.read_bytes(), file_name=HISTORY.name)
        if not result.ok:
            raise CommandError(f"demo decisions did not import: {result.errors}")
        self.stdout.write(
            f"certification decisions: {result.created} added, {result.unchanged} already there"
        )
        demo = load_demo_decisions(timezone.localdate())
        if demo is not None and not demo.ok:
            raise CommandError(f"demo decisions did not import: {demo.errors}")
        self.stdout.write(
            f"demo decisions valid today: {demo.created} added"
            if demo
            else "demo decisions: already there"
        )
        created = 0
        for username, name, role, org_name, kind, track, code in DEMO_USERS:
            organisation = create_organisation(
                name_ko=org_name,
                kind=kind,
                track=track,
                municipality_id=Municipality.objects.filter(code=code)
                .values_list("pk", flat=True)
                .first()
                if code
                else None,
            )
            if User.objects.filter(username=username).exists():
                continue
            create_user(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                organisation=organisation,
                display_name=name,
                validate=False,
            )
            created += 1
        self.stdout.write(f"demo logins: {created} created")
        practices = load_demo_practices(actor=User.objects.get(username="ministry"))
        self.stdout.write(f"good practices (annual reports): {practices} added")
        figures = load_demo_call_figures(actor=User.objects.get(username="ministry"))
        self.stdout.write(f"call figures (annual reports): {figures} recorded")
        call = open_demo_call(
            ministry=User.objects.get(username="ministry"),
            operating_body=User.objects.get(username="krihs"),
        )
        self.stdout.write(
            f"demo call: {call.title_ko} opened" if call else "demo call: already there"
        )
        reviewed = lay_reviewed_call(
            ministry=User.objects.get(username="ministry"),
            operating_body=User.objects.get(username="krihs"),
        )
        self.stdout.write(
            f"reviewed call: {reviewed.title_ko} awaits approval"
            if reviewed
            else "reviewed call: already there"
        )
