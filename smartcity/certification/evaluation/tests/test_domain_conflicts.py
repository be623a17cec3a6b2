"""The conflict-of-interest rule, without the database."""

from __future__ import annotations

import ast
from pathlib import Path

import smartcity.certification.evaluation.domain as domain
from smartcity.certification.evaluation.domain.conflicts import (
    ApplicationFacts,
    MemberFacts,
    conflict_reasons,
    region_of,
)

CITY_A = ApplicationFacts(
    organisation_id=10, municipality_code="11110", consortium_municipality_code=None, track="city"
)
SERVICE = ApplicationFacts(
    organisation_id=20,
    municipality_code=None,
    consortium_municipality_code="26110",
    track="service",
)


def member(org: int | None = 99, code: str | None = None, kind: str = "expert_body") -> MemberFacts:
    return MemberFacts(organisation_id=org, municipality_code=code, kind=kind)


def test_a_national_expert_has_no_conflict() -> None:
    assert conflict_reasons(member(), CITY_A) == ()
    assert conflict_reasons(member(org=None), CITY_A) == ()


def test_staff_of_the_applicant_is_conflicted_on_every_ground_that_applies() -> None:
    assert conflict_reasons(member(org=10, code="11110", kind="municipality"), CITY_A) == (
        "same_organisation",
        "same_municipality",
        "same_region",
    )


def test_an_organisation_in_the_applicants_municipality_is_conflicted() -> None:
    assert conflict_reasons(member(code="11110"), CITY_A) == ("same_municipality", "same_region")


def test_the_same_province_is_a_conflict_by_its_first_two_digits() -> None:
    assert conflict_reasons(member(code="11680"), CITY_A) == ("same_region",)
    assert conflict_reasons(member(code="26110"), CITY_A) == ()


def test_region_needs_a_five_digit_code() -> None:
    assert region_of("11110") == "11"
    assert region_of("1111") is None
    assert region_of("abcde") is None
    assert region_of(None) is None
    assert conflict_reasons(member(code="11"), CITY_A) == ()


def test_service_company_staff_have_company_ties() -> None:
    assert conflict_reasons(member(org=20), SERVICE) == ("same_organisation", "company_ties")


def test_the_consortium_municipality_has_company_ties_and_place_conflicts() -> None:
    assert conflict_reasons(member(org=30, code="26110", kind="municipality"), SERVICE) == (
        "same_municipality",
        "same_region",
        "company_ties",
    )


def test_a_university_in_the_consortium_city_is_conflicted_by_place_not_company_ties() -> None:
    assert conflict_reasons(member(code="26110"), SERVICE) == ("same_municipality", "same_region")


def test_company_ties_only_apply_to_services() -> None:
    city_with_consortium = ApplicationFacts(10, "11110", "26110", "city")
    reasons = conflict_reasons(member(code="26110", kind="municipality"), city_with_consortium)
    assert "company_ties" not in reasons


def test_the_evaluation_domain_imports_no_django() -> None:
    for path in Path(domain.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] == "django" for n in names), path.name
