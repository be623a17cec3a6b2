"""The dashboard reads the yearly results summary (issue 17): whatever is
written, its score statistics equal those computed directly from the
committee results, for every audience and selection."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity.analytics.domain import distributions as dd
from smartcity.analytics.selectors.dashboard import dashboard
from smartcity.analytics.selectors.results import labels_for, main_framework, result_rows
from smartcity.analytics.testing import result_document
from smartcity.certification.evaluation.models import Consensus, ResultSummary
from smartcity.certification.models import Application
from smartcity.certification.services.summary import sync_result_summary
from smartcity.frameworks.selectors import engine_framework

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 1)
SELECTIONS = [(None, ""), (2022, ""), (2024, "large"), (None, "small_medium")]


def direct(*, full: bool, year: int | None, size_class: str) -> dict[str, object]:
    """The statistics as the dashboard computed them before the summary: from
    every result row of the selection."""
    rows = result_rows(full=full, year=year, size_class=size_class)
    framework_code = main_framework(rows)
    labels = labels_for(framework_code) if framework_code else None
    area_codes = list(labels.area_order) if labels else []
    area_codes = area_codes or sorted({a.code for r in rows for a in r.areas})
    classes = [size_class] if size_class else ["", "large", "small_medium"]
    panels = []
    for cls in classes:
        selected = [r for r in rows if not cls or r.size_class == cls]
        panels.append((cls, len(selected), dd.area_stats(selected, area_codes)))
    same = [r for r in rows if r.framework_code == framework_code]
    return {
        "result_count": len(rows),
        "framework_code": framework_code,
        "panels": panels,
        "discrimination": dd.discrimination(same, labels.indicator_order if labels else ()),
    }


def from_summary(*, full: bool, year: int | None, size_class: str) -> dict[str, object]:
    d = dashboard(full=full, today=TODAY, year=year, size_class=size_class)
    return {
        "result_count": d.result_count,
        "framework_code": d.framework_code,
        "panels": [(p.size_class, p.count, p.areas) for p in d.panels],
        "discrimination": d.discrimination,
    }


def assert_dashboard_equals_direct() -> None:
    for full in (False, True):
        for year, size_class in SELECTIONS:
            selection = {"full": full, "year": year, "size_class": size_class}
            assert from_summary(**selection) == direct(**selection), selection


def test_the_dashboard_on_generated_results_equals_the_direct_computation(results) -> None:
    assert ResultSummary.objects.filter(published=True).count() > 0
    assert_dashboard_equals_direct()
    everything = dashboard(full=False, today=TODAY)
    assert everything.result_count == len(results) == 64
    assert everything.framework_code == "city-2023"  # 32 results each; the newer wins
    assert [p.count for p in everything.panels] == [
        64,
        sum(a.size_class == "large" for a in results),
        sum(a.size_class == "small_medium" for a in results),
    ]


STATUSES = ["announced", "approved", "reported", "under_review", "withdrawn"]
WRITES = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=63),
        st.sampled_from(["status", "rescore", "size_class"]),
        st.integers(min_value=0, max_value=10_000),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=WRITES)
def test_after_every_kind_of_write_the_summary_equals_the_direct_computation(
    results, writes
) -> None:
    """Writes of every kind the summary depends on — a status that enters,
    moves between or leaves the audiences, a rescored consensus, a changed
    size class — each followed by the sync its write service makes. The
    examples share one database, so later ones start from earlier states."""
    applications = sorted(results, key=lambda a: a.pk)
    for index, kind, seed in writes:
        application = applications[index]
        if kind == "status":
            status = STATUSES[seed % len(STATUSES)]
            Application.objects.filter(pk=application.pk).update(status=status)
        elif kind == "rescore":
            framework = engine_framework(application.framework)
            rng = random.Random(seed)
            document, total = result_document(framework, Decimal(seed % 100) / 100, rng)
            Consensus.objects.filter(application_id=application.pk).update(
                result=document, total=total, fixed_at=timezone.now()
            )
        else:
            size_class = ["large", "small_medium", ""][seed % 3]
            Application.objects.filter(pk=application.pk).update(size_class=size_class)
        sync_result_summary(application_id=application.pk)
        sync_result_summary(application_id=application.pk)  # idempotent
    assert_dashboard_equals_direct()
