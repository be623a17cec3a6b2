"""For every certification and evaluation test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _population(persona_city_population: None) -> None:
    """The persona cities get a population (the test kit's
    ``persona_city_population``), so per-population indicators can be scored."""
