"""Walk an irreversible action's confirmation step as a browser would
(``core.confirm``): the first POST shows the page and changes nothing, the
page's own form (its hidden fields and CSRF token) is posted back, and the
action is done and said.

``walk_confirmation`` asserts each step and returns the final page's text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@dataclass
class Irreversible:
    """One irreversible action for the walk: who, where, the form, how to
    tell it was done, and (a fragment of) the sentence that says so."""

    name: str
    client: Client
    url: str
    data: Mapping[str, Any]
    done: Callable[[], bool]
    message: str
    extra: dict[str, Any] = field(default_factory=dict)


def confirmation_fields(page: str) -> list[tuple[str, str]]:
    """The hidden fields of the confirmation page's form, as the browser posts them."""
    form = page[page.index('data-confirm="1"') :]
    return [(name, html.unescape(value)) for name, value in _HIDDEN.findall(form)]


def walk_confirmation(action: Irreversible) -> str:
    """GET changes nothing; the POST without confirmation shows the
    confirmation page and changes nothing; posting that page's form back does
    the action and shows the success message. Returns the final page."""
    client = action.client
    assert not action.done(), f"{action.name}: done before the walk"
    client.get(action.url)
    assert not action.done(), f"{action.name}: a GET acted"
    asked = client.post(action.url, action.data)
    page = asked.content.decode()
    assert asked.status_code == 200, f"{action.name}: {asked.status_code}"
    assert 'data-confirm="1"' in page and "확정하면 다음과 같이 됩니다" in page, action.name
    assert not action.done(), f"{action.name}: acted without confirmation"
    fields = confirmation_fields(page)
    assert ("confirmed", "yes") in fields, action.name
    posted: dict[str, list[str]] = {}
    for name, value in fields:
        if name != "csrfmiddlewaretoken":
            posted.setdefault(name, []).append(value)
    final = client.post(action.url, posted, follow=True)
    text = final.content.decode()
    assert final.status_code == 200, f"{action.name}: {final.status_code}"
    assert action.done(), f"{action.name}: not done after confirmation"
    assert action.message in text, f"{action.name}: no success message {action.message!r}"
    return text
