"""Demo: certificates valid on the day the demo is loaded.

The seeds' record (``site/demo/certification_history.csv``) ends with the
decisions of November 2025; its last certificates lapse two years later. So
that a demo loaded on any day still shows certificates valid that day, the
demo adds three decisions dated relative to that day, each labelled as demo
data in its note and source so nobody mistakes it for the Ministry's record.
Idempotent: nothing is added when demo decisions exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from smartcity.municipalities.models import Municipality
from smartcity.registry.models import Decision
from smartcity.registry.services import ImportResult, import_decisions

DEMO_SOURCE = "데모 데이터 — 실제 결정 아님 (demo data, not a real decision)"

# (kind, subject, size class, field, holder, days before the load day)
DEMO_DECISIONS = (
    ("city", "청주시", "large", "", "", 300),
    ("city", "아산시", "small_medium", "", "", 120),
    ("service", "스마트 버스정류장 서비스", "", "transport", "(주)스마트모빌리티", 200),
)


def demo_decisions_csv(today: dt.date) -> bytes:
    """The demo decisions as an import file, dated relative to ``today``."""
    codes = dict(
        Municipality.objects.filter(
            name_ko__in=[d[1] for d in DEMO_DECISIONS if d[0] == "city"]
        ).values_list("name_ko", "code")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["kind", "subject", "subject_code", "size_class", "decision", "decided_on", "field",
         "holder", "note", "source"]
    )  # fmt: skip
    for kind, subject, size_class, field, holder, days in DEMO_DECISIONS:
        decided_on = today - dt.timedelta(days=days)
        writer.writerow(
            [kind, subject, codes.get(subject, "") if kind == "city" else "", size_class, "new",
             decided_on.isoformat(), field, holder, "데모 (demo)", DEMO_SOURCE]
        )  # fmt: skip
    return out.getvalue().encode()


def load_demo_decisions(today: dt.date) -> ImportResult | None:
    """Import the demo decisions through the registry's importer; ``None`` if they exist."""
    if Decision.objects.filter(source=DEMO_SOURCE).exists():
        return None
    return import_decisions(data=demo_decisions_csv(today), file_name="demo-decisions.csv")
