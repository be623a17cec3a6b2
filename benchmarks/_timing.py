"""Shared by the in-process benchmarks: time a product path next to its
baseline, interleaved, and print the two with their ratio.

The machines these run on are shared: a burst of load from another job
would land on whichever path happened to be running. Taking one sample of
each in turn spreads such bursts over both, so the ratio of the medians
stays a fair comparison even when the absolute figures move.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def paired(
    product: Callable[[], object], baseline: Callable[[], object], repeat: int
) -> tuple[list[float], list[float]]:
    """``repeat`` samples (ms) of each, taken alternately after one warm-up call."""
    product()
    baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        for fn, out in ((product, a), (baseline, b)):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return a, b


def describe(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"median {statistics.median(samples):8.2f} ms   p95 {p95:8.2f} ms"


def ratio_line(name: str, product: list[float], baseline: list[float], target: float) -> str:
    """``name: 2.1× (target ≤ 3×): met``, from the medians."""
    ratio = statistics.median(product) / statistics.median(baseline)
    verdict = "met" if ratio <= target else "NOT met"
    return f"ratio {name}: {ratio:.2f}× (target ≤ {target:g}×): {verdict}"
