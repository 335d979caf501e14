"""`validate --changed [BASE]` and `diff BASE` against temporary git repositories."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fixtures import QUOTE_SOURCE_TEXT, cite, write_dataset

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="needs git"), pytest.mark.usefixtures("no_ci_env")]

MEETING = "data/meetings/2024/2024-08-27-talks-vientiane.yaml"
BROKEN = "data/people/broken-person.yaml"


def run(capsys, *args) -> tuple[int, str, str]:
    """The CLI in-process with capsys (for tests that also take monkeypatch): (exit code, stdout, stderr)."""
    from vn_la_security.cli import main

    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def write_yaml(root: Path, rel: str, record) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: a valid dataset, then a commit adding a broken person file (an earlier, unrelated problem)."""
    root = tmp_path / "repo"
    write_dataset(root)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "valid dataset")
    write_yaml(root, BROKEN, {"person_id": "broken-person", "name": "Broken", "country": "vn",
                              "cite": cite("Bộ trưởng Bộ Công an Lào")})
    commit_all(root, "earlier broken file")
    return root


def reported_paths(out: str) -> set[str]:
    return {line.split(":")[0] for line in out.splitlines()}


def test_changed_reports_only_problems_in_files_changed_since_base(repo, cli):
    base = git(repo, "rev-parse", "HEAD")
    edit(repo, MEETING, "meeting_type: talks", "meeting_type: talk")
    commit_all(repo, "typo in the meeting")
    assert cli("validate", "--root", repo)[0] == 1              # the whole dataset: both files
    code, out, err = cli("validate", "--root", repo, "--changed", base)
    assert code == 1
    assert reported_paths(out) == {MEETING}
    assert "E103 meeting_type: 'talk' is not an allowed code" in out
    assert BROKEN not in out and BROKEN not in err


def test_changed_checks_against_the_whole_dataset(repo, cli):
    """A changed file is checked against unchanged ones: a reference to a missing person is reported,
    a reference to a person defined in an unchanged file is not."""
    base = git(repo, "rev-parse", "HEAD")
    edit(repo, MEETING, "person_id: vilay-lakhamphong", "person_id: nobody-known")   # uncommitted
    code, out, _ = cli("validate", "--root", repo, "--changed", base)
    assert code == 1
    assert reported_paths(out) == {MEETING}
    assert "E201 person_id: 'nobody-known' does not exist" in out
    assert "luong-tam-quang" not in out


SOURCE = "test-source-2024-08-28"
FINGERPRINT = f"data/fingerprints/{SOURCE}.txt"


def test_changed_rechecks_the_source_and_the_quotes_of_a_changed_fingerprint(repo, cli):
    """A fingerprint file changed alone is its source's problem (E911, in the source record), and a fingerprint
    re-made from another text is its quotes' problem (E914, in the files that cite them, unchanged ones too)."""
    (repo / "page.txt").write_text(QUOTE_SOURCE_TEXT, encoding="utf-8")
    assert cli("fingerprint", SOURCE, repo / "page.txt", "--checked-text", "excerpt", "--root", repo)[0] == 0
    base = commit_all(repo, "fingerprint the source")
    lines = (repo / FINGERPRINT).read_text().splitlines()
    (repo / FINGERPRINT).write_text("\n".join([*lines[:4], f"grams: {len(lines) - 6}", *lines[5:-1]]) + "\n")
    code, out, _ = cli("validate", "--root", repo, "--changed", base)
    assert code == 1
    assert reported_paths(out) == {f"data/sources/{SOURCE}.yaml"} and "E911" in out
    git(repo, "checkout", "-q", "--", FINGERPRINT)
    (repo / "page.txt").write_text(QUOTE_SOURCE_TEXT.replace("Chiều 27/8, tại Thủ đô Vientiane, ", ""),
                                   encoding="utf-8")
    assert cli("fingerprint", SOURCE, repo / "page.txt", "--checked-text", "excerpt", "--root", repo)[0] == 1
    code, out, _ = cli("validate", "--root", repo, "--changed", base)
    assert code == 1
    assert reported_paths(out) == {MEETING, "data/agreements/2024-08-27-cooperation-plan-2025.yaml",
                                   "data/projects/village-offices.yaml"}
    assert {line.split(" ")[1] for line in out.splitlines()} == {"E914"}
    assert BROKEN not in out                  # its quote is still covered; its other problems are not new


