"""The statistics from the summary's counts equal those from the rows (pure)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from smartcity.analytics.domain import distributions as dd
from smartcity.analytics.domain.results import Part, ResultRow

POINTS = st.decimals(min_value=0, max_value=400, places=2)
MAXIMA = st.sampled_from([Decimal("0"), Decimal("2.5"), Decimal("40"), Decimal("333.33")])
PAIRS = st.lists(st.tuples(POINTS, MAXIMA), max_size=40)


def row(i: int, part: Part) -> ResultRow:
    return ResultRow(
        application_id=i, year=2024, municipality_code="", name="", size_class="",
        framework_code="f", total=Decimal(0), max_total=Decimal(0), grade="",
        certified=False, areas=(part,), indicators=(part,),
    )  # fmt: skip


@given(PAIRS)
def test_counts_give_the_same_area_statistics_and_discrimination_as_rows(
    pairs: list[tuple[Decimal, Decimal]],
) -> None:
    rows = [row(i, Part("X", p, m)) for i, (p, m) in enumerate(pairs)]
    counts = Counter(pairs)
    assert dd.area_stat_from_counts("X", counts) == dd.area_stats(rows, ["X"])[0]
    assert dd.discrimination_from_counts("X", counts) == dd.discrimination(rows, ["X"])[0]


def test_an_even_count_takes_the_middle_two_shares_mean() -> None:
    counts = {(Decimal(1), Decimal(4)): 1, (Decimal(3), Decimal(4)): 1}
    stat = dd.area_stat_from_counts("X", counts)
    assert stat.median == Decimal(1) / 2 and stat.histogram[2] == 1 and stat.histogram[7] == 1
