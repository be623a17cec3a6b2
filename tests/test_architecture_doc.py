"""docs/architecture.md states the floor plan that lint-imports checks: the
floors in its table are the layers of the contract in pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def contract_floors() -> list[set[str]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    ]
    return [{name.strip() for name in layer.split("|")} for layer in layers]


def documented_floors() -> list[set[str]]:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", text, flags=re.MULTILINE)
    return [set(re.findall(r"`([a-z_.]+)`", apps)) for _, apps in rows]


def test_the_documented_floors_are_the_contracts_layers_top_to_bottom() -> None:
    assert documented_floors() == contract_floors()
