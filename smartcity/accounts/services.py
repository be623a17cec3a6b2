"""Writes for accounts: sign-in with lock-out, and creating users and organisations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.domain.lockout import ThrottleState, after_failure, is_locked
from smartcity.accounts.models import LoginAddressThrottle, LoginThrottle, Organisation, User
from smartcity.core.services import record_audit


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked: bool
    locked_until: dt.datetime | None = None
    reason: str = ""
    """``""`` (signed in, or a wrong password), ``account_locked`` (this name
    from this address), ``address_locked`` (this address, whatever the name)."""


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def _state(row: LoginThrottle | LoginAddressThrottle) -> ThrottleState:
    return ThrottleState(row.failures, row.locked_until, row.last_failure_at)


def _store(row: LoginThrottle | LoginAddressThrottle, state: ThrottleState) -> None:
    row.failures = state.failures
    row.locked_until = state.locked_until
    row.last_failure_at = state.last_failure_at
    row.save(update_fields=["failures", "locked_until", "last_failure_at"])


def attempt_sign_in(*, username: str, password: str, address: str) -> SignInResult:
    """Check credentials unless this client address, or this account name
    from this address, is locked out.

    Failures are counted on the server's clock per (name, address) pair — the
    ``LOGIN_FAILURE_LIMIT``-th locks the pair for ``LOGIN_LOCKOUT_SECONDS``,
    so an attacker's failures never lock the owner out from elsewhere — and
    per address over all names within ``LOGIN_ADDRESS_WINDOW_SECONDS``, which
    stops one address from trying name after name. A success clears the
    pair's count (not the address's). Every outcome is audited.
    """
    now = timezone.now()
    key = _key(username)
    address = address[:45]
    with transaction.atomic():
        by_address, _ = LoginAddressThrottle.objects.select_for_update().get_or_create(
            address=address
        )
        if is_locked(_state(by_address), now):
            record_audit(
                actor=None, actor_label=key, action="accounts.sign_in_refused_address",
                data={"address": address},
            )  # fmt: skip
            return SignInResult(None, True, by_address.locked_until, "address_locked")
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(
            username=key, address=address
        )
        if is_locked(_state(throttle), now):
            record_audit(
                actor=None, actor_label=key, action="accounts.sign_in_refused_locked",
                data={"address": address},
            )  # fmt: skip
            return SignInResult(None, True, throttle.locked_until, "account_locked")
    user = authenticate(username=username, password=password)
    with transaction.atomic():
        throttle = LoginThrottle.objects.select_for_update().get(username=key, address=address)
        if user is not None and isinstance(user, User):
            _store(throttle, ThrottleState(0, None, throttle.last_failure_at))
            record_audit(actor=user, action="accounts.signed_in", data={"address": address})
            return SignInResult(user, False)
        new_state = after_failure(
            _state(throttle),
            now,
            limit=settings.LOGIN_FAILURE_LIMIT,
            lockout=dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS),
        )
        _store(throttle, new_state)
        by_address = LoginAddressThrottle.objects.select_for_update().get(address=address)
        _store(
            by_address,
            after_failure(
                _state(by_address),
                now,
                limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
                lockout=dt.timedelta(seconds=settings.LOGIN_ADDRESS_LOCKOUT_SECONDS),
                window=dt.timedelta(seconds=settings.LOGIN_ADDRESS_WINDOW_SECONDS),
            ),
        )
        record_audit(
            actor=None,
            actor_label=key,
            action="accounts.sign_in_failed",
            data={
                "failures": new_state.failures,
                "locked": new_state.locked_until is not None,
                "address": address,
            },
        )
        locked = new_state.locked_until is not None
        return SignInResult(
            None, locked, new_state.locked_until, "account_locked" if locked else ""
        )


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


def create_organisation(
    *,
    name_ko: str,
    kind: str,
    track: str = "",
    municipality_id: int | None = None,
    name_en: str = "",
    actor: object = None,
) -> Organisation:
    """The organisation named ``name_ko``, created with an audit row when it
    does not exist yet. Names are unique, so an existing organisation of that
    name is returned as it is (the demo and the linkage command run again).
    The municipality goes by id: accounts sits beside municipalities on the
    floor plan and imports nothing of it."""
    with transaction.atomic():
        organisation, created = Organisation.objects.get_or_create(
            name_ko=name_ko,
            defaults={
                "kind": kind,
                "track": track,
                "municipality_id": municipality_id,
                "name_en": name_en,
            },
        )
        if created:
            record_audit(
                actor=actor,
                action="accounts.organisation_created",
                object_type="accounts.organisation",
                object_id=organisation.pk,
                data={
                    "name_ko": name_ko,
                    "kind": kind,
                    "track": track,
                    "municipality_id": municipality_id,
                },
            )
    return organisation


def set_user_active(*, user: User, active: bool, actor: object = None) -> bool:
    """Let an account sign in again, or stop it (the row and its history stay).
    Returns whether anything changed."""
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk).exclude(is_active=active).update(is_active=active)
        if changed:
            user.is_active = active
            record_audit(
                actor=actor,
                action="accounts.user_reactivated" if active else "accounts.user_deactivated",
                object_type="accounts.user",
                object_id=user.pk,
                data={"username": user.get_username()},
            )
    return bool(changed)


def set_display_name(*, user: User, display_name: str, actor: object = None) -> None:
    """Change the name shown for an account."""
    with transaction.atomic():
        if user.display_name == display_name:
            return
        old = user.display_name
        User.objects.filter(pk=user.pk).update(display_name=display_name)
        user.display_name = display_name
        record_audit(
            actor=actor,
            action="accounts.user_renamed",
            object_type="accounts.user",
            object_id=user.pk,
            data={"username": user.get_username(), "from": old, "to": display_name},
        )
