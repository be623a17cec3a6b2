"""Creating accounts and organisations (the demo, the tests' personas, the
linkage command and the people pages all write them here)."""

from __future__ import annotations

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
