"""docs/cookbook.md never goes stale: every block runs, and prints exactly the output shown under it."""
from __future__ import annotations

import difflib

from fixtures import load_script


def test_every_cookbook_block_runs_and_prints_what_the_page_shows():
    cookbook = load_script("cookbook")
    current = cookbook.COOKBOOK.read_text(encoding="utf-8")
    fresh = cookbook.render(current)
    assert "```text" in current and current.count("```python") >= 10
    diff = "".join(difflib.unified_diff(current.splitlines(True), fresh.splitlines(True), "committed", "now"))
    assert not diff, f"docs/cookbook.md is stale: run `python scripts/cookbook.py`\n{diff}"


def test_a_changed_output_is_detected():
    cookbook = load_script("cookbook")
    page = "intro\n\n```python\nprint(6 * 7)\n```\n\n```text\n41\n```\n\nend\n"
    fresh = cookbook.render(page)
    assert "```text\n42\n```" in fresh and "41" not in fresh and fresh.endswith("end\n")
    assert cookbook.render(fresh) == fresh
    assert cookbook.render("```python\nx = 1\n```\n") == "```python\nx = 1\n```\n"   # prints nothing: no output
