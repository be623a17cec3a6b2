from __future__ import annotations

import pytest

from smartcity.accounts.models import User
from smartcity.certification.models import Application
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.services import load_shipped_frameworks


@pytest.fixture
def city_2023(db: None) -> FrameworkVersion:
    load_shipped_frameworks()
    return FrameworkVersion.objects.get(code="city-2023")


@pytest.fixture(autouse=True)
def _population_for_persona_cities(db: None) -> None:
    """The persona cities (90001, 90002) get a population so per-population
    indicators can be scored."""
    import datetime as dt

    from smartcity.municipalities.models import PopulationCount
    from smartcity.testing.factories import MunicipalityFactory

    for code, population in (("90001", 320_000), ("90002", 610_000)):
        municipality = MunicipalityFactory(code=code)
        PopulationCount.objects.get_or_create(
            municipality=municipality,
            reference_date=dt.date(2025, 11, 1),
            defaults={"population": population, "source": "test"},
        )


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
