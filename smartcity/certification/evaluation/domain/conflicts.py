"""Conflicts of interest: may this member review this application? Pure: no Django.

The rule looks only at organisations and places. A member is conflicted when
their organisation is the applicant, sits in the applicant's local government
or in the same province / metropolitan city (the first two digits of the
five-digit administrative code), and — for services — when their organisation
is the applicant company or the local government of its consortium.
"""

from __future__ import annotations

from dataclasses import dataclass

SAME_ORGANISATION = "same_organisation"
SAME_MUNICIPALITY = "same_municipality"
SAME_REGION = "same_region"
COMPANY_TIES = "company_ties"
DECLARED = "declared"

#: Every reason code, in the order they are reported.
REASONS: tuple[str, ...] = (
    SAME_ORGANISATION,
    SAME_MUNICIPALITY,
    SAME_REGION,
    COMPANY_TIES,
    DECLARED,
)

MUNICIPALITY_KIND = "municipality"
SERVICE_TRACK = "service"


@dataclass(frozen=True)
class MemberFacts:
    """A member's organisation: its id, the local government it belongs to
    (``None`` for a national body) and its kind (``OrganisationKind`` value)."""

    organisation_id: int | None
    municipality_code: str | None
    kind: str


@dataclass(frozen=True)
class ApplicationFacts:
    """The applicant and the places an application is about."""

    organisation_id: int
    municipality_code: str | None
    consortium_municipality_code: str | None
    track: str


def region_of(code: str | None) -> str | None:
    """The province / metropolitan prefix of a five-digit code (``None`` if unusable)."""
    if code is None or len(code) != 5 or not code.isdigit():
        return None
    return code[:2]


def conflict_reasons(member: MemberFacts, application: ApplicationFacts) -> tuple[str, ...]:
    """The reason codes why ``member`` must not review ``application`` (empty: none)."""
    reasons: list[str] = []
    same_org = (
        member.organisation_id is not None and member.organisation_id == application.organisation_id
    )
    if same_org:
        reasons.append(SAME_ORGANISATION)
    places = [
        code
        for code in (application.municipality_code, application.consortium_municipality_code)
        if code
    ]
    if member.municipality_code and member.municipality_code in places:
        reasons.append(SAME_MUNICIPALITY)
    member_region = region_of(member.municipality_code)
    if member_region is not None and member_region in {region_of(code) for code in places}:
        reasons.append(SAME_REGION)
    if application.track == SERVICE_TRACK:
        consortium = application.consortium_municipality_code
        is_consortium_government = (
            consortium is not None
            and member.kind == MUNICIPALITY_KIND
            and member.municipality_code == consortium
        )
        if same_org or is_consortium_government:
            reasons.append(COMPANY_TIES)
    return tuple(reasons)
