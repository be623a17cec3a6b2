"""Exact arithmetic: rounding matches ``decimal`` and apportioned parts add up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.scoring.exact import (
    apportion,
    ceil_units,
    decimal_str,
    exact_str,
    round_decimal,
    round_units,
)
from smartcity.scoring.model import ROUNDING_MODES
from smartcity.scoring.tests.builders import PROPERTY

decimals = st.builds(
    lambda n, k: Decimal(n).scaleb(-k), st.integers(-(10**6), 10**6), st.integers(0, 5)
)


@PROPERTY
@given(value=decimals, places=st.integers(0, 3), mode=st.sampled_from(ROUNDING_MODES))
def test_rounding_matches_decimal_quantize_in_every_mode(
    value: Decimal, places: int, mode: str
) -> None:
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=mode)
    assert round_decimal(Fraction(value), places, mode) == expected


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("ROUND_HALF_UP", "0.67"),
        ("ROUND_DOWN", "0.66"),
        ("ROUND_05UP", "0.66"),
        ("ROUND_CEILING", "0.67"),
    ],
)
def test_rounding_a_repeating_fraction_happens_once(mode: str, expected: str) -> None:
    assert round_decimal(Fraction(2, 3), 2, mode) == Decimal(expected)


def test_unknown_rounding_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="ROUND_SIDEWAYS"):
        round_units(Fraction(1, 3), 2, "ROUND_SIDEWAYS")


def test_ceil_units_rounds_up_to_the_grid() -> None:
    assert ceil_units(Fraction(1001, 1000), 2) == 101
    assert ceil_units(Fraction(1), 2) == 100


@PROPERTY
@given(
    children=st.lists(st.fractions(min_value=0, max_value=50, max_denominator=30), max_size=8),
    mode=st.sampled_from(ROUNDING_MODES),
)
def test_apportioned_parts_add_up_and_stay_within_one_unit(
    children: list[Fraction], mode: str
) -> None:
    parent = round_units(sum(children, Fraction(0)), 2, mode)
    parts = apportion(parent, children, 2)
    assert sum(parts) == parent
    for part, child in zip(parts, children, strict=True):
        assert abs(Fraction(part, 100) - child) < Fraction(1, 100)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 2), "0.5"),
        (Fraction(-3, 4), "-0.75"),
        (Fraction(5), "5"),
        (Fraction(1, 40), "0.025"),
        (Fraction(11, 3), "11/3"),
    ],
)
def test_exact_text_is_lossless(value: Fraction, text: str) -> None:
    assert exact_str(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("1E+3", "1000"), ("0.50", "0.5"), ("-0.00", "0"), ("12", "12")],
)
def test_canonical_decimal_text_ignores_representation(value: str, text: str) -> None:
    assert decimal_str(Decimal(value)) == text
