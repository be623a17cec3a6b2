"""The one-time link of an invitation, made with Django's token machinery.

``PasswordResetTokenGenerator`` signs a hash of the state the link must find
unchanged; for an invitation that is the row's sending time and outcome and
the account's password and activity, so the link stops working once it is
accepted, cancelled or re-sent. The signed timestamp is checked against
``INVITATION_VALID_SECONDS`` (not the password-reset timeout).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from smartcity.accounts.models import Invitation


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "smartcity.accounts.tokens.InvitationTokenGenerator"

    def _now(self) -> dt.datetime:
        """The server's clock (``timezone.now``), as the naive UTC time Django's
        arithmetic expects, so the link ages on the same clock as the row."""
        return timezone.now().astimezone(dt.UTC).replace(tzinfo=None)

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        invitation: Invitation = user  # the generator's "user" is the invitation
        account = invitation.user
        return "|".join(
            str(part)
            for part in (
                invitation.pk,
                account.pk,
                account.password,
                account.is_active,
                invitation.sent_at.replace(microsecond=0, tzinfo=None).isoformat(),
                invitation.accepted_at is not None,
                invitation.cancelled_at is not None,
                timestamp,
            )
        )

    def verdict(self, invitation: Invitation, token: str) -> str:
        """``ok``, ``expired`` (signed, but older than the validity) or ``invalid``."""
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return "invalid"
        for secret in [self.secret, *self.secret_fallbacks]:
            expected = self._make_token_with_timestamp(invitation, timestamp, secret)  # type: ignore[arg-type]
            if constant_time_compare(expected, token):
                break
        else:
            return "invalid"
        age = self._num_seconds(self._now()) - timestamp
        return "expired" if age > int(settings.INVITATION_VALID_SECONDS) else "ok"


invitation_tokens = InvitationTokenGenerator()
