"""Small template helpers used across apps."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, object] | None, key: str) -> object:
    """``{{ dict|get_item:key }}`` — a dictionary lookup with a variable key."""
    if not mapping:
        return ()
    return mapping.get(key, ())


@register.filter
def claim_value(value: object) -> object:
    """A claimed value for people: yes/no in words, nothing as a dash."""
    if value is True:
        return _("예")
    if value is False:
        return _("아니오")
    if value is None:
        return "—"
    return value


KST = zoneinfo.ZoneInfo("Asia/Seoul")


@register.filter(expects_localtime=False)
def kst(value: object, precision: str = "") -> str:
    """``{{ moment|kst }}``: a moment as every page shows it, in Korean Standard
    Time and one format, ``2026-03-10 14:05 KST``; ``{{ moment|kst:"s" }}`` adds
    the seconds where the record is to the second (deadlines, logs). A date
    without a time is shown as its day; nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        moment = value.astimezone(KST) if timezone.is_aware(value) else value
        shape = "%Y-%m-%d %H:%M:%S" if precision == "s" else "%Y-%m-%d %H:%M"
        return f"{moment.strftime(shape)} KST"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
