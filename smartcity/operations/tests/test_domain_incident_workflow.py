"""The status workflow over the seeded statuses: every transition, every actor.

The statuses are the data migration's rows (platform.md §4), so this pins the
rule and the data together, without a database.
"""

from __future__ import annotations

import importlib

import pytest

from smartcity.operations.domain.incident_workflow import (
    Refusal,
    StatusFacts,
    allowed_targets,
    decide_opening,
    decide_status_change,
)

SEED = importlib.import_module("smartcity.operations.migrations.0002_event_model")


def _facts() -> dict[str, StatusFacts]:
    result = {}
    for code, _ko, _en, seq, initial, final, repeatable, sender, operator, system in SEED.STATUSES:
        actors = {
            a for a, ok in (("sender", sender), ("operator", operator), ("system", system)) if ok
        }
        result[code] = StatusFacts(code, seq, initial, final, repeatable, frozenset(actors))
    return result


S = _facts()
ACTORS = ("sender", "operator", "system")

# (from, to) -> actors allowed; every other (from, to, actor) is refused.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("10", "40"): {"sender", "operator"},
    ("10", "50"): {"sender", "operator"},
    ("10", "91"): {"sender", "operator"},
    ("10", "92"): {"system"},
    ("40", "40"): {"sender", "operator"},
    ("40", "50"): {"sender", "operator"},
    ("40", "91"): {"sender", "operator"},
    ("40", "92"): {"system"},
    ("50", "91"): {"sender", "operator"},
    ("50", "92"): {"system"},
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("target", sorted(S))
@pytest.mark.parametrize("current", sorted(S))
def test_every_transition_for_every_actor(current: str, target: str, actor: str) -> None:
    decision = decide_status_change(S[current], S[target], actor)
    assert decision.allowed is (actor in ALLOWED.get((current, target), set()))
    assert (decision.refusal is None) is decision.allowed


@pytest.mark.parametrize(
    ("current", "target", "actor", "refusal"),
    [
        ("10", "92", "operator", Refusal.NOT_ALLOWED_FOR_ACTOR),
        ("91", "40", "sender", Refusal.ALREADY_FINAL),
        ("92", "91", "operator", Refusal.ALREADY_FINAL),
        ("40", "10", "sender", Refusal.INITIAL_ONLY),
        ("50", "50", "operator", Refusal.NO_CHANGE),
        ("50", "40", "operator", Refusal.BACKWARDS),
    ],
)
def test_refusals_name_their_reason(
    current: str, target: str, actor: str, refusal: Refusal
) -> None:
    assert decide_status_change(S[current], S[target], actor).refusal is refusal


def test_only_a_sender_opens_and_only_as_occurred() -> None:
    assert decide_opening(S["10"], "sender").allowed
    assert decide_opening(S["10"], "operator").refusal is Refusal.NOT_ALLOWED_FOR_ACTOR
    assert decide_opening(S["40"], "sender").refusal is Refusal.NOT_INITIAL


def test_operator_choices_follow_the_current_status() -> None:
    codes = lambda current: [s.code for s in allowed_targets(S[current], S.values(), "operator")]  # noqa: E731
    assert codes("10") == ["40", "50", "91"]
    assert codes("50") == ["91"]
    assert codes("91") == []


def test_a_status_added_as_data_fits_between_without_code() -> None:
    dispatched = StatusFacts("45", 45, settable_by=frozenset({"operator"}))
    statuses = [*S.values(), dispatched]
    assert [s.code for s in allowed_targets(S["40"], statuses, "operator")] == [
        "40",
        "45",
        "50",
        "91",
    ]
    assert decide_status_change(S["50"], dispatched, "operator").refusal is Refusal.BACKWARDS
