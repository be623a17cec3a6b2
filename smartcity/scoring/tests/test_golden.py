"""Golden files pin every shipped framework: a fixed application, scored, compared with JSON.

To regenerate after an intended change (and review the diff before committing):

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest smartcity/scoring -p no:django -q -k golden
"""

from __future__ import annotations

import json
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest

from smartcity.scoring import (
    Framework,
    Observation,
    Review,
    ScoringContext,
    score,
    score_result_to_dict,
    shipped_frameworks,
)
from smartcity.scoring.rules import BandsRule, MaturityRule, NormalisedCountRule, YesNoRule
from smartcity.scoring.serialize import value_to_json

GOLDEN = Path(__file__).parent / "golden"
CONTEXT = ScoringContext(population=512_345, area_km2=Decimal("605.2"))


def fixed_application(fw: Framework) -> tuple[list[Observation], list[Review]]:
    """The same claims and committee scores every run (seeded by the framework's code)."""
    rng = random.Random(fw.code)
    claims: list[Observation] = []
    committee: list[Review] = []
    for indicator in fw.indicators:
        rule = indicator.rule
        value: Decimal | bool | int
        if isinstance(rule, NormalisedCountRule):
            value = Decimal(rng.randint(0, 400))
        elif isinstance(rule, YesNoRule):
            value = rng.random() < 0.7
        elif isinstance(rule, MaturityRule):
            value = rng.randint(1, 5)
        elif isinstance(rule, BandsRule):
            value = Decimal(rng.randint(0, 2 * int(max(t for t, _ in rule.bands)) + 1))
        else:
            low, high = sorted((rule.floor, rule.target))
            value = low + (high - low) * Decimal(rng.randint(-10, 110)) / 100
        if rng.random() < 0.9:
            claims.append(
                Observation(indicator.code, value, "부록 p.7" if rng.random() < 0.8 else None)
            )
        if rng.random() < 0.35:
            for member in range(rng.randint(1, 5)):
                points = indicator.points * Decimal(rng.randint(0, 20)) / 20
                committee.append(Review(f"member-{member}", indicator.code, points))
    return claims, committee


def golden_document(fw: Framework) -> dict[str, object]:
    """Inputs and the scored result, as one reviewable JSON document."""
    claims, committee = fixed_application(fw)
    result = score(fw, claims, committee, context=CONTEXT)
    return {
        "inputs": {
            "context": {"population": CONTEXT.population, "area_km2": str(CONTEXT.area_km2)},
            "observations": [[o.indicator, value_to_json(o.value), o.evidence] for o in claims],
            "reviews": [[r.member, r.indicator, str(r.points)] for r in committee],
        },
        "result": score_result_to_dict(result),
    }


def check_golden(path: Path, document: dict[str, object], update: bool) -> None:
    """Compare with the committed file, or (re)write it when updating."""
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"{path.name} differs; see the module docstring"
    )


@pytest.mark.parametrize("code", sorted(shipped_frameworks()))
def test_scores_of_shipped_frameworks_match_their_golden_files(code: str) -> None:
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    check_golden(GOLDEN / f"{code}.json", golden_document(shipped_frameworks()[code]), update)


def test_updating_a_golden_file_rewrites_it(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    check_golden(path, {"a": "1"}, update=True)
    check_golden(path, {"a": "1"}, update=False)
    with pytest.raises(AssertionError, match=r"x\.json differs"):
        check_golden(path, {"a": "2"}, update=False)