def test_changed_includes_untracked_files_and_defaults_to_the_merge_base_with_main(repo, cli):
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo, MEETING, "city: Vientiane", "city: ' Vientiane'")
    commit_all(repo, "branch work")
    write_yaml(repo, "data/organizations/new-org.yaml", {"org_id": "new-org", "name_vi": "X", "name_en": "X",
                                                         "country": "LA", "org_type": "unit"})
    code, out, _ = cli("validate", "--root", repo, "--changed")
    assert code == 1
    assert reported_paths(out) == {MEETING, "data/organizations/new-org.yaml"}
    assert "city: has leading or trailing white space" in out
    assert "org_type: 'unit' is not an allowed code" in out
    assert "cite: required field is missing" in out


def test_changed_with_nothing_changed_reports_nothing(repo, cli):
    code, out, err = cli("validate", "--root", repo, "--changed", "HEAD")
    assert (code, out) == (0, "")
    assert "no files under data/ changed since HEAD" in err


def test_changed_orders_changed_files_first_in_github_format(repo, cli, monkeypatch):
    base = git(repo, "rev-parse", "HEAD")
    edit(repo, MEETING, "meeting_type: talks", "meeting_type: talk")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = cli("validate", "--root", repo, "--changed", base)
    assert code == 1 and out.startswith(f"::error file={MEETING},")


def test_changed_in_a_folder_without_git_is_a_usage_error(tmp_path, cli):
    write_dataset(tmp_path)
    code, out, err = cli("validate", "--root", tmp_path, "--changed")
    assert (code, out) == (2, "")
    assert err.startswith("vn-la-security: error: ") and "is not inside a git repository" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_changed_with_a_bad_base_is_a_usage_error(repo, cli):
    code, out, err = cli("validate", "--root", repo, "--changed", "no-such-branch")
    assert (code, out) == (2, "")
    assert err.strip() == ("vn-la-security: error: 'no-such-branch' is not a commit or branch in this repository: "
                           "fetch it (e.g. git fetch origin main) or name another base")


def test_changed_and_paths_together_is_a_usage_error(repo, cli):
    code, _, err = cli("validate", "--root", repo, "--changed", "HEAD", repo / MEETING)
    assert code == 2 and "either PATHS or --changed" in err


# ----------------------------------------------------------------------------- diff
def test_diff_lists_added_changed_and_removed_records(repo, cli):
    edit(repo, MEETING, "city: Vientiane", "city: Viêng Chăn")
    edit(repo, MEETING, "title_as_written: Bộ trưởng Bộ Công an Lào", "title_as_written: Bộ trưởng")
    write_yaml(repo, "data/people/nguyen-duy-ngoc.yaml", {"person_id": "nguyen-duy-ngoc", "name": "Nguyễn Duy Ngọc"})
    (repo / "data/projects/village-offices.yaml").unlink()
    code, out, err = cli("diff", "--root", repo, "HEAD")
    assert (code, err) == (0, "")
    assert out.startswith("## Data changes since `HEAD`")
    assert "**1 added, 1 changed, 1 removed**" in out
    added = out.split("### Added")[1].split("###")[0]
    assert "- people `nguyen-duy-ngoc` — `data/people/nguyen-duy-ngoc.yaml`" in added
    changed = out.split("### Changed")[1].split("###")[0]
    assert f"- meetings `2024-08-27-talks-vientiane` — `{MEETING}`" in changed
    assert "  - `city`: `Vientiane` → `Viêng Chăn`" in changed
    assert ("  - `participants[vilay-lakhamphong].title_as_written`: `Bộ trưởng Bộ Công an Lào` → `Bộ trưởng`"
            in changed)
    assert changed.count("\n  - ") == 2          # nothing else reported as changed
    removed = out.split("### Removed")[1]
    assert "projects `village-offices`" in removed and "⚠ removed without tombstone" in removed


