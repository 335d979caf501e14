"""docs/data-dictionary.md is generated from the row models and kept up to date."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from vn_la_security.models import TABLES
from vn_la_security.schemas import columns

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_data_dictionary", ROOT / "scripts" / "gen_data_dictionary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def text(gen) -> str:
    return gen.render(gen.example_rows())


def test_committed_dictionary_is_up_to_date(gen, text):
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == text, "docs/data-dictionary.md is stale: run python scripts/gen_data_dictionary.py"


def test_every_table_column_and_code_is_documented(text):
    for name, table in TABLES.items():
        section = text.split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        assert (table.row.__doc__ or "").strip() in section
        for col, kind, nullable, enum, description in columns(table):
            required = "yes" if not nullable and kind != "list" else "no"
            assert f"| `{col}` | " in section and f" | {required} | {description.replace('|', chr(92) + '|')} |" in section
            if enum is not None:
                assert all(f"`{m.value}`" in section for m in enum), (name, col)
        assert "Example row:" in section, name


def test_examples_come_from_the_fixture_not_the_real_data(text):
    assert "`test-source-2024-08-28`" in text
    assert "| `person_id` | `luong-tam-quang` |" in text
    assert "| `name_ascii` | `Luong Tam Quang` |" in text


def test_check_mode_reports_a_stale_file(gen, tmp_path):
    out = tmp_path / "dd.md"
    out.write_text("old\n", encoding="utf-8")
    assert gen.main(["--check", "--output", str(out)]) == 1
    assert gen.main(["--output", str(out)]) == 0
    assert gen.main(["--check", "--output", str(out)]) == 0
