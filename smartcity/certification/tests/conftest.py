from __future__ import annotations

import pytest

from smartcity.accounts.models import User
from smartcity.certification.models import Application
from smartcity.frameworks.models import FrameworkVersion


@pytest.fixture
def application_of_a(city_2023: FrameworkVersion, applicant_city_a: User) -> Application:
    """A submitted-for-review application (not a self-assessment) of city A."""
    organisation = applicant_city_a.organisation
    assert organisation is not None
    return Application.objects.create(
        kind="application",
        track="city",
        organisation=organisation,
        municipality=organisation.municipality,
        framework=city_2023,
        title="가람시 2026 스마트도시 인증 신청",
        created_by=applicant_city_a,
    )
