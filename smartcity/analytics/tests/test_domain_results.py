"""Statistics over results, exact and without the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from smartcity.analytics.domain.distributions import (
    area_stats,
    discrimination,
    histogram,
    weakest_area,
)
from smartcity.analytics.domain.mapping import CertificatePeriod, score_colour, status_on
from smartcity.analytics.domain.peers import benchmark, percentile_rank
from smartcity.analytics.domain.results import Part, ResultRow
from smartcity.analytics.domain.trends import compose_crosswalks, improvers, indicator_shares


def row(
    code: str, year: int, a1: int, a2: int, ind: dict[str, int] | None = None,
    framework: str = "f2023", size_class: str = "small_medium",
) -> ResultRow:  # fmt: skip
    indicators = tuple(Part(c, Decimal(p), Decimal(10)) for c, p in (ind or {}).items())
    return ResultRow(
        application_id=hash((code, year)) % 10_000, year=year, municipality_code=code, name=code,
        size_class=size_class, framework_code=framework, total=Decimal(a1 + a2),
        max_total=Decimal(200), grade="", certified=False,
        areas=(Part("A1", Decimal(a1), Decimal(100)), Part("A2", Decimal(a2), Decimal(100))),
        indicators=indicators,
    )  # fmt: skip


def test_histogram_puts_a_full_score_in_the_last_bin() -> None:
    assert histogram([Fraction(0), Fraction(1, 2), Fraction(1)]) == [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]


def test_weakest_area_is_the_lowest_mean_share() -> None:
    rows = [row("a", 2024, 40, 80), row("b", 2024, 60, 70)]
    stats = area_stats(rows, ["A1", "A2"])
    weakest = weakest_area(stats)
    assert weakest is not None and weakest.code == "A1" and weakest.mean == Fraction(1, 2)


def test_percentile_is_mid_rank_among_peers() -> None:
    peers = [Fraction(n, 10) for n in (1, 2, 3, 4)]
    assert percentile_rank(Fraction(3, 10), peers) == Decimal("62.5")
    assert percentile_rank(Fraction(9, 10), peers) == Decimal("100")
    assert percentile_rank(Fraction(0), []) == Decimal(0)


def test_benchmark_includes_total_and_each_area() -> None:
    me = row("me", 2024, 50, 50)
    result = benchmark(me, [me, row("x", 2024, 90, 90), row("y", 2024, 10, 10)])
    assert [b.code for b in result] == ["A1", "A2", "total"]
    assert all(b.percentile == Decimal(50) and b.peer_count == 3 for b in result)


def test_discrimination_counts_results_at_the_extremes() -> None:
    rows = [row(c, 2024, 0, 0, {"I1": 10, "I2": 0}) for c in "abcd"]
    rows.append(row("e", 2024, 0, 0, {"I1": 5, "I2": 5}))
    i1, i2 = discrimination(rows, ["I1", "I2"])
    assert (i1.at_max, i1.at_zero, i1.count) == (4, 0, 5)
    assert i1.share_at_max == Fraction(4, 5) and i1.weak()
    assert i2.share_at_zero == Fraction(4, 5) and i2.weak()


def test_crosswalks_chain_and_merge_into_current_codes() -> None:
    tables = compose_crosswalks(
        [("f2021", "f2023", {"old1": "new1", "old2": "new1", "gone": None, "same": "same"})]
    )
    old = row("a", 2021, 0, 0, {"old1": 10, "old2": 0, "gone": 10, "same": 5}, framework="f2021")
    shares = indicator_shares(old, tables)
    assert shares == {"new1": Fraction(1, 2), "same": Fraction(1, 2)}
    # A current framework's codes stand, even one that reuses a retired code's name.
    assert indicator_shares(row("a", 2024, 0, 0, {"gone": 10}), tables) == {"gone": Fraction(1)}


def test_improvers_are_same_class_cities_from_a_similar_total_that_gained() -> None:
    me = row("me", 2024, 50, 50, {"I1": 2})
    rows = [
        me,
        row("up", 2023, 48, 50, {"I1": 2}), row("up", 2024, 60, 60, {"I1": 8}),
        row("far", 2023, 95, 95, {"I1": 2}), row("far", 2024, 95, 95, {"I1": 10}),
        row("down", 2023, 50, 50, {"I1": 8}), row("down", 2024, 50, 50, {"I1": 2}),
        row("big", 2023, 50, 50, {"I1": 2}, size_class="large"),
        row("big", 2024, 50, 50, {"I1": 9}, size_class="large"),
    ]  # fmt: skip
    found = improvers(me, rows, "I1", {})
    assert [(i.municipality_code, i.before, i.after) for i in found] == [
        ("up", Fraction(1, 5), Fraction(4, 5))
    ]


def test_status_on_a_day_follows_the_periods() -> None:
    d = dt.date
    periods = [
        CertificatePeriod("new", d(2021, 9, 10), d(2023, 12, 20), "extended"),
        CertificatePeriod("extension", d(2023, 12, 21), d(2025, 12, 20), ""),
    ]
    assert status_on(periods, d(2020, 1, 1)) == "none"
    assert status_on(periods, d(2022, 1, 1)) == "certified"
    assert status_on(periods, d(2024, 1, 1)) == "extended"
    assert status_on(periods, d(2026, 1, 1)) == "lapsed"
    revoked = [CertificatePeriod("new", d(2021, 9, 10), d(2022, 3, 1), "revoked")]
    assert status_on(revoked, d(2022, 6, 1)) == "revoked"


def test_score_colours_follow_the_grade_bands() -> None:
    assert score_colour(None) != score_colour(Fraction(7, 10))
    assert score_colour(Fraction(7, 10)) != score_colour(Fraction(69, 100))
