"""`vn-la-security new KIND`: skeletons with the right name and ID that validate once filled in."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from vn_la_security import vocab
from vn_la_security.models import RECORD_KINDS
from vn_la_security.schemas import generated_schema_files, record_fields
from vn_la_security.skeletons import KINDS, slugify
from vn_la_security.validate import validate
from vn_la_security.yamlio import parse

# What a contributor would type for each placeholder (TODO or "").
FILL = {
    "city": "Vientiane", "country": "LA", "meeting_type": "talks", "title_en": "Second round of talks",
    "summary_en": "The two ministers met again.", "source": "test-source-2024-08-28",
    "quote": "Chiều 27/8, tại Thủ đô Vientiane", "quote_en": "On the afternoon of 27 August, in the capital Vientiane",
    "person_id": "luong-tam-quang", "side": "VN",
    "role": "head_of_delegation", "agreement_type": "mou", "name_vi": "Trung tâm huấn luyện",
    "name_en": "Training centre", "project_type": "training", "date": "2024-08", "status": "planned",
    "title": "Hội đàm", "publisher": "Test News", "outlet_id": "test-news", "url": "https://example.org/b", "url_status": "original",
    "language": "vi", "org_type": "academy",
}
PLACEHOLDER = re.compile(r'^(\s*(?:- )?)(\w+): (TODO|""|"TODO")(\s+#.*)?$')
#: optional in the model, but the test source is Vietnamese: its quote needs our English rendering (E716)
RENDERING = re.compile(r'^(\s*)(quote_en): (null)(\s+#.*)?$')


def fill(text: str, **typed: str) -> str:
    out = []
    for line in text.splitlines():
        m = PLACEHOLDER.match(line) or RENDERING.match(line)
        if m:
            value = typed.get(m.group(2), FILL[m.group(2)])
            line = f"{m.group(1)}{m.group(2)}: {json.dumps(value, ensure_ascii=False)}{m.group(4) or ''}"
        out.append(line)
    return "\n".join(out) + "\n"


CASES = [
    (["meeting", "--date", "2024-08-27", "--slug", "talks-vientiane-2"],
     "data/meetings/2024/2024-08-27-talks-vientiane-2.yaml", "meeting_id", "meetings"),
    (["person", "Nguyễn Duy Ngọc", "--country", "VN"], "data/people/nguyen-duy-ngoc.yaml", "person_id", "people"),
    (["agreement", "--date", "2024-08-27", "--slug", "training-mou"],
     "data/agreements/2024-08-27-training-mou.yaml", "agreement_id", "agreements"),
    (["agreement", "--slug", "security-agreement"], "data/agreements/security-agreement.yaml", "agreement_id",
     "agreements"),
    (["project", "--slug", "training-centre"], "data/projects/training-centre.yaml", "project_id", "projects"),
    (["source", "--slug", "test-news-2024-09-01-hoi-dam", "--date", "2024-09-01"],
     "data/sources/test-news-2024-09-01-hoi-dam.yaml", "source_id", "sources"),
    (["organization", "--slug", "la-police-academy"], "data/organizations/la-police-academy.yaml", "org_id",
     "organizations"),
]


@pytest.mark.parametrize(("args", "rel", "id_field", "folder"), CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_new_writes_a_skeleton_that_validates_once_filled(root, cli, args, rel, id_field, folder):
    code, out, err = cli("new", *args, "--root", root)
    assert (code, out) == (0, f"{rel}\n")
    assert f"vn-la-security validate {rel}" in err
    path = root / rel
    text = path.read_text(encoding="utf-8")

    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert schema == (root / "schemas" / "records" / f"{folder}.schema.json").resolve()
    assert f"records/{folder}.schema.json" in generated_schema_files()   # `build` writes it there
    assert parse(text)[id_field] == path.stem

    unfilled = validate(root, [path])
    assert unfilled.errors and {d.path for d in unfilled.diagnostics} == {rel}   # placeholders never pass

    # a person's name is as written: the contributor quotes the words that give it
    path.write_text(fill(text, **({"quote": "Thượng tướng Nguyễn Duy Ngọc"} if folder == "people" else {})),
                    encoding="utf-8")
    done = validate(root, None, root / "archive")
    assert [str(d) for d in done.diagnostics] == []
    assert cli("validate", "--root", root, "--archive", root / "archive", path)[0] == 0


def test_meeting_skeleton_shows_every_allowed_code(root, cli):
    cli("new", "meeting", "--date", "2024-08-27", "--slug", "x", "--root", root)
    text = (root / "data/meetings/2024/2024-08-27-x.yaml").read_text(encoding="utf-8")
    comments = " ".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    for enum in (vocab.MeetingType, vocab.Side, vocab.ParticipantRole, vocab.Rank, vocab.Role):
        assert all(re.search(rf"\b{m.value}\b", comments) for m in enum), enum.__name__
    assert 'date: "2024-08-27"' in text


def test_month_precision_meeting_keeps_its_precision(root, cli):
    code, out, _ = cli("new", "meeting", "--date", "2023-09", "--slug", "visit", "--root", root)
    assert (code, out) == (0, "data/meetings/2023/2023-09-visit.yaml\n")
    assert 'date: "2023-09"' in (root / "data/meetings/2023/2023-09-visit.yaml").read_text(encoding="utf-8")


def test_new_refuses_to_overwrite(root, cli):
    path = root / "data/people/luong-tam-quang.yaml"
    before = path.read_bytes()
    code, out, err = cli("new", "person", "Lương Tam Quang", "--root", root)
    assert (code, out) == (2, "")
    assert err.strip() == ("vn-la-security: error: data/people/luong-tam-quang.yaml already exists: edit it, or "
                           "choose another --slug")
    assert path.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (["meeting", "--slug", "x"], "--date is required"),
    (["meeting", "--date", "2024-8-27", "--slug", "x"], "is not an accepted date"),
    (["meeting", "--date", "2024-08-27", "--slug", "Talks Vientiane"], "is not a valid ID part"),
    (["project"], "--slug is required"),
    (["person"], "a person needs a name"),
    (["person", "Tô Lâm", "--country", "vn"], "--country 'vn'"),
    (["source", "Some title", "--slug", "x"], "a name is only used by `new person`"),
])
def test_new_usage_errors(root, cli, args, message):
    code, out, err = cli("new", *args, "--root", root)
    assert (code, out) == (2, "") and message in err
    assert len(err.strip().splitlines()) == 1


def test_slug_from_name_without_diacritics():
    assert slugify("Lương Tam Quang") == "luong-tam-quang"
    assert slugify("Đặng Việt Dũng") == "dang-viet-dung"
    assert slugify("Vi-lay Lạ-khăm-phong") == "vi-lay-la-kham-phong"


def test_new_from_another_working_folder(root, cli, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    old = Path.cwd()
    os.chdir(elsewhere)
    try:
        code, out, _ = cli("new", "person", "Tô Lâm", "--root", root)
    finally:
        os.chdir(old)
    assert (code, out) == (0, "data/people/to-lam.yaml\n")
    assert (root / "data/people/to-lam.yaml").exists() and not (elsewhere / "data").exists()


@pytest.mark.parametrize(("args", "rel", "id_field", "folder"), CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_skeleton_has_every_field_of_its_model_with_its_guidance(root, cli, args, rel, id_field, folder):
    cli("new", *args, "--root", root)
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    for f in record_fields(RECORD_KINDS[folder].model):
        line = next((x for x in lines if x.startswith(f"{f.name}:")), None)
        assert line is not None, f.name
        assert f.description.split()[0] in line.split("#", 1)[1], f.name   # the comment starts with the guidance


def test_a_new_record_field_appears_in_the_skeleton(root, monkeypatch):
    from pydantic import Field

    from vn_la_security import models, skeletons

    class Extended(models.OrganizationRecord):
        website: models.Text | None = Field(None, description="the organisation's own web site")

    monkeypatch.setitem(skeletons.KINDS, "organization", models.RecordKind("organizations", Extended, "org_id"))
    _, text = skeletons.skeleton("organization", root, slug="x")
    assert re.search(r"^website: null +# the organisation's own web site$", text, re.MULTILINE)


def test_every_record_kind_has_a_skeleton():
    assert {k.folder for k in KINDS.values()} == set(RECORD_KINDS)
