"""axe-core in the browser: the WCAG 2.1 A/AA check every page of a journey must pass.

axe-core is the copy axe-playwright-python ships (axe.min.js); nothing is fetched at run time.
It is evaluated through the DevTools protocol, which the page's Content Security Policy does not
restrict, so the page is checked exactly as it is served.
"""

import re
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT

AXE_VERSION = re.search(r"axe v([\d.]+)", AXE_SCRIPT[:200]).group(1)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The page guard in conftest.py reads this set to find pages a journey visited but never checked.
AXE_CHECKED_ATTR = "_axe_checked_urls"
# What the page guard saw go wrong on this page (5xx answers, CSP violations, script errors).
PAGE_PROBLEMS_ATTR = "_e2e_problems"

# Fade-ins and transitions (Wagtail's admin messages) would be measured half-way; endless ones
# (spinners) are not waited for.
_SETTLE = """async () => {
  const finite = document.getAnimations().filter(a =>
    a.playState === "running" && a.effect && a.effect.getTiming().iterations !== Infinity);
  const done = Promise.all(finite.map(a => a.finished.catch(() => null)));
  await Promise.race([done, new Promise(resolve => setTimeout(resolve, 3000))]);
}"""

_RUN = """async (options) => {
  if (!window.axe) { throw new Error("axe-core did not load"); }
  return await window.axe.run(document, options);
}"""


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations of WCAG 2.1 A/AA."""
    page.wait_for_load_state("load")
    page.evaluate(_SETTLE)
    # Wagtail's admin brings an axe-core of its own (for its accessibility checker): replace it
    # with ours, so every page is judged by the same rules.
    if page.evaluate("() => window.axe && window.axe.version") != AXE_VERSION:
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate(
        _RUN,
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return results["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"  [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary[:300]}")
            html = (node.get("html") or "").strip()
            if html:
                lines.append(f"      {html[:200]}")
    return "\n".join(lines)


def assert_no_axe_violations(page, *, label: str = "") -> None:
    """Fail, listing each violation (rule, help, the nodes' selectors), unless axe-core finds
    none of the WCAG 2.1 A/AA rules broken on the current page."""
    problems = getattr(page, PAGE_PROBLEMS_ATTR, None)
    if problems:
        raise AssertionError(f"on {page.url}: " + "\n".join(problems))
    violations = axe_violations(page)
    parts = urlsplit(page.url)
    key = f"{parts.path}?{parts.query}" if parts.query else parts.path
    checked = getattr(page, AXE_CHECKED_ATTR, None)
    if checked is None:
        checked = set()
        setattr(page, AXE_CHECKED_ATTR, checked)
    checked.add(key)
    if violations:
        where = f"{label} " if label else ""
        report = format_violations(violations)
        print(f"axe-core: {len(violations)} violation(s) on {where}{page.url}\n{report}")
        raise AssertionError(
            f"axe-core: {len(violations)} WCAG 2.1 A/AA violation(s) on {where}{page.url}\n{report}"
        )


_INVALID_FIELDS = """() => Array.from(document.querySelectorAll("[aria-invalid=true]")).map(el => {
  const ids = (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
  const texts = ids.map(id => document.getElementById(id)).filter(Boolean)
    .map(node => node.innerText.trim()).filter(Boolean);
  return {name: el.getAttribute("name") || el.id, described: texts.join(" / ")};
})"""


def assert_errors_tied_to_fields(page, *names: str) -> list[dict]:
    """After a form came back with errors: the fields `names` (at least one field if none are
    given) are marked aria-invalid and point with aria-describedby to a visible error text.
    Returns what each invalid field is described by."""
    fields = page.evaluate(_INVALID_FIELDS)
    assert fields, f"no field is marked aria-invalid on {page.url}"
    for field in fields:
        assert field["described"], f"field {field['name']!r} is invalid but describes no error"
    missing = set(names) - {field["name"] for field in fields}
    assert not missing, f"not marked invalid: {sorted(missing)} (invalid: {fields})"
    return fields
