"""Hostile record files, names and values (issue 12, items 4, 5, 8 and the minor input items).

Each test covers a class of input, not one example: every character of a Unicode category, every way
of writing a non-record file name, every output format. docs/reliability.md maps them.
"""
from __future__ import annotations

import json
import os
import sys
import time
import typing
import unicodedata
from pathlib import Path

import pydantic
import pytest
import yaml
from fixtures import base_records, cite, dump

from vn_la_security import dates, models, report, schemas, yamlio
from vn_la_security.diagnostics import Diagnostic, log_line, printable
from vn_la_security.validate import validate

PERSON = "people/luong-tam-quang.yaml"
MEETING = "meetings/2024/2024-08-27-talks-vientiane.yaml"


def person(**changes) -> dict:
    rec = dict(base_records()[PERSON])
    rec.update(changes)
    return rec


def model_errors(model, record: dict) -> list[str]:
    try:
        model.model_validate(record)
    except Exception as exc:   # pydantic.ValidationError
        return [e["msg"] for e in exc.errors()]
    return []


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / "data" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def codes_at(root: Path, shown: str) -> list[str]:
    return [d.code for d in validate(root).diagnostics if d.path == shown]


# --- item 5: invisible and control characters, by Unicode category ----------------------------------
def _chars_of(categories: set[str]) -> list[str]:
    return [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in categories]


CONTROL_AND_FORMAT = [c for c in _chars_of({"Cc", "Cf", "Zl", "Zp"}) if c not in "\t\n\r"]
OTHER_INVISIBLE = ["\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\ufe00", "\ufe0f", "\U000e0100", "\U000e01ef",
                   "\u180b", "\u17b4", "\ue000", "\U000f0000", "\u0378", "\ufffd", "\u00a0", "\u2007", "\u3000"]


def test_every_control_format_and_separator_character_is_refused():
    assert len(CONTROL_AND_FORMAT) > 200   # the whole categories, tag characters (U+E0001…) included
    bad = [c for c in CONTROL_AND_FORMAT if not _refused(f"Lương{c}Quang")]
    assert bad == []


