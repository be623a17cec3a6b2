from __future__ import annotations

from pathlib import Path

import pytest

from smartcity.accounts.models import User
from smartcity.analytics.testing import generate_results
from smartcity.certification.models import Application
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.services import load_shipped_frameworks
from smartcity.municipalities.models import Municipality
from smartcity.registry.services import import_decisions

HISTORY = Path(__file__).resolve().parents[2] / "site" / "demo" / "certification_history.csv"
CODES = [
    "11000", "26000", "27000", "28000", "41280", "41190", "41170", "11680", "11530", "11200",
    "11740", "11650", "41370", "51150", "27290", "48250",
]  # fmt: skip


@pytest.fixture
def history(municipal_register: None) -> None:
    """The seeds' real certification record (2021–2025)."""
    result = import_decisions(data=HISTORY.read_bytes(), file_name=HISTORY.name)
    assert result.ok, result.errors


@pytest.fixture
def frameworks(db: None) -> dict[int, FrameworkVersion]:
    load_shipped_frameworks()
    old = FrameworkVersion.objects.get(code="city-2021")
    new = FrameworkVersion.objects.get(code="city-2023")
    return {2021: old, 2022: old, 2023: new, 2024: new}


@pytest.fixture
def results(
    municipal_register: None, frameworks: dict[int, FrameworkVersion], ministry_officer: User
) -> list[Application]:
    """Announced generated results: 16 cities × 2021–2024."""
    municipalities = list(Municipality.objects.filter(code__in=CODES).order_by("code"))
    return generate_results(
        years=[2021, 2022, 2023, 2024],
        municipalities=municipalities,
        framework_for_year=frameworks,
        creator=ministry_officer,
    )
