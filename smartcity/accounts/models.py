"""Users and the organisations they act for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.choices import OperatingTrack, OrganisationKind, Role


class Organisation(models.Model):
    """A body a user acts for: the Ministry, an operating body, a local
    government, a company, a police or fire control room, an operations centre."""

    name_ko = models.CharField(_("기관명"), max_length=200, unique=True)
    name_en = models.CharField(_("영문 기관명"), max_length=200, blank=True)
    kind = models.CharField(_("기관 유형"), max_length=30, choices=OrganisationKind.choices)
    track = models.CharField(
        _("운영 인증"), max_length=10, choices=OperatingTrack.choices, blank=True
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("관할 지자체"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    steward_track = models.CharField(
        _("관리 운영기관의 인증"),
        max_length=10,
        choices=OperatingTrack.choices,
        blank=True,
        help_text=_(
            "이 기관과 구성원 계정을 관리하는 운영기관의 인증. 비우면 국토교통부만 관리합니다."
        ),
    )

    class Meta:
        verbose_name = _("기관")
        verbose_name_plural = _("기관")
        ordering = ["name_ko"]
        constraints = [
            models.CheckConstraint(
                name="organisation_track_only_for_operating_bodies",
                condition=models.Q(kind=OrganisationKind.OPERATING_BODY) | models.Q(track=""),
            )
        ]

    def __str__(self) -> str:
        return self.name_ko


class User(AbstractUser):
    """A person with exactly one role, acting for one organisation."""

    role = models.CharField(_("역할"), max_length=40, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("소속 기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    display_name = models.CharField(_("표시 이름"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")

    def __str__(self) -> str:
        return self.display_name or self.get_username()


class LoginThrottle(models.Model):
    """Failed sign-ins per (account name, client address), and the lock-out
    they cause.

    Keyed by the name typed, not the user row, so guessing names that do not
    exist is throttled the same way and reveals nothing; and by the address,
    so failures from one address never lock the account for its owner
    elsewhere (``LoginAddressThrottle`` limits an address over all names).
    """

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45, blank=True, default="")
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("로그인 제한")
        verbose_name_plural = _("로그인 제한")
        constraints = [
            models.UniqueConstraint(
                fields=["username", "address"], name="login_throttle_name_address_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.address}: {self.failures}"


class LoginAddressThrottle(models.Model):
    """Failed sign-ins from one client address over all account names, within
    a window, and the lock-out of that address they cause."""

    address = models.CharField(max_length=45, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("주소별 로그인 제한")
        verbose_name_plural = _("주소별 로그인 제한")

    def __str__(self) -> str:
        return f"{self.address}: {self.failures}"


class Invitation(models.Model):
    """An invitation by e-mail to an account made for it (inactive, without a
    password). The link's token (``accounts.tokens``) is never stored; it is
    bound to this row's state, so accepting, cancelling or re-sending makes
    every earlier link useless."""

    user = models.ForeignKey(
        User, verbose_name=_("초대받은 계정"), on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("초대한 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("초대 일시"))
    sent_at = models.DateTimeField(_("발송 일시"))
    accepted_at = models.DateTimeField(_("수락 일시"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("취소 일시"), null=True, blank=True)
    # Set when the mail server refused the last sending, cleared when one is
    # delivered: the inviter is told, and the account page says so.
    mail_failed_at = models.DateTimeField(_("전자우편 발송 실패 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("초대")
        verbose_name_plural = _("초대")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="invitation_not_accepted_and_cancelled",
                condition=models.Q(accepted_at__isnull=True) | models.Q(cancelled_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.sent_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None