@pytest.mark.parametrize("ch", OTHER_INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_fillers_selectors_joiners_private_unassigned_and_odd_spaces_are_refused(ch):
    assert _refused(f"Lương{ch}Quang")
    msgs = model_errors(models.PersonRecord, person(name=f"Lương{ch}Quang"))
    assert msgs and f"U+{ord(ch):04X}" in msgs[0]


def _refused(text: str) -> bool:
    try:
        models._check_text(text)
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("text", [
    "Đại tướng Lương Tam Quang, Bộ trưởng Bộ Công an",                     # Vietnamese, NFC
    "ກະຊວງປ້ອງກັນຄວາມສະຫງົບ",                                                 # Lao: stacked vowel + tone marks
    "ທ່ານ ພົນເອກ ວິໄລ ຫລ້າຄຳຟອງ ລັດຖະມົນຕີກະຊວງປ້ອງກັນຄວາມສະຫງົບ",
    "Line one\nline two\ttabbed",
])
def test_real_lao_and_vietnamese_text_passes(text):
    assert models._check_text(text) == text


def test_stacked_combining_marks_are_refused():
    zalgo = "Qx" + "\u0301\u0300\u0303\u0309\u0306\u0302" + "ang"        # NFC-stable: no precomposed form
    assert unicodedata.normalize("NFC", zalgo) == zalgo and _refused(zalgo)
    assert not _refused("Qx" + "\u0301\u0300\u0303" + "ang")


# --- item 5: IDs and dates: full matches, ASCII digits ------------------------------------------------
NOT_ASCII_DIGITS = ["٢٠٢٤", "۲۰۲۴", "२०२४", "໒໐໒໔", "２０２４", "𝟚𝟘𝟚𝟜"]


@pytest.mark.parametrize("value", ["2024-08-27\n", "2024\n", "2024-08\n", "2024-08-27/2024-08-28\n", " 2024",
                                   *NOT_ASCII_DIGITS, *(f"{d}-08-27" for d in NOT_ASCII_DIGITS), "2024-0٨-27"])
def test_dates_need_a_full_match_of_ascii_digits(value):
    with pytest.raises(ValueError):
        dates.parse_edtf(value)
    assert model_errors(models.MeetingRecord, {**base_records()[MEETING], "date": value})


@pytest.mark.parametrize("value", ["luong-tam-quang\n", "luong\n-tam", "luong-tam-quang٣", "luong-tam-quang２",
                                   "luong-tam-quang໓", "LUONG", "luong--tam", "-luong", "luong-"])
def test_ids_need_a_full_match_of_ascii_letters_and_digits(value):
    assert model_errors(models.PersonRecord, person(person_id=value))
    assert not models.SLUG_RE.match(value) and not models.SLUG_RE.fullmatch(value)


def test_a_trailing_newline_in_a_yaml_id_or_date_is_an_error(root):
    write(root, MEETING, (root / "data" / MEETING).read_text().replace(
        "date: '2024-08-27'", 'date: "2024-08-27\\n"'))
    write(root, "people/new-person.yaml", dump(person(person_id="new-person\n", name="New Person")))
    v = validate(root)
    assert "E103" in [d.code for d in v.diagnostics if d.path == f"data/{MEETING}"]
    assert "E103" in [d.code for d in v.diagnostics if d.path == "data/people/new-person.yaml"]


# --- item 5: URLs get the text checks; no credentials -------------------------------------------------
BAD_URLS = ["https://example.org/\u202eabc", "https://exa\u200bmple.org/", "https://example.org/\x1b[31m",
            "https://example.org/\x00", "https://user:pass@example.org/", "https://user@example.org/",
            "https://example.org\\@evil.test/", "https://example.org/a b", "javascript:alert(1)",
            "ftp://example.org/", "https://example.org:99999/", "https:///path-only", "https://example.org/\n"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_hostile_urls_are_refused(url):
    assert model_errors(models.SourceRecord, {**base_records()["sources/test-source-2024-08-28.yaml"], "url": url})


@pytest.mark.parametrize("url", ["https://bocongan.gov.vn/tin-tuc/a-b-c-123?id=5#top", "http://example.org",
                                 "https://báo.vn/bài-viết", "https://example.org:8443/x"])
def test_ordinary_urls_pass(url):
    assert not model_errors(models.SourceRecord, {**base_records()["sources/test-source-2024-08-28.yaml"], "url": url})


# --- minor: strict numbers and booleans; registries for codes -----------------------------------------
@pytest.mark.parametrize("field, value", [("session", "10"), ("session", 7.0), ("session", True), ("session", "7")])
def test_meeting_session_is_a_real_integer(field, value):
    assert model_errors(models.MeetingRecord, {**base_records()[MEETING], "series": "s", field: value})


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, "1", 1.0])
def test_booleans_are_real_booleans(value):
    fact = {"rank": "general", "rank_label": "Đại tướng", "date": "2024", "basis": "attested", "cite": cite("x")}
    assert not model_errors(models.RankFact, {**fact, "disputed": True, "demotion": False})
    assert model_errors(models.RankFact, {**fact, "disputed": value})
    assert model_errors(models.RankFact, {**fact, "demotion": value})


@pytest.mark.parametrize("field, value", [("period_start", "2025"), ("period_end", 2025.0), ("period_start", False)])
def test_years_and_counts_are_real_integers(field, value):
    rec = base_records()["agreements/2024-08-27-cooperation-plan-2025.yaml"]
    assert model_errors(models.AgreementRecord, {**rec, field: value})
    update = base_records()["projects/village-offices.yaml"]["updates"][0]
    assert model_errors(models.ProjectUpdate, {**update, "quantity": "10"})


