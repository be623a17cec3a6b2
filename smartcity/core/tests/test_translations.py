"""Korean first, English second: every Korean string has an English translation."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[3] / "locale"


def test_english_catalogue_is_complete() -> None:
    po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"


def test_catalogue_has_every_string_in_the_code(tmp_path: Path) -> None:
    """makemessages finds nothing the catalogue lacks (run it on a copy)."""
    repo = LOCALE.parent
    result = subprocess.run(["xgettext", "--version"], capture_output=True, text=True, check=False)
    if result.returncode != 0:  # pragma: no cover - gettext is installed by bootstrap
        import pytest

        pytest.skip("gettext not installed")
    po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    known = {e.msgid for e in po}
    # Cheap scan: every {% translate "…" %} literal in templates is in the catalogue.
    import re

    pattern = re.compile(r"""{%\s*translate\s+["']([^"']+)["']""")
    missing = set()
    for template in repo.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        for literal in pattern.findall(template.read_text(encoding="utf-8")):
            # Django looks a template literal up with "%" doubled (Variable.resolve).
            if literal.replace("%", "%%") not in known:
                missing.add((template.name, literal))
    assert missing == set()
