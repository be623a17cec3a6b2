"""framework_hash(): stable, and sensitive to exactly what changes scores."""

from __future__ import annotations

import dataclasses
import json
import random
from decimal import Decimal

import pytest

from smartcity.scoring import (
    BandsRule,
    Framework,
    LinearRule,
    NormalisedCountRule,
    framework_from_dict,
    framework_hash,
    framework_to_dict,
    shipped_framework,
)
from smartcity.scoring.tests.builders import MATURITY, framework, ind

D = Decimal
BASE = framework(
    ind("a"),
    ind("b", MATURITY),
    ind("c", BandsRule("higher_better", ((D(1), D("0.5")), (D(2), D(1))))),
    ind("d", NormalisedCountRule("population", D(1000), LinearRule(D(0), D(5), "higher_better"))),
)


def replace_indicator(fw: Framework, code: str, **changes: object) -> Framework:
    """``fw`` with one indicator changed."""
    area = fw.areas[0]
    item = area.items[0]
    indicators = tuple(
        dataclasses.replace(i, **changes) if i.code == code else i  # type: ignore[arg-type]
        for i in item.indicators
    )
    new_item = dataclasses.replace(item, indicators=indicators)
    return dataclasses.replace(fw, areas=(dataclasses.replace(area, items=(new_item,)),))


def shuffled(value: object, rng: random.Random) -> object:
    """The same document with every object's keys in a random order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def test_the_hash_is_a_stable_sha256() -> None:
    digest = framework_hash(shipped_framework("city-2023"))
    assert len(digest) == 64
    assert digest == framework_hash(
        framework_from_dict(framework_to_dict(shipped_framework("city-2023")))
    )


def test_the_hash_ignores_dictionary_order_in_documents() -> None:
    document = framework_to_dict(shipped_framework("city-2021"))
    reordered = shuffled(json.loads(json.dumps(document)), random.Random(7))
    assert framework_hash(framework_from_dict(reordered)) == framework_hash(
        framework_from_dict(document)
    )


def test_names_descriptions_and_labels_do_not_change_the_hash() -> None:
    relabelled = dataclasses.replace(
        BASE, code="other", version="9", name_ko="다른 이름", reconstructed=True
    )
    renamed = replace_indicator(
        relabelled, "a", name_ko="새 이름", description_en="new", evidence_required="x"
    )
    assert framework_hash(renamed) == framework_hash(BASE)


def test_the_way_a_decimal_is_written_does_not_change_the_hash() -> None:
    assert framework_hash(replace_indicator(BASE, "a", points=D("10.00"))) == framework_hash(BASE)


@pytest.mark.parametrize(
    "change",
    [
        {"points": D(11)},
        {"rule": BandsRule("higher_better", ((D(1), D("0.5")), (D(3), D(1))))},
        {"rule": LinearRule(D(0), D(6), "higher_better")},
        {"rule": NormalisedCountRule("area_km2", D(1000), LinearRule(D(0), D(5), "higher_better"))},
    ],
)
def test_anything_that_changes_scores_changes_the_hash(change: dict[str, object]) -> None:
    code = "c" if "rule" in change and isinstance(change["rule"], BandsRule) else "d"
    assert framework_hash(replace_indicator(BASE, code, **change)) != framework_hash(BASE)


@pytest.mark.parametrize(
    "change",
    [
        {"certification_threshold": D(15)},
        {"aggregation": "median"},
        {"disagreement_spread": D("0.2")},
    ],
)
def test_settings_that_change_scores_change_the_hash(change: dict[str, object]) -> None:
    assert framework_hash(dataclasses.replace(BASE, **change)) != framework_hash(BASE)  # type: ignore[arg-type]
