"""Strings that xgettext cannot see are never translated.

GNU xgettext (behind makemessages) does not look inside f-strings, so `f"{_('Quote')}"` shows
English on a German page although the code looks translated. This test finds such calls.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "core", "network", "training", "cms", "events"]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}
SOURCES = sorted(
    path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts
)


def _gettext_calls_inside_fstrings(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id in GETTEXT_NAMES
            ):
                lines.append(inner.lineno)
    return lines


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_gettext_call_inside_an_fstring(path):
    lines = _gettext_calls_inside_fstrings(ast.parse(path.read_text(), str(path)))
    assert not lines, f"{path.relative_to(ROOT)}: gettext inside an f-string on lines {lines}"
