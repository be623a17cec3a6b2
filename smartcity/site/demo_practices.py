"""The seeds' good-practice tables (우수 사례) as demo data, so the annual
reports of 2021 and 2024 are not empty: ``demo/good_practices.csv`` was
taken from the Ministry's press releases in the seeds (each row names its
release), one row per practice. Loaded through the analytics service, as
the Ministry would type them; a practice already there is left alone.

``demo/call_figures.csv`` holds the calls' applicant counts the same
releases state (30 cities applied in 2021; 7 cities certified in 2022
applied for the 2024 review; the 2025 article states none)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from smartcity.accounts.models import User
from smartcity.analytics.models import CallFigures, GoodPractice
from smartcity.analytics.services import add_good_practice, record_call_figures
from smartcity.municipalities.selectors import register_code
from smartcity.registry.models import Subject

PRACTICES = Path(__file__).resolve().parent / "demo" / "good_practices.csv"
FIGURES = Path(__file__).resolve().parent / "demo" / "call_figures.csv"


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


def load_demo_call_figures(*, actor: User, path: Path = FIGURES) -> int:
    """Record the call figures not yet there; returns how many were recorded."""
    added = 0
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
        year, kind = int(row["year"]), row["kind"]
        if CallFigures.objects.filter(year=year, kind=kind).exists():
            continue
        record_call_figures(
            actor=actor,
            year=year,
            kind=kind,
            applicants=int(row["applicants"]) if row["applicants"] else None,
            extension_applicants=(
                int(row["extension_applicants"]) if row["extension_applicants"] else None
            ),
            source=row["source"],
        )
        added += 1
    return added
