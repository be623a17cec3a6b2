"""Writes for accounts: sign-in with lock-out, and creating users."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.domain.lockout import ThrottleState, after_failure, is_locked
from smartcity.accounts.models import LoginThrottle, Organisation, User
from smartcity.core.services import record_audit


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked: bool
    locked_until: dt.datetime | None = None


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def attempt_sign_in(*, username: str, password: str) -> SignInResult:
    """Check credentials unless the account name is locked out.

    Failures are counted per account name on the server's clock; the limit-th
    failure locks it for ``LOGIN_LOCKOUT_SECONDS``. A success clears the count.
    Every outcome is audited.
    """
    now = timezone.now()
    key = _key(username)
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(username=key)
        state = ThrottleState(throttle.failures, throttle.locked_until)
        if is_locked(state, now):
            record_audit(actor=None, actor_label=key, action="accounts.sign_in_refused_locked")
            return SignInResult(None, True, throttle.locked_until)
    user = authenticate(username=username, password=password)
    with transaction.atomic():
        throttle = LoginThrottle.objects.select_for_update().get(username=key)
        if user is not None and isinstance(user, User):
            throttle.failures = 0
            throttle.locked_until = None
            throttle.save(update_fields=["failures", "locked_until"])
            record_audit(actor=user, action="accounts.signed_in")
            return SignInResult(user, False)
        new_state = after_failure(
            ThrottleState(throttle.failures, throttle.locked_until),
            now,
            limit=settings.LOGIN_FAILURE_LIMIT,
            lockout=dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS),
        )
        throttle.failures = new_state.failures
        throttle.locked_until = new_state.locked_until
        throttle.last_failure_at = now
        throttle.save(update_fields=["failures", "locked_until", "last_failure_at"])
        record_audit(
            actor=None,
            actor_label=key,
            action="accounts.sign_in_failed",
            data={"failures": new_state.failures, "locked": new_state.locked_until is not None},
        )
        return SignInResult(None, new_state.locked_until is not None, new_state.locked_until)


def create_user(
    *,
    username: str,
    password: str,
    role: str,
    organisation: Organisation | None,
    display_name: str = "",
    email: str = "",
    actor: object = None,
    validate: bool = True,
) -> User:
    """Create an account; the password passes Django's validators unless told otherwise
    (demo and test personas)."""
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        display_name=display_name,
        email=email,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        record_audit(
            actor=actor,
            action="accounts.user_created",
            object_type="accounts.user",
            object_id=user.pk,
            data={"username": username, "role": role},
        )
    return user
