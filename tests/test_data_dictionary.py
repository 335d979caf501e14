"""The generated docs (data dictionary, record format) and editor JSON Schemas follow the models and are current."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fixtures import load_script

from vn_la_security import build
from vn_la_security.models import RECORD_KINDS, TABLES
from vn_la_security.schemas import columns, record_fields, record_json_schemas
from vn_la_security.validate import validate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen():
    return load_script("gen_docs")


@pytest.fixture(scope="module")
def docs(gen) -> dict[str, str]:
    return gen.render_all()


def _section(text: str, heading: str) -> str:
    return text.split(f"{heading}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def _models():
    """Every record model and every model nested in one, once each."""
    out = []
    todo = [k.model for k in RECORD_KINDS.values()]
    while todo:
        model = todo.pop(0)
        if model not in out:
            out.append(model)
            todo += [f.item for f in record_fields(model) if f.item is not None]
    return out


@pytest.mark.parametrize("name", ["data-dictionary.md", "record-format.md"])
def test_committed_docs_are_up_to_date(docs, name):
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == docs[name], f"docs/{name} is stale: run python scripts/gen_docs.py"


def test_every_table_column_and_code_is_documented(docs):
    text = docs["data-dictionary.md"]
    for name, table in TABLES.items():
        section = text.split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        assert (table.row.__doc__ or "").strip() in section
        for col, kind, nullable, enum, description in columns(table):
            required = "yes" if not nullable and kind != "list" else "no"
            assert f"| `{col}` | " in section and f" | {required} | {description.replace('|', chr(92) + '|')} |" in section
            if enum is not None:
                assert all(f"`{m.value}`" in section for m in enum), (name, col)
        assert "Example row:" in section, name


def test_examples_come_from_the_fixture_not_the_real_data(docs):
    text = docs["data-dictionary.md"]
    assert "`test-source-2024-08-28`" in text
    assert "| `person_id` | `luong-tam-quang` |" in text
    assert "| `name_ascii` | `Luong Tam Quang` |" in text


def test_every_record_field_has_guidance():
    for model in _models():
        assert (model.__doc__ or "").strip(), model.__name__
        for f in record_fields(model):
            assert f.description, f"{model.__name__}.{f.name} has no description"
            if f.required and f.item is None:
                assert f.examples, f"{model.__name__}.{f.name} is required but has no example"


def test_record_format_documents_every_field_and_code(docs):
    text = docs["record-format.md"]
    kinds = {k.model: folder for folder, k in RECORD_KINDS.items()}
    for model in _models():
        if model in kinds:
            section = text.split(f'<a id="{kinds[model]}"></a>', 1)[1].split("\n### ", 1)[0].split("<a id=", 1)[0]
        else:
            section = _section(text, f"### `{model.__name__}`")
        assert (model.__doc__ or "").strip() in section
        for f in record_fields(model):
            required = "yes" if f.required else "no"
            description = f.description.replace("|", "\\|")
            assert f"| `{f.name}` | " in section and f" | {required} | {description} |" in section, (model, f.name)
            assert all(f"`{e}`" in section for e in f.examples if isinstance(e, str)), (model.__name__, f.name)
            if f.enum is not None:
                assert all(f"`{m.value}`" in section for m in f.enum), (model.__name__, f.name)


def test_each_record_kind_has_its_section(docs):
    text = docs["record-format.md"]
    for folder, kind in RECORD_KINDS.items():
        section = text.split(f'<a id="{folder}"></a>', 1)[1].split("\n### ", 1)[0].split("<a id=", 1)[0]
        assert f"/<{kind.id_field}>.yaml`" in section
        assert all(f"| `{f.name}` | " in section for f in record_fields(kind.model)), folder


def test_a_new_record_field_reaches_every_generated_guide(gen, monkeypatch):
    """Adding a field to a record model is enough: the record format and the JSON Schema show it."""
    from pydantic import Field

    from vn_la_security import models

    class Extended(models.MeetingRecord):
        venue_note: models.Text | None = Field(None, description="where in the city", examples=["Ministry HQ"])

    monkeypatch.setitem(RECORD_KINDS, "meetings", models.RecordKind("meetings", Extended, "meeting_id"))
    assert "| `venue_note` | text | no | where in the city | `Ministry HQ` |" in gen.render_record_format()
    prop = record_json_schemas()["meetings"]["properties"]["venue_note"]
    assert prop["description"] == "where in the city" and prop["examples"] == ["Ministry HQ"]


def test_editor_schemas_describe_every_field_and_check_ids():
    for folder, schema in record_json_schemas().items():
        objects = [("root", schema)] + [(n, d) for n, d in schema.get("$defs", {}).items() if "properties" in d]
        for name, obj in objects:
            for prop, spec in obj["properties"].items():
                assert spec.get("description"), (folder, name, prop)
        assert schema["properties"][RECORD_KINDS[folder].id_field]["pattern"] == r"^[a-z0-9]+(-[a-z0-9]+)*$"


def test_editor_schema_rejects_a_bad_id_and_an_unknown_key():
    jsonschema = pytest.importorskip("jsonschema")
    schema = record_json_schemas()["organizations"]
    good = {"org_id": "la-mps", "name_vi": "Bộ Công an Lào", "name_en": "Ministry", "country": "LA",
            "org_type": "ministry", "cite": [{"source": "s", "quote": "q"}]}
    jsonschema.validate(good, schema)
    for bad in ({**good, "org_id": "La MPS"}, {**good, "colour": "red"}, {**good, "cite": []}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_check_mode_reports_a_stale_file(gen, tmp_path, capsys):
    (tmp_path / "record-format.md").write_text("old\n", encoding="utf-8")
    assert gen.main(["--check", "--docs", str(tmp_path)]) == 1
    assert "run python scripts/gen_docs.py" in capsys.readouterr().err
    assert not (tmp_path / "data-dictionary.md").exists()          # --check writes nothing
    assert gen.main(["--docs", str(tmp_path)]) == 0
    assert gen.main(["--check", "--docs", str(tmp_path)]) == 0


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_every_generated_file_is_marked_generated(root, docs):
    """.gitattributes marks every file `build` and gen_docs.py write, so a merge never asks for them by hand."""
    v = validate(root)
    out = build.render(v.dataset, root)
    try:
        paths = [p.as_posix() for p in out.files()] + [f"docs/{name}" for name in docs]
    finally:
        out.discard()
    done = subprocess.run(["git", "-C", str(ROOT), "check-attr", "linguist-generated", "merge", "--", *paths],
                          capture_output=True, text=True, check=True)
    attrs = {}
    for line in done.stdout.splitlines():
        path, attr, value = line.split(": ")
        attrs[path, attr] = value
    for path in paths:
        assert (attrs[path, "linguist-generated"], attrs[path, "merge"]) == ("set", "ours"), path
    assert "vn_la_security/tables/meetings.parquet" in paths and "data/published-ids.txt" in paths


def test_the_workflow_tests_the_oldest_and_newest_python_and_names_the_fix():
    import tomllib

    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/validate.yml").read_text(encoding="utf-8"))
    oldest = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert workflow["jobs"]["tests"]["strategy"]["matrix"]["python"] == [oldest.removeprefix(">="), "3.13"]
    steps = "\n".join(step.get("run", "") for step in workflow["jobs"]["validate"]["steps"])
    for command in ("vn-la-security build --check", "python scripts/gen_docs.py --check"):
        assert command in steps
    message = next(line for line in steps.splitlines() if line.strip().startswith("msg="))
    assert "vn-la-security build" in message and "python scripts/gen_docs.py" in message
    assert "then commit the result" in message and "::error" in steps
