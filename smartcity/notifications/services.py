"""The one write path for notices: in the product, and by e-mail.

A notice is rendered once in Korean and once in English and stored as
sent; the reader sees it in their language only (the inbox in the page's
language, e-mail in the site's default language, Korean). E-mail goes
through Django's e-mail backend (the console in development, SMTP when
``EMAIL_HOST`` is set) after the transaction commits, so nobody is told
about a change that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from smartcity.accounts.models import User
from smartcity.notifications.models import Notification


def _both(text: Any, params: dict[str, Any]) -> tuple[str, str]:
    """``text`` is a lazy translatable string with ``%(name)s`` placeholders,
    or plain text (e.g. a reason someone typed), which is kept as it is."""
    if not isinstance(text, Promise):
        return str(text), str(text)
    with translation.override("ko"):
        ko = str(text) % params if params else str(text)
    with translation.override("en"):
        en = str(text) % params if params else str(text)
    return ko, en


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: Any,
    body: Any = "",
    params: dict[str, Any] | None = None,
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Tell each recipient (once per ``dedupe_key`` when given).

    ``subject`` and ``body`` are ``gettext_lazy`` strings (Korean source)
    formatted with ``params``; each language is stored in its own field.
    """
    values = dict(params or {})
    subject_ko, subject_en = _both(subject, values)
    body_ko, body_en = _both(body, values) if body else ("", "")
    now = timezone.now()
    created: list[Notification] = []
    for recipient in {r.pk: r for r in recipients if r.is_active}.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=recipient,
                        kind=kind,
                        subject=subject_ko[:300],
                        body=body_ko,
                        subject_en=subject_en[:300],
                        body_en=body_en,
                        url=url,
                        created_at=now,
                        dedupe_key=dedupe_key,
                    )
                )
        except IntegrityError:
            if not dedupe_key:
                raise
    for notification in created:
        if notification.recipient.email:
            transaction.on_commit(partial(_send_email, notification.pk))
    return created


def _send_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
    # No per-person language is kept yet: e-mail goes in the site's language.
    subject, body = notification.in_language(settings.LANGUAGE_CODE)
    send_mail(
        subject=f"[smartcity] {subject}",
        message=f"{body}\n\n{link}".strip(),
        from_email=None,
        recipient_list=[notification.recipient.email],
        fail_silently=True,
    )
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


def mark_read(*, actor: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notices read (all unread ones when no ids given)."""
    rows = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
