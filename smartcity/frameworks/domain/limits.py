"""What the catalogue can store: limits a framework document must meet
before it is saved, so that a hostile or careless document is refused with
its place in the document instead of failing in the database.

* Nesting: a real framework document is about ten levels deep; parsers and
  the engine recurse, so a document nested thousands deep would crash them.
* NUL characters: PostgreSQL stores neither them in text nor ``\\u0000`` in
  JSON.
* Absurd numbers (``1e999999999``, 10⁵⁰, a 5,000-digit string): the
  engine's exact decimal arithmetic overflows or cannot quantize them, so
  any number of 10¹⁶ or more (or written below 10⁻¹⁰⁰) is refused before
  the engine sees it. Codes are exempt: they are text, whatever they look like.
* Lengths and magnitudes: the catalogue's columns (codes 40–60 characters,
  names 200–300, points below 10⁸ with two decimals, a four-digit year).

Pure Python: no Django.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_DEPTH = 30
"""Containers inside containers; the shipped frameworks use 8."""
MAX_MAGNITUDE = 15
"""Numbers must stay below 10^16 (points, thresholds, scales, years)."""
MIN_MAGNITUDE = -100
_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")
MAX_POINTS = Decimal(10) ** 8
"""``DecimalField(max_digits=10, decimal_places=2)``: below 100,000,000."""

_FRAMEWORK_LENGTHS = {"code": 60, "version": 20, "field": 40, "name_ko": 200, "name_en": 200}
_AREA_LENGTHS = {"code": 40, "name_ko": 200, "name_en": 200}
_ITEM_LENGTHS = {"code": 40, "name_ko": 200, "name_en": 200}
_INDICATOR_LENGTHS = {"code": 40, "name_ko": 300, "name_en": 300}


@dataclass(frozen=True)
class LimitProblem:
    location: str
    problem: str
    detail: str = ""


class DocumentTooDeep(ValueError):
    """A document nested too deep to parse (the parser ran out of recursion)."""


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def document_problems(document: object) -> list[LimitProblem]:
    """Nesting and NUL characters anywhere in a parsed document (iteratively,
    so the check itself cannot overflow the stack)."""
    problems: list[LimitProblem] = []
    stack: list[tuple[object, str, int]] = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                problems.append(LimitProblem(path, "nul_character"))
            elif not _is_code(path) and _NUMBER.fullmatch(value) and _absurd(Decimal(value)):
                problems.append(LimitProblem(path, "out_of_range", value.strip()[:40]))
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            if _absurd(Decimal(value)):
                problems.append(LimitProblem(path, "out_of_range", f"{Decimal(value):.3e}"))
            continue
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(LimitProblem(path, "out_of_range", str(value)))
            continue
        children: list[tuple[object, str]] = []
        if isinstance(value, Mapping):
            for key, child in value.items():
                if isinstance(key, str) and "\x00" in key:
                    problems.append(LimitProblem(path, "nul_character", "key"))
                children.append((child, _join(path, str(key))))
        elif isinstance(value, Sequence) and not isinstance(value, bytes):
            children = [(child, _join(path, index)) for index, child in enumerate(value)]
        else:
            continue
        if depth >= MAX_DEPTH:
            problems.append(LimitProblem(path, "nesting_too_deep", f"more than {MAX_DEPTH} levels"))
            continue
        stack.extend((child, child_path, depth + 1) for child, child_path in reversed(children))
    problems.sort(key=lambda p: p.location)
    return problems


def _absurd(number: Decimal) -> bool:
    if not number.is_finite() or not number:
        return False
    return not MIN_MAGNITUDE <= number.adjusted() <= MAX_MAGNITUDE


def _is_code(path: str) -> bool:
    return path.rsplit(".", 1)[-1] in {"code", "item_code", "area_code"}


def framework_problems(framework: Any) -> list[LimitProblem]:
    """Lengths and magnitudes of an engine ``Framework`` against the catalogue's columns."""
    problems = list(_lengths(framework, "", _FRAMEWORK_LENGTHS))
    if not 1 <= framework.year <= 9999:
        problems.append(LimitProblem("year", "out_of_range", str(framework.year)[:20]))
    problems.extend(_magnitude(framework.certification_threshold, "certification_threshold"))
    total = Decimal(0)
    for a, area in enumerate(framework.areas):
        area_path = _join("areas", a)
        problems.extend(_lengths(area, area_path, _AREA_LENGTHS))
        for i, item in enumerate(area.items):
            item_path = _join(_join(area_path, "items"), i)
            problems.extend(_lengths(item, item_path, _ITEM_LENGTHS))
            for n, indicator in enumerate(item.indicators):
                path = _join(_join(item_path, "indicators"), n)
                problems.extend(_lengths(indicator, path, _INDICATOR_LENGTHS))
                problems.extend(_magnitude(indicator.points, _join(path, "points")))
                if indicator.points.is_finite() and indicator.points.copy_abs() < MAX_POINTS:
                    total += indicator.points
    if not problems:
        problems.extend(_magnitude(total, "total_points"))
    return problems


def _lengths(entry: object, path: str, limits: Mapping[str, int]) -> Iterator[LimitProblem]:
    for name, limit in limits.items():
        value = getattr(entry, name, None) or ""
        if len(value) > limit:
            yield LimitProblem(_join(path, name), "too_long", f"{len(value)} > {limit}")


def _magnitude(value: Decimal | None, path: str) -> Iterator[LimitProblem]:
    if value is not None and (not value.is_finite() or value.copy_abs() >= MAX_POINTS):
        yield LimitProblem(path, "out_of_range", f"{value:.3g}" if value.is_finite() else "")
