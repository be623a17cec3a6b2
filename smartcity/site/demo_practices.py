"""The seeds' good-practice tables (우수 사례) as demo data, so the annual
reports of 2021 and 2024 are not empty: ``demo/good_practices.csv`` was
taken from the Ministry's press releases in the seeds (each row names its
release), one row per practice. Loaded through the analytics service, as
the Ministry would type them; a practice already there is left alone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from smartcity.accounts.models import User
from smartcity.analytics.models import GoodPractice
from smartcity.analytics.services import add_good_practice
from smartcity.municipalities.selectors import register_code
from smartcity.registry.models import Subject

PRACTICES = Path(__file__).resolve().parent / "demo" / "good_practices.csv"


def load_demo_practices(*, actor: User, path: Path = PRACTICES) -> int:
    """Add the practices not yet there; returns how many were added."""
    added = 0
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
        subject = Subject.objects.filter(
            kind="city", municipality__code=register_code(row["subject_code"])
        ).first()
        if subject is None:
            continue
        year = int(row["year"])
        heading = row["heading"]
        if GoodPractice.objects.filter(year=year, subject=subject, heading=heading).exists():
            continue
        add_good_practice(
            actor=actor, year=year, subject=subject, heading=heading, body=row["body"]
        )
        added += 1
    return added
