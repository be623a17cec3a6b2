"""A city's place among its peers: percentile ranks per area and in total.

Pure and exact (see :mod:`smartcity.analytics.domain.results`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from smartcity.analytics.domain.distributions import median
from smartcity.analytics.domain.results import ResultRow, percent


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
