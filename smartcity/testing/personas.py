"""The people the permission tests are about (ARCHITECTURE.md, Tests).

Each persona is a real user with a real organisation; tests read like the
rules: ``applicant_city_b`` must never see ``applicant_city_a``'s data.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartcity.accounts.choices import OperatingTrack, OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.accounts.services import create_organisation
from smartcity.municipalities.models import Municipality
from smartcity.testing.factories import MunicipalityFactory, UserFactory


@dataclass(frozen=True)
class PersonaSpec:
    username: str
    role: str
    organisation: str
    kind: str
    track: str = ""
    municipality_code: str = ""


PERSONAS: dict[str, PersonaSpec] = {
    "ministry_officer": PersonaSpec(
        "ministry", Role.MINISTRY_OFFICER, "국토교통부 도시경제과", OrganisationKind.MINISTRY
    ),
    "operator_staff": PersonaSpec(
        "krihs",
        Role.OPERATING_BODY_STAFF,
        "국토연구원",
        OrganisationKind.OPERATING_BODY,
        OperatingTrack.CITY,
    ),
    "service_operator_staff": PersonaSpec(
        "kict",
        Role.OPERATING_BODY_STAFF,
        "한국건설기술연구원",
        OrganisationKind.OPERATING_BODY,
        OperatingTrack.SERVICE,
    ),
    "committee_member": PersonaSpec(
        "member", Role.COMMITTEE_MEMBER, "한국대학교", OrganisationKind.EXPERT_BODY
    ),
    "applicant_city_a": PersonaSpec(
        "city_a",
        Role.MUNICIPALITY_APPLICANT,
        "가람시",
        OrganisationKind.MUNICIPALITY,
        municipality_code="90001",
    ),
    "applicant_city_b": PersonaSpec(
        "city_b",
        Role.MUNICIPALITY_APPLICANT,
        "나래시",
        OrganisationKind.MUNICIPALITY,
        municipality_code="90002",
    ),
    "company_applicant": PersonaSpec(
        "company", Role.COMPANY_APPLICANT, "(주)스마트교통", OrganisationKind.COMPANY
    ),
    "platform_operator": PersonaSpec(
        "operator",
        Role.PLATFORM_OPERATOR,
        "가람시 스마트도시 통합운영센터",
        OrganisationKind.OPERATIONS_CENTRE,
        municipality_code="90001",
    ),
    "police_officer": PersonaSpec(
        "police", Role.AGENCY_OFFICER, "가람경찰서 112 상황실", OrganisationKind.POLICE
    ),
}


def persona_municipality(name: str) -> Municipality:
    """The local government a persona's organisation belongs to (가람시, 나래시)."""
    spec = PERSONAS[name]
    municipality: Municipality = MunicipalityFactory(
        code=spec.municipality_code, name_ko=spec.organisation.split()[0]
    )
    return municipality


def make_persona(name: str) -> User:
    spec = PERSONAS[name]
    municipality = persona_municipality(name) if spec.municipality_code else None
    organisation = create_organisation(
        name_ko=spec.organisation,
        kind=spec.kind,
        track=spec.track,
        municipality_id=municipality.pk if municipality else None,
    )
    user: User = UserFactory(username=spec.username, role=spec.role, organisation=organisation)
    return user
