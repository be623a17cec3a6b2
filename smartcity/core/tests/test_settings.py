"""Deployment settings: production passes Django's deploy check, refuses weak
keys, and the public development key serves the loopback interface only.

Settings are read once per process, so each case runs ``smartcity`` in a
subprocess with its own environment."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def run_smartcity(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The test run's own settings stay behind (the browser fixtures allow
    # async-unsafe calls, which check --deploy rightly refuses); the shifted
    # clock of a SMARTCITY_CLOCK_SHIFT run comes along.
    environ = {
        k: v
        for k, v in os.environ.items()
        if (not k.startswith("SMARTCITY_") or k == "SMARTCITY_CLOCK_SHIFT")
        and k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    environ.update(PYTHONPATH=path, SMARTCITY_DATA_DIR=str(tmp_path), **env)
    (tmp_path / "static").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "smartcity.cli", *args],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        "SMARTCITY_PRODUCTION": "1",
        "SMARTCITY_SECRET_KEY": secrets.token_urlsafe(64),
        "SMARTCITY_CHAIN_KEY": secrets.token_urlsafe(48),
        "SMARTCITY_ALLOWED_HOSTS": "smartcity.example.go.kr",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    env.update(overrides)
    return env


def test_check_deploy_with_production_settings_reports_no_warnings(tmp_path: Path) -> None:
    done = run_smartcity(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production_env(tmp_path)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SMARTCITY_SECRET_KEY": "x"}, "SMARTCITY_SECRET_KEY must be set in production"),
        ({"SMARTCITY_SECRET_KEY": "a" * 60}, "at least 50 random characters"),
        ({"SMARTCITY_CHAIN_KEY": "short"}, "SMARTCITY_CHAIN_KEY must be set in production"),
        ({"SMARTCITY_ALLOWED_HOSTS": "*"}, "not \\*"),
    ],
)
def test_production_refuses_weak_keys_and_wildcard_hosts(
    tmp_path: Path, overrides: dict[str, str], message: str
) -> None:
    done = run_smartcity(tmp_path, "check", **production_env(tmp_path, **overrides))
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert re.search(message, done.stderr), done.stderr


def test_the_development_key_refuses_to_serve_other_hosts(tmp_path: Path) -> None:
    done = run_smartcity(tmp_path, "check", SMARTCITY_ALLOWED_HOSTS="smartcity.example.go.kr")
    assert done.returncode != 0
    assert "public development key is in use" in done.stderr
    assert "serve smartcity.example.go.kr" in done.stderr
    local = run_smartcity(tmp_path, "check", SMARTCITY_ALLOWED_HOSTS="127.0.0.1,localhost")
    assert local.returncode == 0, local.stderr


@pytest.mark.django_db
def test_the_development_key_refuses_clients_off_the_loopback_interface(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.DEVELOPMENT_KEY_IN_USE
    remote = Client(REMOTE_ADDR="203.0.113.7").get("/healthz")
    assert remote.status_code == 403
    assert "127.0.0.1" in remote.content.decode()
    english = Client(REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en").get("/healthz")
    assert "only be reached from this computer" in english.content.decode()
    assert Client().get("/healthz").status_code == 200
    settings.DEVELOPMENT_KEY_IN_USE = False
    assert Client(REMOTE_ADDR="203.0.113.7").get("/healthz").status_code == 200


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_with_a_fresh_nonce() -> None:
    client = Client()
    first = client.get("/accounts/login/")
    second = client.get("/accounts/login/")
    policy = first["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    nonce = first.wsgi_request.csp_nonce  # type: ignore[attr-defined]
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    assert nonce != second.wsgi_request.csp_nonce  # type: ignore[attr-defined]


@pytest.fixture
def fresh_cache():  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db
def test_expensive_downloads_are_rate_limited_per_client(clock, settings, fresh_cache) -> None:  # type: ignore[no-untyped-def]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "download": (3, 60)}
    url = "/analytics/open-data/no-such-set.csv"
    scraper = Client(REMOTE_ADDR="127.0.0.50")
    assert [scraper.get(url).status_code for _ in range(3)] == [404, 404, 404]
    refused = scraper.get(url)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "요청이 너무 많습니다" in refused.content.decode()
    english = Client(REMOTE_ADDR="127.0.0.50", HTTP_ACCEPT_LANGUAGE="en").get(url)
    assert english.status_code == 429 and "Too many requests" in english.content.decode()
    assert Client(REMOTE_ADDR="127.0.0.51").get(url).status_code == 404  # another client
    clock.set(clock.now + dt.timedelta(seconds=61))
    assert scraper.get(url).status_code == 404  # a new window


@pytest.mark.django_db
def test_pdf_pages_share_one_limit_and_other_pages_have_none(clock, settings, fresh_cache) -> None:  # type: ignore[no-untyped-def]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pdf": (2, 60)}
    client = Client(REMOTE_ADDR="127.0.0.60")
    client.get("/certificates/NO-SUCH.pdf")
    client.get("/analytics/reports/1999/pdf/")
    assert client.get("/certificates/NO-SUCH.pdf").status_code == 429
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))
