"""axe-core (installed by npm from package.json) run in a page, and its violations told
so that a failure says what to fix and where.

The site's Content-Security-Policy allows scripts from our origin only, so the page would
refuse axe's script: the tests open their pages in a browser context made with
`bypass_csp=True` (a Playwright switch of that test browser only), which leaves the policy
every visitor receives unchanged.
"""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

#: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return results.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
    }));
}"""


@cache
def axe_source() -> str:
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `make install` (npm ci)")
    return AXE.read_text()


def violations(page: Page) -> list[dict]:
    """The WCAG A and AA violations axe finds in the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(RUN, WCAG_AA)


def describe(found: list[dict]) -> str:
    """One paragraph a violation: its rule, what it asks, and each offending node."""
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']} — {summary}")
    return "\n".join(lines)
