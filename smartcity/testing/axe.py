"""Accessibility checks in browser tests: axe-core, run in the page by Playwright.

axe-core is vendored for the tests only (``tests/vendor/axe-core/``, from
``npm pack axe-core``, MPL-2.0 with its licence); the product never serves
it. It is evaluated through the DevTools protocol, so the pages'
Content-Security-Policy (no inline script) stays as strict as in production.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")

_RUN = """async () => {
  const result = await window.axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html.slice(0, 200),
                               summary: n.failureSummary }))
  }));
}"""


def axe_violations(page: Any, *, impacts: tuple[str, ...] = BLOCKING) -> list[dict[str, Any]]:
    """The page's axe violations of the given impacts (default: critical and
    serious), each with its rule, help text and offending nodes."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    violations: list[dict[str, Any]] = page.evaluate(_RUN)
    return [v for v in violations if v["impact"] in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable report for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        lines.extend(f"    {n['target']}: {n['html']}" for n in v["nodes"][:5])
    return "\n".join(lines)
