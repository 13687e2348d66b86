"""Guard: browser tests read the page through Playwright's waiting `expect(...)`, never with an instant read.

`assert locator.is_visible()` (or `inner_text()`, `page.url`…) right after a click reads the page before the
navigation ends: it passes on an idle machine and fails on a loaded one. Issue 19 removed them; this keeps them out.
"""

import ast
from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).parent
# Locator and page reads that return at once; each has a waiting `expect(...)` assertion.
INSTANT_READS = {
    "all_inner_texts": "expect(locator).to_have_text([...])",
    "all_text_contents": "expect(locator).to_have_text([...])",
    "get_attribute": "expect(locator).to_have_attribute(...)",
    "inner_html": "expect(locator).to_contain_text(...)",
    "inner_text": "expect(locator).to_have_text(...)",
    "input_value": "expect(locator).to_have_value(...)",
    "is_checked": "expect(locator).to_be_checked()",
    "is_disabled": "expect(locator).to_be_disabled()",
    "is_editable": "expect(locator).to_be_editable()",
    "is_enabled": "expect(locator).to_be_enabled()",
    "is_hidden": "expect(locator).to_be_hidden()",
    "is_visible": "expect(locator).to_be_visible()",
    "text_content": "expect(locator).to_have_text(...)",
}


def instant_reads(source: str) -> list[str]:
    """Where a module reads the page without waiting: instant locator reads anywhere, `page.url` in an assert."""
    problems = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in INSTANT_READS:
            problems.append(f"line {node.lineno}: .{node.func.attr}() — use {INSTANT_READS[node.func.attr]}")
        if isinstance(node, ast.Assert):
            for inner in ast.walk(node.test):
                if isinstance(inner, ast.Attribute) and inner.attr == "url" and _names_a_page(inner.value):
                    problems.append(f"line {inner.lineno}: assert on page.url — use expect(page).to_have_url(...)")
    return problems


def _names_a_page(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and (node.id == "page" or node.id.endswith("_page") or node.id in PAGE_NAMES)


# Browser tests that drive several people at once name each person's page after the person.
PAGE_NAMES = {"candidate", "structure", "prefecture", "hub", "advisor", "coordinator"}


@pytest.mark.parametrize("module", sorted(BROWSER_TESTS.glob("test_*.py")), ids=lambda path: path.name)
def test_browser_tests_only_use_waiting_assertions(module):
    assert instant_reads(module.read_text()) == []


class TestTheGuard:
    @pytest.mark.parametrize(
        "source",
        [
            'assert page.locator("#erreurs").is_visible()',
            'names = page.locator("h3").all_inner_texts()',
            'assert header.get_by_text("x").inner_text() == "x"',
            'assert page.url.endswith("/coop/")',
            'assert f"du={start}" in structure.url',
            'assert select.input_value() == "3"',
        ],
    )
    def test_it_refuses_an_instant_read(self, source):
        assert len(instant_reads(source)) == 1

    @pytest.mark.parametrize(
        "source",
        [
            'expect(page.locator("#erreurs")).to_be_visible()',
            'expect(page).to_have_url(re.compile("/coop/$"))',
            "assert response.status == 200",
            'page.goto(f"{live_server.url}/")',
        ],
    )
    def test_it_accepts_a_waiting_assertion(self, source):
        assert instant_reads(source) == []
