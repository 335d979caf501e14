"""`validate --format text|json|github`: what a contributor sees locally and in a pull request."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fixtures import base_records, cite, write_archive, write_dataset

from vn_la_security import report
from vn_la_security.cli import main
from vn_la_security.diagnostics import Diagnostic

pytestmark = pytest.mark.usefixtures("no_ci_env")

PROJECT = "data/projects/village-offices.yaml"


def line_of(root: Path, rel: str, start: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def broken(root: Path) -> Path:
    """The fixture dataset with two errors in the project file (which no other record refers to)."""
    write_dataset(root)
    path = root / PROJECT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("project_type: construction", "project_type: building")
                    .replace("beneficiary_org_id: la-mps", "beneficiary_org_id: LA-MPS"), encoding="utf-8")
    return root


def many_problems(root: Path, n: int = 12) -> Path:
    """``n`` people with a bad country (errors) and ``n`` people with a rank marked disputed (warnings)."""
    from vn_la_security.provenance import text_sha256

    records = base_records()
    # a second archived source whose text names the people (their names are as written: E900)
    said = {i: (f"Ông Person {i} dự hội đàm", f"Đại tướng Disputed {i} dự hội đàm ngày 27/8") for i in range(n)}
    text = ". ".join(q for pair in said.values() for q in pair) + "."
    records["sources/test-people.yaml"] = dict(records["sources/test-source-2024-08-28.yaml"], source_id="test-people",
                                               url="https://example.org/people", text_sha256=text_sha256(text),
                                               archive_name="people.txt")
    write_dataset(root, records)
    write_archive(root / "archive")
    (root / "archive" / "people.txt").write_text(text, encoding="utf-8")
    for i, (named, ranked) in said.items():
        person = {"person_id": f"person-{i:02d}", "name": f"Person {i}", "country": "vn",
                  "cite": cite(named, "test-people")}
        disputed = {"person_id": f"disputed-{i:02d}", "name": f"Disputed {i}", "country": "LA",
                    "cite": cite(ranked, "test-people"),
                    "ranks": [{"rank": "general", "rank_label": "Đại tướng", "date": "2024-08-27", "basis": "attested",
                               "disputed": True, "cite": cite(ranked, "test-people")}]}
        for rel, record in ((f"people/person-{i:02d}.yaml", person), (f"people/disputed-{i:02d}.yaml", disputed)):
            (root / "data" / rel).write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return root


def test_text_format_names_file_line_field_and_fix(tmp_path, cli):
    root = broken(tmp_path)
    code, out, err = cli("validate", "--root", root)
    assert code == 1
    type_line, beneficiary_line = line_of(root, PROJECT, "project_type:"), line_of(root, PROJECT, "beneficiary")
    assert type_line < beneficiary_line
    assert out.splitlines() == [
        f"{PROJECT}:{type_line}:1: E103 project_type: 'building' is not an allowed code; use one of 'construction', "
        "'equipment', 'it_system', 'training', 'restoration' or 'other'",
        f"{PROJECT}:{beneficiary_line}:1: E103 beneficiary_org_id: 'LA-MPS' is not a valid ID: use lowercase letters, "
        "digits and single hyphens, e.g. 'luong-tam-quang' or '2024-08-27-talks-vientiane'"]
    assert "2 errors, 0 warnings" in err


def test_valid_dataset_prints_nothing_and_exits_0(tmp_path, cli):
    write_dataset(tmp_path)
    assert cli("validate", "--root", tmp_path) == (0, "", "validate: 9 files, 0 errors, 0 warnings\n")
    code, out, _ = cli("validate", "--root", tmp_path, "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_json_format_is_a_list_of_objects(tmp_path, cli):
    root = broken(tmp_path)
    code, out, _ = cli("validate", "--root", root, "--format", "json")
    assert code == 1
    items = json.loads(out)
    assert [(i["path"], i["line"], i["col"], i["code"], i["severity"]) for i in items] == [
        (PROJECT, line_of(root, PROJECT, "project_type:"), 1, "E103", "error"),
        (PROJECT, line_of(root, PROJECT, "beneficiary"), 1, "E103", "error")]
    assert all(set(i) == {"path", "line", "col", "code", "severity", "message"} for i in items)
    assert items[0]["message"].startswith("project_type: 'building' is not an allowed code")


def test_json_marks_warnings(tmp_path, cli):
    root = many_problems(tmp_path, n=1)
    code, out, _ = cli("validate", "--root", root, "--archive", root / "archive", "--format", "json")
    severities = {i["code"]: i["severity"] for i in json.loads(out)}
    assert code == 1 and severities == {"E103": "error", "W220": "warning"}


def test_github_is_the_default_under_actions_with_step_summary(tmp_path, cli, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    root = broken(tmp_path / "repo")
    code, out, _ = cli("validate", "--root", root)
    assert code == 1
    type_line = line_of(root, PROJECT, "project_type:")
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0] == (f"::error file={PROJECT},line={type_line},col=1,title=E103::project_type: 'building' is not "
                        "an allowed code; use one of 'construction', 'equipment', 'it_system', 'training', "
                        "'restoration' or 'other'")
    assert lines[1].startswith(f"::error file={PROJECT},line={type_line + 2},col=1,title=E103::beneficiary_org_id:")
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("# earlier step\n")   # appended, not overwritten
    assert "2 errors, 0 warnings" in table
    assert f"| `{PROJECT}` | {type_line} | 1 | ❌ `E103` | project_type: 'building' is not an allowed code" in table


def test_text_is_the_default_outside_actions_and_format_overrides(tmp_path, cli, monkeypatch):
    root = broken(tmp_path)
    assert cli("validate", "--root", root)[1].startswith(f"{PROJECT}:")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli("validate", "--root", root, "--format", "text")[1].startswith(f"{PROJECT}:")


def test_github_annotates_first_10_errors_and_10_warnings_and_lists_all_in_summary(tmp_path, cli, monkeypatch):
    root = many_problems(tmp_path / "repo", n=12)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = cli("validate", "--root", root, "--archive", root / "archive", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 10 and len(warnings) == 10
    country_line = line_of(root, "data/people/person-00.yaml", "country:")
    assert errors[0].startswith(f"::error file=data/people/person-00.yaml,line={country_line},col=1,title=E103::")
    assert warnings[0].startswith("::warning file=data/people/disputed-00.yaml,")
    assert "title=W220::" in warnings[0]
    rest = [line for line in lines if not line.startswith("::")]
    assert rest[0] == "4 more problems (full table in the job summary):"
    assert {line.split(":")[0] for line in rest[1:]} == {
        "data/people/person-10.yaml", "data/people/person-11.yaml",
        "data/people/disputed-10.yaml", "data/people/disputed-11.yaml"}
    table = summary.read_text(encoding="utf-8")
    assert "12 errors, 12 warnings" in table
    assert sum(row.startswith("| `data/") for row in table.splitlines()) == 24


def d(path: str, code: str, message: str = "m", line: int = 1) -> Diagnostic:
    return Diagnostic(path, line, 1, code, message)


def test_annotations_put_changed_files_first():
    diags = [d(f"data/people/a-{i:02d}.yaml", "E103") for i in range(12)] + [d("data/people/z-changed.yaml", "E201")]
    diags += [d(f"data/sources/s-{i:02d}.yaml", "W220") for i in range(12)] + [d("data/sources/z.yaml", "W220")]
    out = report.github(diags, relevant=["data/people/z-changed.yaml", "data/sources/z.yaml"]).splitlines()
    assert out[0].startswith("::error file=data/people/z-changed.yaml,")
    errors = [line for line in out if line.startswith("::error")]
    warnings = [line for line in out if line.startswith("::warning")]
    assert len(errors) == 10 and len(warnings) == 10
    assert warnings[0].startswith("::warning file=data/sources/z.yaml,")
    assert "data/people/a-11.yaml:1:1: E103 m" in out   # the rest stays in the log
    assert report.by_relevance(diags)[0].path == "data/people/a-00.yaml"


def test_annotations_escape_workflow_command_syntax():
    line = report.annotation(d("data/x,y:z.yaml", "E103", "50% done\nnext: line"))
    assert line == "::error file=data/x%2Cy%3Az.yaml,line=1,col=1,title=E103::50%25 done%0Anext: line"


def test_summary_table_escapes_pipes_and_says_when_clean():
    table = report.summary_table([d("data/a.yaml", "E103", "use a | b")])
    assert "| use a \\| b |" in table and "1 error, 0 warnings" in table
    assert "- `E103`: invalid value" in table
    assert "no problems" in report.summary_table([])


def test_bad_format_is_a_usage_error(tmp_path, capsys):
    write_dataset(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--root", str(tmp_path), "--format", "xml"])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err