def test_diff_accepts_a_removal_with_a_tombstone(repo, cli):
    (repo / "data/projects/village-offices.yaml").unlink()
    write_yaml(repo, "data/tombstones.yaml", [{"table": "projects", "id": "village-offices",
                                               "replaced_by": "police-offices", "reason": "renamed"}])
    code, out, _ = cli("diff", "--root", repo, "HEAD")
    assert code == 0
    removed = out.split("### Removed")[1]
    assert "projects `village-offices`" in removed
    assert "⚠" not in out
    assert "tombstone: replaced by `police-offices`, reason `renamed`" in removed


def test_diff_compares_with_the_merge_base_of_committed_work(repo, cli):
    base = git(repo, "rev-parse", "HEAD")
    edit(repo, "data/people/luong-tam-quang.yaml", "name: Lương Tam Quang", "name: Lương Tam Quang\naliases:\n- Luong Tam Quang")
    commit_all(repo, "alias")
    code, out, _ = cli("diff", "--root", repo, base)
    assert code == 0
    assert "  - `aliases`: — → `[Luong Tam Quang]`" in out
    assert "**0 added, 1 changed, 0 removed**" in out


def test_diff_with_no_changes_and_with_a_bad_base(repo, cli):
    code, out, _ = cli("diff", "--root", repo, "HEAD")
    assert code == 0 and "No record files changed." in out
    code, out, err = cli("diff", "--root", repo, "nope")
    assert (code, out) == (2, "") and "'nope' is not a commit or branch" in err


def test_diff_reports_unreadable_yaml_instead_of_failing(repo, cli):
    (repo / MEETING).write_text("meeting_id: [unclosed\n", encoding="utf-8")
    code, out, _ = cli("diff", "--root", repo, "HEAD")
    assert code == 0
    assert "### Not compared (YAML or file-name problem)" in out and f"`{MEETING}` now: line" in out
    assert "**0 added, 0 changed, 0 removed**" in out and "### Removed" not in out


# ----------------------------------------------------------------------------- ID lifecycle against the base
PROJECT = "data/projects/village-offices.yaml"
STONE = {"table": "projects", "id": "old-offices", "replaced_by": "village-offices", "reason": "renamed"}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """main: a valid dataset with its published-ids.txt and one tombstone; HEAD on branch `feature`."""
    from vn_la_security.lifecycle import published_ids_text
    from vn_la_security.validate import validate

    root = tmp_path / "published"
    write_dataset(root)
    (root / "data/published-ids.txt").write_bytes(published_ids_text(validate(root).dataset))
    write_yaml(root, "data/tombstones.yaml", [STONE])
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "published dataset")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def drop_line(root: Path, line: str) -> None:
    path = root / "data/published-ids.txt"
    lines = path.read_text().splitlines(keepends=True)
    assert line + "\n" in lines
    path.write_text("".join(x for x in lines if x != line + "\n"))


def codes_of(out: str) -> list[str]:
    return [ln.split(": ")[1].split()[0] for ln in out.splitlines() if ": " in ln]


def every_way_with_a_base(root: Path, capsys, monkeypatch) -> list[tuple[int, str]]:
    """validate --changed, validate --changed BASE, validate --base BASE, validate with $GITHUB_BASE_REF."""
    git(root, "update-ref", "refs/remotes/origin/main", "main")
    results = [run(capsys, "validate", "--root", root, "--changed")[:2],
               run(capsys, "validate", "--root", root, "--changed", "main")[:2],
               run(capsys, "validate", "--root", root, "--base", "main")[:2]]
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    results.append(run(capsys, "validate", "--root", root, "--format", "text")[:2])
    monkeypatch.delenv("GITHUB_BASE_REF")
    return results


def test_deleting_a_published_record_with_its_line_is_caught_against_the_base(published, capsys, monkeypatch):
    (published / PROJECT).unlink()
    drop_line(published, "projects\tvillage-offices")
    write_yaml(published, "data/tombstones.yaml", [{**STONE, "replaced_by": None}])   # keep the old stone valid
    assert run(capsys, "validate", "--root", published)[0] == 0     # without a base it cannot be seen
    for code, out in every_way_with_a_base(published, capsys, monkeypatch):
        assert code == 1 and "E603" in codes_of(out) and "'village-offices' was published at the base" in out
    code, out, _ = run(capsys, "diff", "--root", published, "main")
    assert code == 0 and "### ID lifecycle" in out
    assert "**⚠ published ID removed from `data/published-ids.txt`**: projects `village-offices`" in out
    assert "⚠ removed without tombstone" in out