def test_every_number_and_boolean_field_of_every_record_is_strict():
    """A new int or bool field without ``strict=True`` would take "7", 7.0 or "yes"; this finds it."""
    checked = []
    for kind in models.RECORD_KINDS.values():
        for model in [kind.model, *schemas._nested_models(kind.model)]:
            for f in schemas.record_fields(model):
                if f.kind not in ("integer", "boolean"):
                    continue
                checked.append(f"{model.__name__}.{f.name}")
                info = model.model_fields[f.name]
                adapter = pydantic.TypeAdapter(typing.Annotated[info.annotation, info])
                adapter.validate_python(True if f.kind == "boolean" else 2024 if f.name.startswith("period_") else 3)
                wrong = ["7", "2024", 7.0, 2024.0, True] if f.kind == "integer" else ["yes", "true", 1, 0, 1.0]
                for value in wrong:
                    with pytest.raises(pydantic.ValidationError):
                        adapter.validate_python(value)
    assert {"MeetingRecord.session", "RankFact.disputed", "RankFact.demotion", "AgreementRecord.period_start",
            "ProjectUpdate.quantity"} <= set(checked)


def test_number_errors_say_what_to_write(root):
    write(root, MEETING, dump({**base_records()[MEETING], "series": "s", "session": "10"}))
    messages = [d.message for d in validate(root).errors]
    assert any("session: must be a whole number written without quotes or decimals, e.g. 3 (got '10')" in m
               for m in messages), messages


def test_unquoted_year_and_real_integers_still_work():
    assert not model_errors(models.MeetingRecord, {**base_records()[MEETING], "series": "s", "session": 10})
    rec = base_records()["agreements/2024-08-27-cooperation-plan-2025.yaml"]
    assert not model_errors(models.AgreementRecord, {**rec, "signed": 2024, "agreement_id": "2024-plan"})


@pytest.mark.parametrize("code", ["XX", "ZZ", "QQ", "EU", "UK", "AA"])
def test_country_codes_come_from_iso_3166(code):
    assert model_errors(models.PersonRecord, person(country=code))


@pytest.mark.parametrize("tag", ["xx", "zz", "qq-xyz", "vi-abcdefgh-", "en-US-a"])
def test_language_tags_are_valid_bcp47(tag):
    assert model_errors(models.SourceRecord, {**base_records()["sources/test-source-2024-08-28.yaml"], "language": tag})


@pytest.mark.parametrize("tag", ["vi", "lo", "en", "fr", "zh-Hans", "en-GB", "km"])
def test_real_language_tags_pass(tag):
    assert not model_errors(models.SourceRecord, {**base_records()["sources/test-source-2024-08-28.yaml"], "language": tag})


# --- item 4: file names that are not records ---------------------------------------------------------
@pytest.mark.parametrize("name, advice", [
    ("new-person.YAML", "rename it to new-person.yaml"), ("new-person.Yaml", "rename it to new-person.yaml"),
    ("new-person.yml", "rename it to new-person.yaml"), ("new-person.YML", "rename it to new-person.yaml"),
    ("new-person.yaml.txt", "rename it to new-person.yaml"), ("new-person.yaml.bak", "rename it to new-person.yaml"),
    ("new-person.json", "convert it"), ("new-person.txt", "convert it"), ("new-person", "convert it"),
    ("published-ids.txt", "convert it"),
])
def test_non_record_file_names_under_data_get_an_error(root, cli, name, advice):
    write(root, f"people/{name}", "person_id: new-person\n")
    diags = [d for d in validate(root).diagnostics if d.path == f"data/people/{name}"]
    assert diags and diags[0].code == "E006" and advice in diags[0].message
    code, out, _ = cli("validate", "--root", root, root / "data/people" / name)   # also when named
    assert code == 1 and advice in out


def test_lifecycle_file_names_are_only_special_directly_in_data(root):
    write(root, "people/tombstones.yaml", "- {table: people, id: x, reason: hidden}\n")
    assert codes_at(root, "data/people/tombstones.yaml")      # a record file like any other: not skipped


