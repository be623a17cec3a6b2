"""Notices: who gets them, in which languages, when e-mail goes, and the inbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from smartcity.accounts.models import User
from smartcity.certification.services.completeness import (
    TransitionRefused,
    request_supplement,
)
from smartcity.notifications.context_processors import notifications
from smartcity.notifications.models import Notification
from smartcity.notifications.services import mark_read, notify
from smartcity.testing.call_calendar import DOCUMENT_CHECK
from smartcity.testing.certification import open_call, submit

pytestmark = pytest.mark.django_db

DUE = DOCUMENT_CHECK + dt.timedelta(days=3)


class Boom(Exception):
    pass


@pytest.fixture
def submitted(
    city_2023,
    persona_city_population,
    ministry_officer,
    applicant_city_a,
    clock,
    settings,
    tmp_path,
):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    call = open_call(ministry_officer, city_2023, clock=clock)
    return submit(applicant_city_a, call, clock=clock, then=DOCUMENT_CHECK)


def with_email(user: User) -> User:
    user.email = f"{user.username}@example.kr"
    user.save(update_fields=["email"])
    return user


def ask(staff: User, application, due: dt.datetime = DUE) -> None:  # type: ignore[no-untyped-def]
    request_supplement(actor=staff, application=application, message="보완하세요", due_at=due)


def test_a_workflow_step_tells_the_right_people_in_both_languages(
    operator_staff: User,
    service_operator_staff: User,
    applicant_city_a: User,
    applicant_city_b: User,
    submitted,  # type: ignore[no-untyped-def]  (after the people: they exist when it is sent)
) -> None:
    ask(operator_staff, submitted)
    notices = Notification.objects.filter(kind="certification.request_supplement")
    assert [n.recipient for n in notices] == [applicant_city_a]
    notice = notices.get()
    due = timezone.localtime(DUE).strftime("%Y-%m-%d %H:%M")
    subject = gettext_lazy("%(title)s: 소명·보완 요청(기한 %(due)s)")
    params = {"title": submitted.title, "due": due}
    with translation.override("ko"):
        korean = str(subject) % params
    with translation.override("en"):
        english = str(subject) % params
    assert (notice.subject, notice.subject_en) == (korean, english)
    assert notice.body == "보완하세요" and notice.url == f"/applications/{submitted.pk}/"
    # The submission told the operating body of the city track, not KICT.
    submitted_notices = Notification.objects.filter(kind="certification.submit")
    assert operator_staff in {n.recipient for n in submitted_notices}
    assert not Notification.objects.filter(recipient=service_operator_staff).exists()
    assert not Notification.objects.filter(recipient=applicant_city_b).exists()


def test_notices_are_stored_in_each_language_apart(applicant_city_a: User) -> None:
    (notice,) = notify(
        recipients=[applicant_city_a],
        kind="test",
        subject=gettext_lazy("숫자를 입력하세요: %(value)s"),
        body=gettext_lazy("숫자를 입력하세요: %(value)s"),
        params={"value": "x"},
    )
    assert (notice.subject, notice.body) == ("숫자를 입력하세요: x", "숫자를 입력하세요: x")
    assert (notice.subject_en, notice.body_en) == ("Enter a number: x", "Enter a number: x")


def test_the_inbox_shows_each_notice_in_the_readers_language_only(
    applicant_city_a: User,
) -> None:
    notify(
        recipients=[applicant_city_a],
        kind="test",
        subject=gettext_lazy("숫자를 입력하세요: %(value)s"),
        params={"value": "x"},
    )
    for language, shown, hidden in (
        ("ko", "숫자를 입력하세요: x", "Enter a number"),
        ("en", "Enter a number: x", "숫자를 입력하세요"),
    ):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(applicant_city_a)
        page = client.get("/notifications/").content.decode()
        assert shown in page and hidden not in page, language


def test_email_goes_after_commit_only(
    submitted,  # type: ignore[no-untyped-def]
    operator_staff: User,
    applicant_city_a: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with_email(applicant_city_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(operator_staff, submitted)
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1 and mail.outbox == []
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == [applicant_city_a.email]
    assert "보완하세요" in message.body
    assert "request to explain" not in message.subject  # one language: the site's, Korean
    assert f"/applications/{submitted.pk}/" in message.body
    notice = Notification.objects.get(recipient=applicant_city_a, kind__endswith="supplement")
    assert notice.emailed_at == timezone.now()


def test_no_email_when_the_transaction_rolls_back(
    applicant_city_a: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with_email(applicant_city_a)

    def rolled_back() -> None:
        with transaction.atomic():
            notify(recipients=[applicant_city_a], kind="test", subject="제목")
            raise Boom

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
        rolled_back()
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_a_refused_step_tells_nobody(
    submitted,  # type: ignore[no-untyped-def]
    operator_staff: User,
    applicant_city_a: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with_email(applicant_city_a)
    before = Notification.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(TransitionRefused),
    ):
        ask(operator_staff, submitted, due=DOCUMENT_CHECK)
    assert callbacks == [] and mail.outbox == []
    assert Notification.objects.count() == before


def test_one_notice_per_dedupe_key(
    applicant_city_a: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with_email(applicant_city_a)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            notify(
                recipients=[applicant_city_a, applicant_city_a],
                kind="certification.expiry_reminder",
                subject="인증 만료 3개월 전입니다",
                dedupe_key="expiry:1:3m",
            )
    assert Notification.objects.filter(recipient=applicant_city_a).count() == 1
    assert len(mail.outbox) == 1


def test_inactive_people_are_not_told(applicant_city_a: User) -> None:
    applicant_city_a.is_active = False
    applicant_city_a.save(update_fields=["is_active"])
    assert notify(recipients=[applicant_city_a], kind="test", subject="제목") == []


# --- the inbox and the badge ----------------------------------------------------


def make_notice(user: User, subject: str, minutes: int, read: bool = False) -> Notification:
    at = timezone.now() - dt.timedelta(minutes=minutes)
    return Notification.objects.create(
        recipient=user,
        kind="test",
        subject=subject,
        body="",
        created_at=at,
        read_at=at if read else None,
    )


def test_the_inbox_shows_own_notices_newest_first_unread_marked(
    applicant_city_a: User, applicant_city_b: User
) -> None:
    make_notice(applicant_city_a, "오래된 알림", 60, read=True)
    make_notice(applicant_city_a, "새 보완 요청", 1)
    make_notice(applicant_city_b, "나래시의 비밀 알림", 0)
    client = Client()
    client.force_login(applicant_city_a)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert html.index("새 보완 요청") < html.index("오래된 알림")
    assert "나래시의 비밀 알림" not in html
    assert html.count('data-unread="true"') == 1
    assert 'id="notifications-unread">1<' in html


def test_mark_all_read_touches_only_own_notices(
    applicant_city_a: User, applicant_city_b: User
) -> None:
    make_notice(applicant_city_a, "A", 1)
    make_notice(applicant_city_b, "B", 1)
    client = Client()
    client.force_login(applicant_city_b)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert Notification.objects.get(subject="B").read_at is not None
    assert Notification.objects.get(subject="A").read_at is None
    assert mark_read(actor=applicant_city_b) == 0


def test_the_inbox_needs_a_login() -> None:
    response = Client().get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_the_badge_costs_one_query_and_only_when_shown(
    applicant_city_a: User,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    make_notice(applicant_city_a, "A", 1)
    make_notice(applicant_city_a, "B", 2)
    request = RequestFactory().get("/")
    request.user = applicant_city_a
    with django_assert_num_queries(0):
        context = notifications(request)
    with django_assert_num_queries(1):
        assert str(context["notifications_unread"]) == "2"
        assert context["notifications_unread"]


def test_anonymous_visitors_get_no_badge(anonymous) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = anonymous
    assert notifications(request) == {}
    assert "notifications-unread" not in Client().get("/").content.decode()
