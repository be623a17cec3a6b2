"""Results over the years, through the frameworks' crosswalks: trends, a
city's weakest indicators and the peers that improved on them.

Pure and exact (see :mod:`smartcity.analytics.domain.results`). Areas keep
their codes across framework versions; indicators are translated to the
newest framework's codes first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from smartcity.analytics.domain.results import Part, ResultRow

#: framework code → {indicator code → its current code, or None when retired}.
#: Frameworks not named here are current: their codes stand as they are.
Translations = Mapping[str, Mapping[str, str | None]]


def compose_crosswalks(
    steps: Sequence[tuple[str, str, Mapping[str, str | None]]],
) -> dict[str, dict[str, str | None]]:
    """Chain crosswalks (older framework, newer framework, older code → newer
    code or None) into translations to the newest framework of each chain."""
    following = {source: (target, mapping) for source, target, mapping in steps}
    out: dict[str, dict[str, str | None]] = {}
    for source, (_, mapping) in following.items():
        table: dict[str, str | None] = {}
        for code in mapping:
            current: str | None = code
            framework = source
            seen = set()
            while current is not None and framework in following and framework not in seen:
                seen.add(framework)
                target, step = following[framework]
                current = step.get(current, current)
                framework = target
            table[code] = current
        out[source] = table
    return out


def indicator_shares(row: ResultRow, translations: Translations) -> dict[str, Fraction]:
    """The row's indicator shares keyed by their current code. Several older
    indicators merged into one are pooled (their points over their maxima)."""
    table = translations.get(row.framework_code, {})
    points: dict[str, Decimal] = {}
    maxima: dict[str, Decimal] = {}
    for part in row.indicators:
        code = table.get(part.code, part.code)
        if code is None:
            continue
        points[code] = points.get(code, Decimal(0)) + part.points
        maxima[code] = maxima.get(code, Decimal(0)) + part.max_points
    return {code: Part(code, points[code], maxima[code]).share for code in points}


def indicator_share(
    row: ResultRow, code: str, sources: Mapping[str, Sequence[str]] | None
) -> Fraction | None:
    """One current indicator's share in ``row``; ``sources`` maps a current
    code to the codes of the row's (older) framework that flow into it — see
    :func:`sources_by_framework`; ``None`` for a current framework."""
    codes = (code,) if sources is None else sources.get(code, ())
    parts = [p for c in codes if (p := row.indicator(c)) is not None]
    if not parts:
        return None
    points = sum((p.points for p in parts), Decimal(0))
    top = sum((p.max_points for p in parts), Decimal(0))
    return Part(code, points, top).share


def sources_by_framework(translations: Translations) -> dict[str, dict[str, list[str]]]:
    """For each translated framework: current code → the older codes flowing into it."""
    out: dict[str, dict[str, list[str]]] = {}
    for framework, table in translations.items():
        reverse: dict[str, list[str]] = {}
        for old, new in table.items():
            if new is not None:
                reverse.setdefault(new, []).append(old)
        out[framework] = reverse
    return out


@dataclass(frozen=True)
class Improver:
    """A peer that improved on an indicator between two of its results."""

    municipality_code: str
    name: str
    indicator_code: str
    from_year: int
    to_year: int
    before: Fraction
    after: Fraction

    @property
    def gain(self) -> Fraction:
        return self.after - self.before


def improvers(
    city: ResultRow,
    rows: Sequence[ResultRow],
    indicator_code: str,
    translations: Translations,
    *,
    similarity: Fraction = Fraction(1, 10),
    limit: int = 5,
) -> list[Improver]:
    """Cities of the same class that raised ``indicator_code`` (a current code)
    from one result to their next, starting from a total within ``similarity``
    (share of the maximum) of this city's — "cities like us that got better
    at this". Best gains first."""
    by_city: dict[str, list[ResultRow]] = {}
    for r in rows:
        if r.size_class == city.size_class and r.municipality_code != city.municipality_code:
            by_city.setdefault(r.municipality_code, []).append(r)
    sources = sources_by_framework(translations)
    found: list[Improver] = []
    for results in by_city.values():
        results.sort(key=lambda r: r.year)
        best: Improver | None = None
        for before, after in pairwise(results):
            if abs(before.share - city.share) > similarity:
                continue
            b = indicator_share(before, indicator_code, sources.get(before.framework_code))
            a = indicator_share(after, indicator_code, sources.get(after.framework_code))
            if a is None or b is None or a <= b:
                continue
            candidate = Improver(
                after.municipality_code, after.name, indicator_code, before.year, after.year, b, a
            )
            if best is None or candidate.gain > best.gain:
                best = candidate
        if best is not None:
            found.append(best)
    found.sort(key=lambda i: (-i.gain, i.municipality_code))
    return found[:limit]


def weakest_indicators(
    row: ResultRow, translations: Translations, count: int = 3
) -> list[tuple[str, Fraction]]:
    """The city's lowest-share indicators (current codes), lowest first."""
    shares = indicator_shares(row, translations)
    return sorted(shares.items(), key=lambda kv: (kv[1], kv[0]))[:count]


@dataclass(frozen=True)
class TrendPoint:
    """One of a city's results, comparable across framework versions: area
    codes are stable across versions; indicators go through the crosswalk."""

    year: int
    framework_code: str
    share: Fraction
    area_shares: dict[str, Fraction]
    indicator_shares: dict[str, Fraction]
    grade: str
    certified: bool


def trend(rows: Iterable[ResultRow], translations: Translations) -> list[TrendPoint]:
    return [
        TrendPoint(
            year=r.year,
            framework_code=r.framework_code,
            share=r.share,
            area_shares={a.code: a.share for a in r.areas},
            indicator_shares=indicator_shares(r, translations),
            grade=r.grade,
            certified=r.certified,
        )
        for r in sorted(rows, key=lambda r: (r.year, r.application_id))
    ]