@pytest.mark.parametrize("rel, folder", [(f"meetings/2024/{PERSON.split('/')[1]}", "people"),
                                         ("people/2024-08-27-cooperation-plan-2025.yaml", "agreements"),
                                         ("projects/vn-mps.yaml", "organizations")])
def test_a_record_in_another_kinds_folder_is_wrong_folder(root, rel, folder):
    source = {"people": PERSON, "agreements": "agreements/2024-08-27-cooperation-plan-2025.yaml",
              "organizations": "organizations/vn-mps.yaml"}[folder]
    write(root, rel, (root / "data" / source).read_text())
    d = [d for d in validate(root).diagnostics if d.path == f"data/{rel}"]
    assert [x.code for x in d] == ["E006"] and "wrong folder" in d[0].message and f"data/{folder}/" in d[0].message


# --- item 8: denial of service and crashes -----------------------------------------------------------
def test_thousands_of_unknown_keys_are_parsed_once_and_capped(root, monkeypatch):
    text = dump(person(person_id="many-keys")) + "".join(f"unknown_key_{i:04d}: v\n" for i in range(4000))
    assert len(text) > 35_000
    write(root, "people/many-keys.yaml", text)
    composed = []
    real_compose = yaml.compose
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: composed.append(1) or real_compose(*a, **k))
    started = time.perf_counter()
    v = validate(root)
    elapsed = time.perf_counter() - started
    diags = [d for d in v.diagnostics if d.path == "data/people/many-keys.yaml"]
    assert len(composed) == 1                     # located from one parse, not one per error
    assert len(diags) == 21 and diags[-1].code == "E601" and "3980 more problems" in diags[-1].message
    assert [d.line for d in diags[:20]] == sorted(d.line for d in diags[:20])
    assert elapsed < 10                           # was ~120 s; well under 1 s on an idle machine


def test_reports_cap_problems_per_file_in_every_format():
    diags = [Diagnostic("data/people/x.yaml", n, 1, "E201", "dangling") for n in range(1, 101)]
    for fmt in report.FORMATS:
        out = report.render(fmt, diags)
        assert out.count("dangling") == report.PER_FILE_LIMIT and "80 more problems" in out


DEEP = {
    "flow lists": "person_id: deep\nname: " + "[" * 1000 + "]" * 1000 + "\n",
    "flow maps": "person_id: deep\nnote: " + "{a: " * 1000 + "}" * 1000 + "\n",
    "block maps": "person_id: deep\n" + "".join(" " * (2 * i) + "a:\n" for i in range(300)) + " " * 600 + "b\n",
    "block lists": "person_id: deep\naliases:\n" + "- " * 1000 + "x\n",
    "200k brackets": "person_id: deep\nname: " + "[" * 200_000 + "\n",
}


@pytest.mark.parametrize("kind", DEEP)
def test_deeply_nested_yaml_gets_a_located_error(root, kind):
    write(root, "people/deep.yaml", DEEP[kind])
    d = [d for d in validate(root).diagnostics if d.path == "data/people/deep.yaml"]
    assert len(d) == 1 and d[0].code in ("E004", "E001")
    if kind != "200k brackets":
        assert ("nested more than" in d[0].message or "nesting depth" in d[0].message) and d[0].line >= 2


def test_real_records_nest_well_below_the_cap():
    assert yamlio.parse("a:\n" + "".join(" " * (2 * i) + "- b:\n" for i in range(1, 10)) + " " * 22 + "c: 1\n")


def test_a_thousand_folders_deep_is_an_error_not_a_recursion_error(root, cli):
    folders = [root / "data" / "people" / "a"]
    for _ in range(999):
        folders.append(folders[-1] / "a")
    for folder in folders:
        folder.mkdir()
    (folders[-1] / "x.yaml").write_text("person_id: x\n")
    try:
        code, out, err = cli("validate", "--root", root)
    finally:   # remove it here: pytest's own clean-up (shutil.rmtree) recurses, and would fail on it later
        (folders[-1] / "x.yaml").unlink()
        for folder in reversed(folders):
            folder.rmdir()
    assert code == 1 and "internal error" not in err
    assert "E006" in out and "folders nested more than" in out


