from __future__ import annotations

from smartcity.operations.domain.log_budget import LogBudget


def test_a_burst_is_logged_then_lines_are_held_back_and_counted() -> None:
    budget = LogBudget(burst=3, per_minute=6)
    assert [budget.take(0.0) for _ in range(5)] == [0, 0, 0, None, None]
    assert budget.held == 2
    # Ten seconds refill one line, which reports the two held back.
    assert budget.take(10.0) == 2
    assert budget.take(10.0) is None and budget.held == 1


def test_a_flood_costs_the_burst_plus_the_refill_not_one_line_per_refusal() -> None:
    budget = LogBudget(burst=20, per_minute=10)
    logged = sum(budget.take(i / 1000) is not None for i in range(40_000))  # 40 s
    assert logged == 20 + 6  # the burst, then one line every six seconds


def test_the_bucket_never_holds_more_than_the_burst_and_a_clock_going_back_is_ignored() -> None:
    budget = LogBudget(burst=2, per_minute=60)
    budget.take(0.0)
    assert budget.take(3600.0) == 0
    assert [budget.take(3600.0) for _ in range(3)] == [0, None, None]
    assert budget.take(1.0) is None  # earlier than the last line: no refill
