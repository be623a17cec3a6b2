"""Keeps the yearly results summary (:class:`ResultSummary`) equal to the
results it summarises (issue 17).

One function, :func:`sync_result_summary`, brings one application's
contribution up to date; every write that can change what the dashboard
counts calls it inside its own transaction, so the summary commits (or rolls
back) with the change itself:

* ``evaluation.services.consensus`` — a consensus fixed or recomputed (also
  after a site-inspection verdict);
* ``certification.services.workflow.perform`` — every transition (report,
  return, approve, announce: the result enters, moves between or leaves the
  audiences).

A new write path that changes a consensus, an application's status, call,
size class or framework must call it too. :func:`rebuild_result_summary`
recomputes the whole table from the results (``smartcity certification
rebuild-summary``; the migration that created the table ran it once).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from smartcity.certification.domain.workflow import Status
from smartcity.certification.evaluation.domain import result_summary as rs
from smartcity.certification.evaluation.models import (
    Consensus,
    ResultSummary,
    ResultSummaryEntry,
)

#: Where a result is counted: announced results are public, reported and
#: approved ones are seen by oversight only; in any other status, nowhere.
AUDIENCE = {Status.ANNOUNCED: True, Status.REPORTED: False, Status.APPROVED: False}

_FACTS = (
    "application_id",
    "application__status",
    "application__call__year",
    "application__size_class",
    "application__framework__code",
    "result",
)

Key = tuple[int, str, str, bool]


def _counted() -> Any:
    """Consensus rows the dashboard counts: city-track applications of a call,
    in a status of :data:`AUDIENCE`."""
    return Consensus.objects.filter(
        application__kind="application",
        application__track="city",
        application__call__isnull=False,
        application__status__in=[str(s) for s in AUDIENCE],
    )


def _key_and_part(facts: dict[str, Any]) -> tuple[Key, rs.Contribution]:
    result = facts["result"] or {}
    key = (
        facts["application__call__year"],
        facts["application__size_class"] or "",
        str(result.get("framework_code") or facts["application__framework__code"]),
        AUDIENCE[Status(facts["application__status"])],
    )
    return key, rs.contribution(result)


def _locked_summary(key: Key) -> ResultSummary:
    year, size_class, framework_code, published = key
    fields = {
        "year": year,
        "size_class": size_class,
        "framework_code": framework_code,
        "published": published,
    }
    # Create-if-missing without a race: a concurrent creator makes this a no-op.
    ResultSummary.objects.bulk_create([ResultSummary(**fields)], ignore_conflicts=True)
    return ResultSummary.objects.select_for_update().get(**fields)


def _add(summary: ResultSummary, part: rs.Contribution, sign: int) -> None:
    stats = summary.stats or rs.empty_stats()
    rs.apply(stats, part, sign)
    summary.stats = stats
    summary.count += sign
    summary.save(update_fields=["stats", "count"])


def sync_result_summary(*, application_id: int) -> None:
    """Make the summary count application ``application_id`` as it is now:
    take out what it contributed before (if anything) and add what it
    contributes now (if it is counted). Idempotent; call it inside the
    writer's transaction, after the write."""
    with transaction.atomic():
        entry = (
            ResultSummaryEntry.objects.select_for_update()
            .filter(application_id=application_id)
            .first()
        )
        facts = _counted().filter(application_id=application_id).values(*_FACTS).first()
        new = _key_and_part(facts) if facts else None
        if entry is not None:
            old = ResultSummary.objects.select_for_update().get(pk=entry.summary_id)
            key = (old.year, old.size_class, old.framework_code, old.published)
            if new is not None and new == (key, entry.contribution):
                return
            _add(old, entry.contribution, -1)
            entry.delete()
        if new is not None:
            key, part = new
            summary = _locked_summary(key)
            _add(summary, part, 1)
            ResultSummaryEntry.objects.create(
                application_id=application_id, summary=summary, contribution=part
            )


def rebuild_result_summary() -> int:
    """Recompute the whole summary from the results; returns how many results
    it counts. One transaction, so readers see the old or the new table."""
    with transaction.atomic():
        ResultSummaryEntry.objects.all().delete()
        ResultSummary.objects.all().delete()
        summaries: dict[Key, ResultSummary] = {}
        entries: list[tuple[int, Key, rs.Contribution]] = []
        for facts in _counted().order_by("application_id").values(*_FACTS).iterator():
            key, part = _key_and_part(facts)
            summary = summaries.get(key)
            if summary is None:
                summary = summaries[key] = ResultSummary(
                    year=key[0], size_class=key[1], framework_code=key[2], published=key[3],
                    stats=rs.empty_stats(),
                )  # fmt: skip
            rs.apply(summary.stats, part, 1)
            summary.count += 1
            entries.append((facts["application_id"], key, part))
        ResultSummary.objects.bulk_create(summaries.values())
        ResultSummaryEntry.objects.bulk_create(
            (
                ResultSummaryEntry(application_id=a, summary=summaries[k], contribution=p)
                for a, k, p in entries
            ),
            batch_size=500,
        )
        return len(entries)
