"""Creating accounts and organisations (the demo, the tests' personas, the
linkage command and the people pages all write them here)."""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.hashers import get_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from smartcity.accounts.models import Organisation, User
from smartcity.core.services import record_audit


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
    else:
        # The demo and the test personas share one known password: it is
        # hashed once per process (PBKDF2 costs ~0.3 s a time), not per account.
        user.password = _shared_hash(password, get_hasher().algorithm)
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


@lru_cache(maxsize=4)
def _shared_hash(password: str, algorithm: str) -> str:
    return make_password(password, hasher=algorithm)


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
