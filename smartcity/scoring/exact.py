"""Exact arithmetic: values stay ``Fraction`` until they are reported as ``Decimal``.

Why fractions: a committee mean of three scores (10/3) or a linear share has no
exact decimal form, and "rounding applied once, at the end" is only true if
nothing is rounded before. Inputs and outputs are ``Decimal``; only the
reported figures are rounded, here, by the framework's rounding rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from math import gcd


def unit_factor(places: int) -> int:
    """10**places as an int (how many rounding units make one point)."""
    factor: int = 10**places
    return factor


def ceil_units(value: Fraction, places: int) -> int:
    """The smallest count of 10**-places not below ``value``."""
    return -floor_units(-value, places)


def round_units(value: Fraction, places: int, mode: str) -> int:
    """``value`` rounded to ``places`` decimals, as an integer count of 10**-places.

    ``mode`` is a ``decimal`` rounding-mode name and behaves exactly like
    ``Decimal.quantize`` with that mode (the tests check this).
    """
    scaled = value * unit_factor(places)
    return round_ratio(scaled.numerator, scaled.denominator, mode)


def round_ratio(numerator: int, denominator: int, mode: str) -> int:
    """``numerator / denominator`` (denominator > 0) rounded to an integer by ``mode``.

    The integer core of ``round_units``: the engine keeps values as integer
    ratios of the framework's point unit and rounds them without a Fraction.
    """
    sign = -1 if numerator < 0 else 1
    whole, rest = divmod(abs(numerator), denominator)
    if rest == 0:
        return sign * whole
    twice = 2 * rest
    if mode == "ROUND_HALF_UP":
        away = twice >= denominator
    elif mode == "ROUND_HALF_DOWN":
        away = twice > denominator
    elif mode == "ROUND_HALF_EVEN":
        away = twice > denominator or (twice == denominator and whole % 2 == 1)
    elif mode == "ROUND_UP":
        away = True
    elif mode == "ROUND_DOWN":
        away = False
    elif mode == "ROUND_CEILING":
        away = sign > 0
    elif mode == "ROUND_FLOOR":
        away = sign < 0
    elif mode == "ROUND_05UP":
        away = whole % 10 in (0, 5)
    else:
        raise ValueError(mode)
    return sign * (whole + 1 if away else whole)


def units_to_decimal(units: int, places: int) -> Decimal:
    """An integer count of 10**-places as a Decimal with exactly ``places`` decimals."""
    return Decimal(units).scaleb(-places)


def round_decimal(value: Fraction, places: int, mode: str) -> Decimal:
    """``value`` rounded once to a Decimal with ``places`` decimals."""
    return units_to_decimal(round_units(value, places, mode), places)


def floor_units(value: Fraction, places: int) -> int:
    """The largest count of 10**-places not above ``value``."""
    scaled = value * unit_factor(places)
    return scaled.numerator // scaled.denominator


def apportion(parent_units: int, children: Sequence[Fraction], places: int) -> list[int]:
    """Split a rounded parent among exact children so the parts add up to it.

    Largest-remainder method: each child gets its value rounded down, then the
    units still missing go to the children with the largest remainders (earlier
    children first on ties, so the result is deterministic). When the parent is
    its own exact sum rounded either way, every part stays within one unit of
    its exact value, and a reported table always adds up.
    """
    floors = [floor_units(child, places) for child in children]
    missing = parent_units - sum(floors)
    remainders = [
        child * unit_factor(places) - floor for child, floor in zip(children, floors, strict=True)
    ]
    order = sorted(range(len(children)), key=lambda i: (-remainders[i], i))
    for index in order[: max(missing, 0)]:
        floors[index] += 1
    return floors


def exact_str(value: Fraction) -> str:
    """A lossless text form: a plain decimal when one exists, else ``numerator/denominator``.

    Used in traces and serialised results so any past score can be re-checked.
    """
    return ratio_str(value.numerator, value.denominator)


@lru_cache(maxsize=8192)
def ratio_str(numerator: int, denominator: int) -> str:
    """``exact_str`` of ``numerator / denominator`` (denominator > 0), without a Fraction.

    Cached: a round formats the same shares and committee points many times.
    """
    common = gcd(numerator, denominator)
    if common != 1:
        numerator //= common
        denominator //= common
    if denominator == 1:
        return str(numerator)
    rest = denominator
    twos = fives = 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return f"{numerator}/{denominator}"
    places = max(twos, fives)
    return str(units_to_decimal(numerator * unit_factor(places) // denominator, places))


def decimal_str(value: Decimal) -> str:
    """A canonical text form of a Decimal: no exponent, no trailing zeros ("1E+3" → "1000")."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text
