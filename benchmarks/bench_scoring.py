"""Benchmark: a national round scored end to end, and one what-if, against a baseline.

Run: ``.venv/bin/python benchmarks/bench_scoring.py``

243 applicants (every local government) × the 53-indicator city-2023 framework
× 9 committee members, generated with a fixed seed. Each figure is printed next
to a baseline measured in the same run: a plain loop summing the same Decimals
(the least any scorer must do), so the ratio is comparable across machines.

The round is timed twice: as ``score_many`` returns it (every total, grade and
decision; a result builds its per-indicator table and explanation when first
read), and with every result read in full (``score_result_to_dict``: the table
and the explanation of all 243 applicants), so the cost of reading is visible.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smartcity.scoring import (
    ApplicantRow,
    Framework,
    Indicator,
    Observation,
    Review,
    ScoringContext,
    score_many,
    score_result_to_dict,
    shipped_framework,
    what_if,
)
from smartcity.scoring.rules import (
    BandsRule,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    YesNoRule,
)

SEED = 20231221
APPLICANTS = 243
MEMBERS = 9
REPEATS = 3


def _value(rng: random.Random, indicator: Indicator) -> Decimal | bool | int:
    """A plausible claim for one indicator."""
    rule = indicator.rule
    if isinstance(rule, YesNoRule):
        return rng.random() < 0.8
    if isinstance(rule, MaturityRule):
        return rng.randint(1, 5)
    inner = rule.rule if isinstance(rule, NormalisedCountRule) else rule
    if isinstance(inner, BandsRule):
        top = max(threshold for threshold, _ in inner.bands)
        return Decimal(rng.randint(0, int(top * 2) + 1))
    assert isinstance(inner, LinearRule)
    low, high = sorted((inner.floor, inner.target))
    return (low + (high - low) * Decimal(rng.randint(0, 120)) / 100).quantize(Decimal("0.1"))


def national_round(framework: Framework) -> list[ApplicantRow]:
    """Every applicant claims every indicator; 9 members score every indicator."""
    rng = random.Random(SEED)
    rows = []
    for number in range(APPLICANTS):
        observations = tuple(
            Observation(ind.code, _value(rng, ind), "근거자료 p.1") for ind in framework.indicators
        )
        reviews = []
        for ind in framework.indicators:
            centre = rng.randint(30, 100)
            for member in range(MEMBERS):
                share = min(max(centre + rng.randint(-15, 15), 0), 100)
                points = (ind.points * share / 100).quantize(Decimal("0.5"), rounding="ROUND_DOWN")
                reviews.append(Review(f"member-{member}", ind.code, points))
        context = ScoringContext(
            population=rng.randint(20_000, 1_000_000), area_km2=Decimal(rng.randint(10, 1500))
        )
        rows.append(ApplicantRow(f"applicant-{number:03d}", observations, tuple(reviews), context))
    return rows


def _timed(run: Callable[[], object]) -> float:
    """Median wall time of ``REPEATS`` runs, in seconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _baseline(rows: list[ApplicantRow]) -> list[Decimal]:
    """The same Decimals summed per applicant in a plain loop."""
    totals = []
    for row in rows:
        total = Decimal(0)
        for review in row.reviews:
            total += review.points
        totals.append(total)
    return totals


def _round_read_in_full(framework: Framework, rows: list[ApplicantRow]) -> None:
    """Score the round and read every result in full: table and explanation."""
    for outcome in score_many(framework, rows):
        assert outcome.result is not None
        score_result_to_dict(outcome.result)


def main() -> None:
    """Generate the round, time engine and baseline, print the table."""
    framework = shipped_framework("city-2023")
    rows = national_round(framework)
    outcomes = score_many(framework, rows)
    assert all(outcome.result is not None for outcome in outcomes)
    round_engine = _timed(lambda: score_many(framework, rows))
    round_base = _timed(lambda: _baseline(rows))
    full_engine = _timed(lambda: _round_read_in_full(framework, rows))
    full_base = _timed(lambda: _baseline(rows))

    # The what-if runs for the applicant furthest below certification.
    results = [(o.result.total, row) for o, row in zip(outcomes, rows, strict=True) if o.result]
    _, chosen = min(results, key=lambda pair: pair[0])
    answer = what_if(
        framework,
        chosen.observations,
        chosen.reviews,
        target="certification",
        context=chosen.context,
    )
    whatif_engine = _timed(
        lambda: what_if(
            framework,
            chosen.observations,
            chosen.reviews,
            target="certification",
            context=chosen.context,
        )
    )
    whatif_base = _timed(lambda: _baseline([chosen]))

    certified = sum(1 for o in outcomes if o.result and o.result.certified)
    reviews = sum(len(row.reviews) for row in rows)
    print(
        f"city-2023: {len(framework.indicators)} indicators, {APPLICANTS} applicants, "
        f"{MEMBERS} members, {reviews:,} member scores; {certified} certified"
    )
    print(
        f"what-if for {chosen.applicant}: {answer.current.total} → {answer.resulting.total}, "
        f"{len(answer.steps)} steps, effort {answer.total_effort} ({answer.status})"
    )
    print()
    header = f"{'task':<34}{'engine':>12}{'baseline':>12}{'ratio':>9}"
    print(header)
    print("-" * len(header))
    table = (
        ("national round (score_many)", round_engine, round_base),
        ("round, every result read in full", full_engine, full_base),
        ("what-if, one applicant", whatif_engine, whatif_base),
    )
    for name, engine, base in table:
        print(f"{name:<34}{engine * 1000:>10.1f}ms{base * 1000:>10.2f}ms{engine / base:>8.0f}×")
    print(f"per applicant (round)             {round_engine / APPLICANTS * 1000:>10.2f}ms")


if __name__ == "__main__":
    main()
