"""Registry benchmark: the list page and the status query over 10,000 decisions,
each next to a baseline measured in the same run (a bare Django view, a bare
query); the status query and its baseline are sampled alternately and their
ratio printed (issue 17's target: at most 3×).

    .venv/bin/python benchmarks/bench_registry.py [--decisions 10000] [--repeat 50]

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


def make_csv(codes: list[str], target: int) -> bytes:
    lines = ["kind,subject,subject_code,size_class,decision,decided_on,field,holder,note,source"]
    count = 0
    # Cities: a new certification every 4 years, each extended once after 2 years.
    for i, code in enumerate(codes):
        year = 2000 + i % 3  # the import refuses decisions before 2000
        while year <= 2025 and count < target:
            lines.append(f"city,시{code},{code},,new,{year}-09-10,,,,bench")
            count += 1
            if count < target and year + 2 <= 2025:
                lines.append(f"city,시{code},{code},,extension,{year + 2}-10-01,,,,bench")
                count += 1
            year += 4
    # Services fill the rest: new, extension, new again.
    n = 0
    while count < target:
        base = 2010 + n % 12
        for offset, kind in ((0, "new"), (2, "extension"), (4, "new")):
            if count >= target:
                break
            lines.append(
                f"service,서비스 {n},,,{kind},{base + offset}-11-25,transport,회사 {n},,bench"
            )
            count += 1
        n += 1
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-registry-")
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
    from smartcity.municipalities.models import Municipality
    from smartcity.registry.models import Certificate, Decision
    from smartcity.registry.selectors import status_rows
    from smartcity.registry.services import import_decisions

    codes = list(Municipality.objects.exclude(type__in=["province"]).values_list("code", flat=True))
    data = make_csv(codes, args.decisions)
    start = time.perf_counter()
    result = import_decisions(data=data, file_name="bench.csv")
    import_seconds = time.perf_counter() - start
    assert result.ok, result.errors[:5]
    print(
        f"database: {connection.vendor}; decisions: {Decision.objects.count():,}; "
        f"certificates: {Certificate.objects.count():,}; import: {import_seconds:.1f} s"
    )

    day = dt.date(2025, 12, 31)
    table = Certificate._meta.db_table
    valid = len(status_rows(day))

    def bare_query() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, number, valid_from, valid_until FROM {table} "  # noqa: S608
                "WHERE valid_from <= %s AND valid_until >= %s",
                [day, day],
            )
            return cursor.fetchall()

    product, baseline = paired(lambda: status_rows(day), bare_query, args.repeat)
    rows = [
        ("status query (status_rows)", product),
        ("  baseline: bare SQL range query", baseline),
    ]

    def bare_view(request: object) -> HttpResponse:
        return HttpResponse("ok")

    urlpatterns = [path("bare/", bare_view), path("", include("config.urls"))]
    module = type(sys)("bench_urls")
    module.urlpatterns = urlpatterns  # type: ignore[attr-defined]
    sys.modules["bench_urls"] = module
    client = Client()
    with override_settings(ROOT_URLCONF="bench_urls", ALLOWED_HOSTS=["testserver"]):
        assert client.get("/registry/").status_code == 200
        rows += [
            (
                "list page /registry/ (50 per page)",
                timed(lambda: client.get("/registry/"), args.repeat),
            ),
            (
                "list page, valid on 2025-12-31",
                timed(lambda: client.get("/registry/?on=2025-12-31"), args.repeat),
            ),
            (
                "list page, search + year filter",
                timed(lambda: client.get("/registry/?q=%EC%8B%9C1&year=2021"), args.repeat),
            ),
            ("  baseline: bare Django view", timed(lambda: client.get("/bare/"), args.repeat)),
        ]
    print(f"certifications valid on {day}: {valid}")
    print(f"{'measurement':40} {'time':>40}")
    for name, samples in rows:
        print(f"{name:40} {describe(samples):>40}")
    print(ratio_line("status query / bare SQL", product, baseline, target=3))


if __name__ == "__main__":
    main()