def _can_make_undecodable_names(tmp_path: Path) -> bool:
    try:
        (tmp_path / os.fsdecode(b"probe-\xff")).write_text("")
    except (OSError, UnicodeEncodeError):
        return False
    return True


@pytest.mark.parametrize("fmt", report.FORMATS)
def test_file_name_that_is_not_utf8_gets_a_located_error_in_every_format(root, cli, fmt, tmp_path):
    if sys.platform == "darwin" or not _can_make_undecodable_names(tmp_path):
        pytest.skip("file system refuses names that are not UTF-8")
    (root / "data/people" / os.fsdecode(b"bad-\xff\xfe.yaml")).write_text("person_id: bad\n")
    code, out, err = cli("validate", "--root", root, "--format", fmt)
    assert code == 1 and "internal error" not in err
    out.encode("utf-8")     # printable: no lone surrogates left
    shown = "\n".join(d["path"] for d in json.loads(out)) if fmt == "json" else out
    assert "E600" in out and "bad-\\xff\\xfe.yaml" in shown


# --- minor: file names with newlines or workflow commands are escaped in every output format -----------
HOSTILE_NAMES = ["x\n::error file=README.md::owned.yaml", "::warning::hi.yaml", "a\r\n::set-env name=X::1.yaml",
                 "esc\x1b[2J.yaml", "bidi\u202eLMTH.yaml"]


@pytest.mark.parametrize("fmt", report.FORMATS)
def test_hostile_file_names_cannot_forge_lines_or_workflow_commands(root, cli, fmt, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(root / "summary.md"))
    for name in HOSTILE_NAMES:
        (root / "data/people" / name).write_text("person_id: x\n")
    code, out, err = cli("validate", "--root", root, "--format", fmt)
    assert code == 1 and "internal error" not in err
    lines = out.splitlines()
    assert all(not ln.lstrip().startswith("::") or ln.startswith(("::error file=data/people/", "::warning file="))
               for ln in lines)
    assert "\x1b" not in out and "\u202e" not in out and "\r" not in out
    problems = validate(root).diagnostics
    if fmt == "text":
        assert len(lines) == len(problems)      # one line per problem: no forged lines
        assert any(ln.startswith("data/people/x\\n::error file=README.md::owned.yaml:") for ln in lines)
    if fmt == "json":
        assert len(json.loads(out)) == len(problems)


def test_log_line_neutralises_workflow_commands_and_controls():
    assert log_line("::error::x") == "\\::error::x"
    assert log_line("  ::add-mask::y") == "\\  ::add-mask::y"
    assert printable("a\nb\x1b\u2028\udcff") == "a\\nb\\x1b\\u2028\\xff"
    assert printable("Lương ສະບາຍດີ") == "Lương ສະບາຍດີ"


def test_build_check_drift_lines_are_escaped(root, cli, monkeypatch):
    from vn_la_security import build

    monkeypatch.setattr(build, "drift", lambda root, out: ["vn_la_security/tables/x\n::error::forged differs"])
    code, out, _ = cli("build", "--check", "--root", root)
    assert code == 1 and out == "vn_la_security/tables/x\\n::error::forged differs\n"


