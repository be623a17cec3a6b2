"""Statistics over committee results: how they spread per area (mean,
median, histogram, the weakest area) and how well each indicator separates
the applicants.

Pure and exact (see :mod:`smartcity.analytics.domain.results`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from smartcity.analytics.domain.results import Part, ResultRow


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


# --- the same statistics from the yearly summary's counts --------------------
#
# The dashboard reads the yearly results summary (issue 17): per area or
# indicator, how many results reached each ``(points, max)`` pair. Every
# statistic above is a function of that multiset, so these give exactly what
# ``area_stats`` and ``discrimination`` give on the rows themselves.

Counts = Mapping[tuple[Decimal, Decimal], int]


def _shares(counts: Counts) -> tuple[list[tuple[int, int]], int]:
    """Distinct shares with how many results reached each, in order, written
    as integer numerators over one common denominator (also returned).

    A share is ``points / max`` exactly; over a common denominator they sort,
    bin and add as plain integers — the fractions module would spend most of
    the dashboard's time comparing thousands of nearly unique area shares."""
    ratios: list[tuple[int, int, int]] = []
    for (points, top), n in counts.items():
        if top > 0:
            pn, pd = points.as_integer_ratio()
            tn, td = top.as_integer_ratio()
            ratios.append((pn * td, pd * tn, n))
        else:
            ratios.append((0, 1, n))
    common = math.lcm(*{den for _, den, _ in ratios}) if ratios else 1
    merged: dict[int, int] = {}
    for num, den, n in ratios:
        key = num * (common // den)
        merged[key] = merged.get(key, 0) + n
    return sorted(merged.items()), common


def _nth(shares: Sequence[tuple[int, int]], index: int) -> int:
    seen = 0
    for share, n in shares:
        seen += n
        if index < seen:
            return share
    raise IndexError(index)


def _mean(shares: Sequence[tuple[int, int]], common: int, total: int) -> Fraction:
    return Fraction(sum(s * n for s, n in shares), common * total) if total else Fraction(0)


def area_stat_from_counts(code: str, counts: Counts) -> AreaStat:
    shares, common = _shares(counts)
    total = sum(n for _, n in shares)
    if not total:
        return AreaStat(code, 0, Fraction(0), Fraction(0), Fraction(0), Fraction(0), ())
    middle = total // 2
    if total % 2:
        med = Fraction(_nth(shares, middle), common)
    else:
        med = Fraction(_nth(shares, middle - 1) + _nth(shares, middle), 2 * common)
    bins = [0] * BIN_COUNT
    for share, n in shares:
        bins[min(BIN_COUNT - 1, max(0, share * BIN_COUNT // common))] += n
    return AreaStat(
        code=code,
        count=total,
        mean=_mean(shares, common, total),
        median=med,
        minimum=Fraction(shares[0][0], common),
        maximum=Fraction(shares[-1][0], common),
        histogram=tuple(bins),
    )


def discrimination_from_counts(code: str, counts: Counts) -> Discrimination:
    total = sum(counts.values())
    shares, common = _shares(counts)
    return Discrimination(
        code=code,
        count=total,
        at_max=sum(n for (p, top), n in counts.items() if top > 0 and p >= top),
        at_zero=sum(n for (p, _top), n in counts.items() if p <= 0),
        mean=_mean(shares, common, total),
    )
