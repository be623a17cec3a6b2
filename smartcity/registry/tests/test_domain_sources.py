"""Reading a decision's source into its parts (``domain.sources``): pure."""

from __future__ import annotations

import pytest

from smartcity.registry.domain.sources import read_source


@pytest.mark.parametrize(
    ("text", "kind", "year", "number"),
    [
        ("2021 press release (001)", "press_release", "2021", "001"),
        ("2024 Press Release", "press_release", "2024", ""),
        ("2023년 국토교통부 보도자료 (12)", "press_release", "2023", "12"),
        ("2023년 보도자료", "press_release", "2023", ""),
        ("관보 제2024-1호", "other", "", ""),
        ("", "other", "", ""),
    ],
)
def test_sources_are_read_into_their_parts(text: str, kind: str, year: str, number: str) -> None:
    source = read_source(text)
    assert (source.kind, source.year, source.number) == (kind, year, number)
