"""The yearly summary of committee results, as pure data (issue 17).

The national dashboard shows, for any selection of years and size classes,
how the results spread per area (mean, median, minimum, maximum, histogram
of shares) and how each indicator separates the applicants. Computing that
from every result on each request grew with the years of history. The
summary keeps, per (year, size class, framework, audience), the *multiset*
of ``(points, maximum)`` pairs of every area and indicator: every one of
those statistics is exact on a multiset, two multisets add up to the
multiset of both selections, and one application's pairs can be taken out
again when its result changes or leaves the audience. So the summary is
exact, mergeable across years, and maintained by adding and subtracting one
application's *contribution* on each write.

Shapes (JSON-ready):

* a contribution is ``{"areas": {code: "points/max"}, "indicators": {...}}``;
* the stats of a summary row are ``{"areas": {code: {"points/max": n}},
  "indicators": {...}}``, with no zero counts and no empty codes.

The pair is written as the two decimals' own strings, so the same result
document always gives the same keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

KINDS = ("areas", "indicators")

Contribution = dict[str, dict[str, str]]
Stats = dict[str, dict[str, dict[str, int]]]


def pair_key(points: Any, max_points: Any) -> str:
    """``"points/max"`` from the document's values (as analytics reads them)."""
    return f"{Decimal(str(points))}/{Decimal(str(max_points))}"


def parse_key(key: str) -> tuple[Decimal, Decimal]:
    points, max_points = key.split("/")
    return Decimal(points), Decimal(max_points)


def contribution(result: Mapping[str, Any] | None) -> Contribution:
    """The pairs one result document contributes: each area, and each
    indicator of every item (a code met twice keeps its last pair, as the
    analytics rows do)."""
    result = result or {}
    areas: dict[str, str] = {}
    indicators: dict[str, str] = {}
    for area in result.get("areas", []):
        areas[str(area["code"])] = pair_key(area["points"], area["max_points"])
        for item in area.get("items", []):
            for ind in item.get("indicators", []):
                indicators[str(ind["code"])] = pair_key(ind["points"], ind["max_points"])
    return {"areas": areas, "indicators": indicators}


def empty_stats() -> Stats:
    return {kind: {} for kind in KINDS}


def apply(stats: Stats, part: Contribution, sign: int) -> None:
    """Add (``sign=1``) or take out (``sign=-1``) one contribution, in place.

    Taking out what was never added is a bug in the caller (the summary would
    no longer match the results), so it raises instead of going negative."""
    for kind in KINDS:
        by_code = stats.setdefault(kind, {})
        for code, key in part.get(kind, {}).items():
            counts = by_code.setdefault(code, {})
            count = counts.get(key, 0) + sign
            if count < 0:
                raise ValueError(f"summary underflow: {kind} {code} {key}")
            if count:
                counts[key] = count
            else:
                counts.pop(key, None)
                if not counts:
                    del by_code[code]


def merge(
    stats: Iterable[Mapping[str, Mapping[str, Mapping[str, int]]]], kind: str
) -> dict[str, dict[str, int]]:
    """The counts of ``kind`` over several summary rows, per code."""
    merged: dict[str, dict[str, int]] = {}
    for s in stats:
        for code, counts in s.get(kind, {}).items():
            target = merged.get(code)
            if target is None:
                merged[code] = dict(counts)
                continue
            for key, n in counts.items():
                target[key] = target.get(key, 0) + n
    return merged
