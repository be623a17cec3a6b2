"""Hypothesis strategies: small valid frameworks and matching claims and reviews."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from smartcity.scoring import (
    BandsRule,
    Framework,
    Indicator,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    Observation,
    Review,
    Rule,
    ScoringContext,
    YesNoRule,
)
from smartcity.scoring.tests.builders import MATURITY, framework, ind

CONTEXT = ScoringContext(population=150_000, area_km2=Decimal(120))


def _shares(count: int) -> st.SearchStrategy[list[Decimal]]:
    """``count`` non-decreasing shares in twentieths of [0, 1]."""
    return st.lists(st.integers(0, 20), min_size=count, max_size=count).map(
        lambda ks: [Decimal(k) / 20 for k in sorted(ks)]
    )


@st.composite
def bands_rules(draw: st.DrawFn) -> BandsRule:
    """1–3 strictly ordered thresholds with rising shares."""
    direction = draw(st.sampled_from(["higher_better", "lower_better"]))
    thresholds = sorted(draw(st.sets(st.integers(0, 100), min_size=1, max_size=3)))
    if direction == "lower_better":
        thresholds.reverse()
    shares = draw(_shares(len(thresholds)))
    bands = tuple((Decimal(t), s) for t, s in zip(thresholds, shares, strict=True))
    return BandsRule(direction, bands)


@st.composite
def linear_rules(draw: st.DrawFn) -> LinearRule:
    """A floor and a distinct target; the direction follows their order."""
    floor, target = draw(st.lists(st.integers(-20, 100), min_size=2, max_size=2, unique=True))
    direction = "higher_better" if target > floor else "lower_better"
    return LinearRule(Decimal(floor), Decimal(target), direction)


def rules() -> st.SearchStrategy[Rule]:
    """Any rule kind, including maturity with custom shares and normalised counts."""
    maturity = st.one_of(
        st.just(MATURITY),
        _shares(5).map(
            lambda s: MaturityRule(tuple(s), MATURITY.descriptors_ko, MATURITY.descriptors_en)
        ),
    )
    normalised = st.builds(
        NormalisedCountRule,
        per=st.sampled_from(["population", "area_km2"]),
        scale=st.sampled_from([Decimal(1), Decimal(1000), Decimal(100_000)]),
        rule=st.one_of(bands_rules(), linear_rules()),
    )
    return st.one_of(st.just(YesNoRule()), maturity, bands_rules(), linear_rules(), normalised)


@st.composite
def indicators(draw: st.DrawFn, code: str) -> Indicator:
    """One indicator worth 0–20 points in halves."""
    points = Decimal(draw(st.integers(0, 40))) / 2
    return ind(code, draw(rules()), points, evidence=draw(st.sampled_from(["", "문서"])))


@st.composite
def frameworks(draw: st.DrawFn, max_indicators: int = 6) -> Framework:
    """1–3 items of indicators, grade bands at 80/60/40 % of the maximum and 0."""
    count = draw(st.integers(1, max_indicators))
    built = [draw(indicators(f"X{n}")) for n in range(count)]
    cut = draw(st.integers(0, count))
    groups = tuple(group for group in (tuple(built[:cut]), tuple(built[cut:])) if group)
    maximum = sum((i.points for i in built), Decimal(0))
    minimums = sorted(
        {(maximum * Decimal(p) / 10).quantize(Decimal("0.01")) for p in (8, 6, 4)} | {Decimal(0)},
        reverse=True,
    )
    threshold = draw(
        st.sampled_from([*minimums, (maximum * Decimal("0.7")).quantize(Decimal("0.01"))])
    )
    aggregation = draw(st.sampled_from(["mean", "trimmed_mean", "median"]))
    return framework(
        items=groups,
        grades=tuple(str(m) for m in minimums),
        threshold=str(threshold),
        aggregation=aggregation,
    )


def values(indicator: Indicator) -> st.SearchStrategy[Decimal | bool | int]:
    """Claims of the right type for the indicator's rule."""
    rule = indicator.rule
    if isinstance(rule, YesNoRule):
        return st.booleans()
    if isinstance(rule, MaturityRule):
        return st.integers(1, 5)
    if isinstance(rule, NormalisedCountRule):
        return st.integers(0, 5000).map(Decimal)
    return st.integers(-40, 480).map(lambda n: Decimal(n) / 4)


@st.composite
def observations(draw: st.DrawFn, fw: Framework) -> list[Observation]:
    """A claim for some of the indicators, some with evidence."""
    chosen = draw(st.lists(st.sampled_from(fw.indicators), unique_by=lambda i: i.code))
    return [
        Observation(i.code, draw(values(i)), draw(st.sampled_from([None, "p. 3"]))) for i in chosen
    ]


@st.composite
def reviews(draw: st.DrawFn, fw: Framework, max_members: int = 4) -> list[Review]:
    """Member scores in halves within [0, points] for some indicators."""
    result: list[Review] = []
    for indicator in draw(st.lists(st.sampled_from(fw.indicators), unique_by=lambda i: i.code)):
        members = draw(st.integers(1, max_members))
        top = int(indicator.points * 2)
        for member in range(members):
            points = Decimal(draw(st.integers(0, top))) / 2
            result.append(Review(f"m{member}", indicator.code, points))
    return result
