"""The catalogue's limits on a framework document, without the database."""

from __future__ import annotations

from typing import Any

from smartcity.frameworks.domain.limits import MAX_DEPTH, document_problems


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


def test_a_document_nested_far_deeper_than_the_stack_is_checked_without_recursion() -> None:
    (problem,) = document_problems({"areas": _nested(50_000)})
    assert problem.problem == "nesting_too_deep"
    assert problem.location == "areas" + "[0]" * (MAX_DEPTH - 1)


def test_a_document_as_deep_as_allowed_passes() -> None:
    assert document_problems({"areas": _nested(MAX_DEPTH - 1)}) == []


def test_nul_characters_are_found_in_values_and_keys_with_their_path() -> None:
    problems = document_problems({"areas": [{"name_ko": "a\x00b"}], "x\x00": 1})
    assert [(p.location, p.problem, p.detail) for p in problems] == [
        ("", "nul_character", "key"),
        ("areas[0].name_ko", "nul_character", ""),
    ]


def test_absurd_numbers_are_out_of_range_but_codes_and_plain_numbers_are_not() -> None:
    document = {
        "points": "1e999999999",
        "floor": "2.5E-300",
        "target": float("inf"),
        "scale": 10**50,
        "per": "9" * 5000,
        "code": "9" * 40,
        "year": 2023,
        "share": "0.25",
        "threshold": "100000",
        "reconstructed": True,
    }
    assert [(p.location, p.problem) for p in document_problems(document)] == [
        ("floor", "out_of_range"),
        ("per", "out_of_range"),
        ("points", "out_of_range"),
        ("scale", "out_of_range"),
        ("target", "out_of_range"),
    ]
