"""Statistics over committee results: distributions, the weakest area,
indicator discrimination, peer percentiles, trends and improvers.

Pure and exact: shares are :class:`~fractions.Fraction` (points ÷ maximum)
until they are shown, so no binary floating point decides a rank. Areas are
compared by their share of the maximum, never by raw points, because the
frameworks of different years give an area different maxima.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from itertools import pairwise


@dataclass(frozen=True)
class Part:
    """Points of one area or indicator out of its maximum."""

    code: str
    points: Decimal
    max_points: Decimal

    @cached_property
    def share(self) -> Fraction:
        if self.max_points <= 0:
            return Fraction(0)
        return Fraction(self.points) / Fraction(self.max_points)


@dataclass(frozen=True)
class ResultRow:
    """One committee result (an application's consensus) as analytics sees it."""

    application_id: int
    year: int
    municipality_code: str
    name: str
    size_class: str
    framework_code: str
    total: Decimal
    max_total: Decimal
    grade: str
    certified: bool
    areas: tuple[Part, ...]
    indicators: tuple[Part, ...]

    @cached_property
    def share(self) -> Fraction:
        return Part("total", self.total, self.max_total).share

    @cached_property
    def _areas(self) -> dict[str, Part]:
        return {a.code: a for a in self.areas}

    @cached_property
    def _indicators(self) -> dict[str, Part]:
        return {i.code: i for i in self.indicators}

    def area(self, code: str) -> Part | None:
        return self._areas.get(code)

    def indicator(self, code: str) -> Part | None:
        return self._indicators.get(code)


def percent(value: Fraction) -> Decimal:
    """A share as a percentage with one decimal, rounded half-even once."""
    scaled = value * 1000
    return Decimal(round(scaled)) / 10


# --- distributions ----------------------------------------------------------


def mean_share(parts: Sequence[Part]) -> Fraction:
    """The mean of the parts' shares, exactly. Points are summed as decimals
    per maximum first, so only a handful of fractions are ever added."""
    if not parts:
        return Fraction(0)
    by_max: dict[Decimal, Decimal] = {}
    for p in parts:
        by_max[p.max_points] = by_max.get(p.max_points, Decimal(0)) + p.points
    total = sum(
        (Fraction(points) / Fraction(top) for top, points in by_max.items() if top > 0),
        Fraction(0),
    )
    return total / len(parts)


BIN_COUNT = 10


def median(shares: Sequence[Fraction]) -> Fraction:
    """The median share. Sorted by a float key (exact fractions compare slowly);
    two shares closer than a double can tell apart may swap places, which
    changes the median by less than that difference."""
    ordered = sorted(shares, key=float)
    n = len(ordered)
    if n == 0:
        return Fraction(0)
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def histogram(shares: Iterable[Fraction], bins: int = BIN_COUNT) -> list[int]:
    """Counts per equal-width bin of [0, 1]; a full score falls in the last bin."""
    counts = [0] * bins
    for share in shares:
        index = min(bins - 1, max(0, int(share * bins)))
        counts[index] += 1
    return counts


def bin_labels(bins: int = BIN_COUNT) -> list[str]:
    step = 100 // bins
    return [f"{i * step}–{(i + 1) * step}%" for i in range(bins)]


@dataclass(frozen=True)
class AreaStat:
    code: str
    count: int
    mean: Fraction
    median: Fraction
    minimum: Fraction
    maximum: Fraction
    histogram: tuple[int, ...]


def area_stats(rows: Sequence[ResultRow], area_codes: Sequence[str]) -> list[AreaStat]:
    """Per area: how the results spread (share of the area's maximum)."""
    stats = []
    for code in area_codes:
        parts = [p for r in rows if (p := r.area(code)) is not None]
        shares = [p.share for p in parts]
        if not shares:
            stats.append(AreaStat(code, 0, Fraction(0), Fraction(0), Fraction(0), Fraction(0), ()))
            continue
        stats.append(
            AreaStat(
                code=code,
                count=len(shares),
                mean=mean_share(parts),
                median=median(shares),
                minimum=min(shares),
                maximum=max(shares),
                histogram=tuple(histogram(shares)),
            )
        )
    return stats


def weakest_area(stats: Sequence[AreaStat]) -> AreaStat | None:
    """The area with the lowest mean share (ties: the first in framework order)."""
    scored = [s for s in stats if s.count]
    if not scored:
        return None
    return min(scored, key=lambda s: s.mean)


# --- indicator discrimination -----------------------------------------------


@dataclass(frozen=True)
class Discrimination:
    """How well one indicator separates the applicants: when nearly everyone
    gets full marks (or nothing) it tells the committee little, which is a
    finding for the next framework revision."""

    code: str
    count: int
    at_max: int
    at_zero: int
    mean: Fraction

    @property
    def share_at_max(self) -> Fraction:
        return Fraction(self.at_max, self.count) if self.count else Fraction(0)

    @property
    def share_at_zero(self) -> Fraction:
        return Fraction(self.at_zero, self.count) if self.count else Fraction(0)

    def weak(self, threshold: Fraction = Fraction(8, 10)) -> bool:
        """True when at least ``threshold`` of the results sit at one extreme."""
        return self.count > 0 and (
            self.share_at_max >= threshold or self.share_at_zero >= threshold
        )


def discrimination(
    rows: Sequence[ResultRow], indicator_codes: Sequence[str]
) -> list[Discrimination]:
    out = []
    for code in indicator_codes:
        parts = [p for r in rows if (p := r.indicator(code)) is not None]
        out.append(
            Discrimination(
                code=code,
                count=len(parts),
                at_max=sum(1 for p in parts if p.max_points > 0 and p.points >= p.max_points),
                at_zero=sum(1 for p in parts if p.points <= 0),
                mean=mean_share(parts),
            )
        )
    return out


# --- peers ------------------------------------------------------------------


def percentile_rank(value: Fraction, peers: Sequence[Fraction]) -> Decimal:
    """Mid-rank percentile of ``value`` among ``peers`` (0–100, one decimal):
    the share of peers below it plus half of those equal to it."""
    if not peers:
        return Decimal(0)
    below = sum(1 for p in peers if p < value)
    equal = sum(1 for p in peers if p == value)
    return percent(Fraction(2 * below + equal, 2 * len(peers)))


@dataclass(frozen=True)
class AreaBenchmark:
    code: str
    share: Fraction
    peer_median: Fraction
    peer_count: int
    percentile: Decimal


def benchmark(row: ResultRow, peers: Sequence[ResultRow]) -> list[AreaBenchmark]:
    """The city's place among results of the same class and year, area by area
    and in total (code ``total``). ``peers`` includes the city itself."""
    out = []
    for area in row.areas:
        shares = [p.share for r in peers if (p := r.area(area.code)) is not None]
        out.append(_benchmark(area.code, area.share, shares))
    out.append(_benchmark("total", row.share, [r.share for r in peers]))
    return out


def _benchmark(code: str, share: Fraction, shares: list[Fraction]) -> AreaBenchmark:
    return AreaBenchmark(
        code=code,
        share=share,
        peer_median=median(shares),
        peer_count=len(shares),
        percentile=percentile_rank(share, shares),
    )


# --- trends through the crosswalk -------------------------------------------


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