# --- minor: "today" is the same on every runner ----------------------------------------------------
@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset")
def test_today_is_the_same_in_every_time_zone(monkeypatch):
    import datetime as dt

    seen = set()
    for zone in ("UTC", "Pacific/Pago_Pago", "Pacific/Kiritimati", "Asia/Ho_Chi_Minh", "America/Los_Angeles"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        seen.add(dates.today())
        assert dates.today() >= dt.date.today()          # nobody's today is after it
    monkeypatch.delenv("TZ")
    time.tzset()
    utc = dt.datetime.now(dt.timezone.utc)
    assert len(seen) == 1 and (seen.pop() - utc.date()).days in (0, 1)


# --- minor: `new` refuses hostile IDs; bad CLI values are usage errors ------------------------------------
@pytest.mark.parametrize("args", [("project", "--slug", "abc\n"), ("project", "--slug", "abc٣"),
                                  ("project", "--slug", "abc２"), ("meeting", "--slug", "talks", "--date", "2024-08-27\n"),
                                  ("meeting", "--slug", "talks", "--date", "٢٠٢٤-08-27"),
                                  ("person", "Some Name", "--slug", "x\n")])
def test_new_refuses_ids_with_newlines_or_non_ascii_digits(root, cli, args):
    code, out, err = cli("new", *args, "--root", root)
    assert code == 2 and out == "" and "internal error" not in err


@pytest.mark.parametrize("port", ["70000", "0", "-1", "abc", "８０", "80.5"])
def test_bad_port_is_a_usage_error(cli, port, capsys):
    with pytest.raises(SystemExit) as exc:
        cli("explore", "--port", port)
    assert exc.value.code == 2 and "not a port number" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["chart.bmp", "chart", "chart.png.exe", "chart.jpeg"])
def test_unknown_chart_format_is_a_usage_error(cli, tmp_path, name):
    code, _, err = cli("plot", "timeline", "-o", tmp_path / name)
    assert code == 2 and "end the file name in .png, .svg, .pdf" in err and "internal error" not in err


# --- beyond the list: numbers too big for a column, and keys too long to print ----------------------------
@pytest.mark.parametrize("digits", [19, 30, 5000])
def test_huge_integers_are_a_located_error_not_an_overflow(root, cli, digits):
    path = root / "data/projects/village-offices.yaml"
    path.write_text(path.read_text().replace("quantity: 10", "quantity: " + "9" * digits))
    code, out, err = cli("validate", "--root", root)
    assert code == 1 and "internal error" not in err
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "quantity: 999" in text)
    assert f"data/projects/village-offices.yaml:{line}:" in out and "more than 18 digits" in out
    assert yamlio.parse("n: " + "9" * 18) == {"n": int("9" * 18)}   # 18 digits still fit int64


def test_a_long_unknown_key_is_shortened_in_the_message(root):
    write(root, PERSON, dump(person()) + "k" * 900 + ": 1\n")
    d = [d for d in validate(root).diagnostics if d.path == f"data/{PERSON}"]
    assert [x.code for x in d] == ["E102"] and len(d[0].message) < 200


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_among_the_records_is_reported_not_read(root, cli):
    os.mkfifo(root / "data/people/pipe.yaml")        # reading it would block validate forever
    code, out, _ = cli("validate", "--root", root)
    assert code == 1 and out == "data/people/pipe.yaml:1:1: E005 not a regular file (a FIFO, socket or device): " \
                                "records must be real files inside data/\n"
    code, out, _ = cli("validate", "--root", root, root / "data/people/pipe.yaml")
    assert code == 1 and "E005 not a regular file" in out


@pytest.mark.parametrize("name", ["Lương Tam Quanг", "Lương Таm Quang", "Lương Tam Quαng", "Vilay Lakhamphонg"])
def test_words_mixing_latin_with_lookalike_letters_are_refused(name):
    assert _refused(name) and any("look-alike" in m for m in model_errors(models.PersonRecord, person(name=name)))


@pytest.mark.parametrize("text", ["Lương Tam Quang (Лыонг Там Куанг)", "Ministry α-team", "ΑΒΓ and ABC"])
def test_whole_words_in_other_scripts_pass(text):
    assert models._check_text(text) == text


def test_hash_prints_hostile_file_names_escaped(cli, tmp_path):
    name = tmp_path / "a\n::error::b.txt"
    name.write_text("x")
    code, out, _ = cli("hash", name)
    assert code == 0 and len(out.splitlines()) == 1 and "a\\n::error::b.txt" in out
