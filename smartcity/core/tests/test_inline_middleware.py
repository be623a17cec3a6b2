"""Under ASGI the middleware runs on the event loop (core.inline_middleware):
no thread hop per hook, and still a thread where a request needs the database."""

from __future__ import annotations

import pytest
from asgiref.sync import SyncToAsync, async_to_sync
from django.test import AsyncClient
from django.urls import reverse

from smartcity.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The qualified names of the functions run through ``sync_to_async``."""
    seen: list[str] = []
    original = SyncToAsync.__call__

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(getattr(self.func, "__qualname__", repr(self.func)))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    return seen


#: Django's own classes, kept for ``check --deploy`` (core.inline_middleware).
KEPT = ("SecurityMiddleware", "CsrfViewMiddleware", "XFrameOptionsMiddleware")


def _middleware(hops: list[str]) -> list[str]:
    return [name for name in hops if "Middleware" in name and not name.startswith(KEPT)]


def test_a_page_costs_no_middleware_hop_and_sign_in_still_saves_the_session(  # type: ignore[no-untyped-def]
    hops: list[str], ministry_officer
) -> None:
    client = AsyncClient()
    assert async_to_sync(client.get)("/").status_code == 200
    assert _middleware(hops) == [], hops
    assert len(hops) <= 10, hops  # the kept ones, the signals' receivers, the (sync) view
    hops.clear()
    answer = async_to_sync(client.post)(
        reverse("accounts:login"),
        {"username": ministry_officer.username, "password": TEST_PASSWORD},
    )
    assert answer.status_code == 302
    # The modified session is saved on a thread.
    assert any("SessionMiddleware.process_response" in name for name in hops), hops
    assert async_to_sync(client.get)("/audit/").status_code == 200  # signed in


def test_a_message_is_stored_on_a_thread_and_shown_once(ministry_officer) -> None:  # type: ignore[no-untyped-def]
    client = AsyncClient()
    async_to_sync(client.aforce_login)(ministry_officer)
    page = async_to_sync(client.get)("/audit/", {"since": "2026-02-30"}).content.decode()
    assert "사용할 수 없는 값" in page
    assert "사용할 수 없는 값" not in async_to_sync(client.get)("/audit/").content.decode()


def test_a_refused_csrf_check_renders_its_page(ministry_officer) -> None:  # type: ignore[no-untyped-def]
    client = AsyncClient(enforce_csrf_checks=True)
    answer = async_to_sync(client.post)(
        reverse("accounts:login"),
        {"username": ministry_officer.username, "password": TEST_PASSWORD},
    )
    assert answer.status_code == 403
