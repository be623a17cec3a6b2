"""Analytics benchmark: the national dashboard and the city page over 10 years
× 243 local governments of generated results (2,430 committee results, with
the registry decisions their certified results imply), each next to a bare
Django view measured in the same run. The dashboard over all years is
sampled alternately with the same dashboard for one year and class, and
their ratio printed (issue 17's target: at most 2×).

    .venv/bin/python benchmarks/bench_analytics.py [--years 10] [--repeat 20]

Uses a throw-away SQLite file unless DATABASE_URL is set (then it must point at
an empty, disposable database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import describe, paired, ratio_line


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def decisions_csv(results: list[tuple[str, str, int, bool]]) -> bytes:
    """A new certification for a certified result when the city holds none
    valid on the announcement day (2 years), else nothing."""
    lines = ["kind,subject,subject_code,size_class,decision,decided_on,field,holder,note,source"]
    valid_until: dict[str, dt.date] = {}
    for code, size_class, year, certified in sorted(results, key=lambda r: (r[2], r[0])):
        day = dt.date(year, 11, 25)
        if not certified or valid_until.get(code, dt.date.min) >= day:
            continue
        lines.append(f"city,시{code},{code},{size_class},new,{day},,,,bench")
        valid_until[code] = day.replace(year=day.year + 2) - dt.timedelta(days=1)
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-analytics-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SMARTCITY_DATA_DIR"] = tmp
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.urls import include, path

    call_command("migrate", verbosity=0)
    from smartcity.accounts.choices import Role
    from smartcity.accounts.models import User
    from smartcity.analytics.testing import generate_results
    from smartcity.certification.evaluation.models import Consensus
    from smartcity.frameworks.models import FrameworkVersion
    from smartcity.frameworks.services import load_shipped_frameworks
    from smartcity.municipalities.models import Municipality
    from smartcity.registry.models import Decision
    from smartcity.registry.services import import_decisions

    load_shipped_frameworks()
    old = FrameworkVersion.objects.get(code="city-2021")
    new = FrameworkVersion.objects.get(code="city-2023")
    years = list(range(2026 - args.years, 2026))
    creator = User.objects.create(username="bench", role=Role.MINISTRY_OFFICER)
    municipalities = list(Municipality.objects.order_by("code"))
    start = time.perf_counter()
    applications = generate_results(
        years=years,
        municipalities=municipalities,
        framework_for_year={y: (old if y < 2023 else new) for y in years},
        creator=creator,
    )
    generate_seconds = time.perf_counter() - start
    facts = [
        (a.municipality.code, a.size_class, a.call.year, bool(a.result_certified))  # type: ignore[union-attr]
        for a in applications
    ]
    start = time.perf_counter()
    imported = import_decisions(data=decisions_csv(facts), file_name="bench.csv")
    import_seconds = time.perf_counter() - start
    assert imported.ok, imported.errors[:5]
    print(
        f"database: {connection.vendor}; municipalities: {len(municipalities)}; years: "
        f"{years[0]}–{years[-1]}; results: {Consensus.objects.count():,}; decisions: "
        f"{Decision.objects.count():,}; generate {generate_seconds:.1f} s, import "
        f"{import_seconds:.1f} s"
    )

    def bare_view(request: object) -> HttpResponse:
        return HttpResponse("ok")

    module = type(sys)("bench_urls")
    module.urlpatterns = [path("bare/", bare_view), path("", include("config.urls"))]  # type: ignore[attr-defined]
    sys.modules["bench_urls"] = module
    client = Client()
    oversight = Client()
    oversight.force_login(creator)
    city = "41280"  # 고양시
    with override_settings(ROOT_URLCONF="bench_urls", ALLOWED_HOSTS=["testserver"]):
        for url in ("/analytics/", f"/analytics/cities/{city}/", "/analytics/map/features/"):
            assert client.get(url).status_code == 200, url
        all_years, one_year = paired(
            lambda: client.get("/analytics/"),
            lambda: client.get(f"/analytics/?year={years[-1]}&size_class=small_medium"),
            args.repeat,
        )
        rows = [
            ("dashboard /analytics/ (public, all years)", all_years),
            ("  baseline: dashboard, one year and class", one_year),
            ("dashboard, oversight, all years",
             timed(lambda: oversight.get("/analytics/"), args.repeat)),
            ("city page /analytics/cities/41280/",
             timed(lambda: client.get(f"/analytics/cities/{city}/"), args.repeat)),
            ("map features (243, by score)",
             timed(lambda: client.get("/analytics/map/features/?mode=score"), args.repeat)),
            ("API /api/results?limit=100",
             timed(lambda: client.get("/api/results?limit=100"), args.repeat)),
            ("  baseline: bare Django view", timed(lambda: client.get("/bare/"), args.repeat)),
        ]  # fmt: skip
    print(f"{'measurement':44} {'time':>40}")
    for name, samples in rows:
        print(f"{name:44} {describe(samples):>40}")
    print(ratio_line("dashboard all years / one year", all_years, one_year, target=2))


if __name__ == "__main__":
    main()