def test_a_removed_record_with_a_tombstone_passes_against_the_base(published, capsys, monkeypatch):
    (published / PROJECT).unlink()
    drop_line(published, "projects\tvillage-offices")
    write_yaml(published, "data/tombstones.yaml", [{**STONE, "replaced_by": None},
                                                   {"table": "projects", "id": "village-offices", "reason": "merged"}])
    for code, out in every_way_with_a_base(published, capsys, monkeypatch):
        assert (code, out) == (0, "")
    code, out, _ = run(capsys, "diff", "--root", published, "main")
    assert "tombstone added: projects `village-offices`" in out and "⚠" not in out


def test_removing_a_tombstone_and_reusing_its_id_is_caught(published, capsys, monkeypatch):
    (published / "data/tombstones.yaml").unlink()
    copy = {**yaml.safe_load((published / PROJECT).read_text()), "project_id": "old-offices"}
    for update in copy.get("updates", []):
        update.pop("update_id", None)     # derived from the new project ID instead
    write_yaml(published, "data/projects/old-offices.yaml", copy)
    assert run(capsys, "validate", "--root", published)[0] == 0     # without a base it cannot be seen
    for code, out in every_way_with_a_base(published, capsys, monkeypatch):
        assert code == 1 and {"E604", "E605"} <= set(codes_of(out))
        assert "data/projects/old-offices.yaml" in out and "tombstones are permanent" in out
    code, out, _ = run(capsys, "diff", "--root", published, "main")
    assert "**⚠ tombstone removed** (tombstones are permanent): projects `old-offices` — **and its ID is used again**" in out


def test_emptying_the_tombstones_file_is_caught(published, capsys, monkeypatch):
    (published / "data/tombstones.yaml").write_text("[]\n")
    for code, out in every_way_with_a_base(published, capsys, monkeypatch):
        assert code == 1 and codes_of(out) == ["E604"]


def test_changed_reports_references_left_dangling_by_a_deleted_file(published, capsys):
    (published / "data/people/vilay-lakhamphong.yaml").unlink()
    code, out, _ = run(capsys, "validate", "--root", published, "--changed")
    assert code == 1
    assert f"{MEETING}:" in out and "E201" in codes_of(out)          # the unchanged meeting that refers to him
    assert "E400" in codes_of(out)                                   # and the published ID without a tombstone


def test_changed_keeps_files_with_non_ascii_and_odd_names(published, capsys):
    for name in ("nguyễn-văn-a.yaml", "quote\"d.yaml", "tab\tname.yaml"):
        write_yaml(published, f"data/people/{name}", {"person_id": "x"})
    commit_all(published, "odd names")
    code, out, _ = run(capsys, "validate", "--root", published, "--changed")
    assert code == 1
    for shown in ("data/people/nguyễn-văn-a.yaml", 'data/people/quote"d.yaml', "data/people/tab\\tname.yaml"):
        assert shown + ":" in out


def test_changed_reports_renamed_extensions(published, capsys):
    git(published, "mv", "data/people/luong-tam-quang.yaml", "data/people/luong-tam-quang.YAML")
    code, out, _ = run(capsys, "validate", "--root", published, "--changed")
    assert code == 1 and "data/people/luong-tam-quang.YAML:1:1: E006 record files end in .yaml (lowercase)" in out


def test_diff_lists_files_that_are_not_records(published, capsys):
    git(published, "mv", "data/people/luong-tam-quang.yaml", "data/people/luong-tam-quang.Yaml")
    (published / "data/people/extra.json").write_text("{}")
    code, out, _ = run(capsys, "diff", "--root", published, "main")
    assert code == 0
    assert "- `data/people/luong-tam-quang.Yaml` now: record files end in .yaml (lowercase)" in out
    assert "- `data/people/extra.json` now: 'extra.json' is not a record file" in out
    assert "people `luong-tam-quang`" in out.split("### Removed")[1]    # the .yaml it was is gone
