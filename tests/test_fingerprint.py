"""Quote fingerprints (vn_la_security/fingerprint.py, issue 15)."""
from __future__ import annotations

import hashlib
import io
import sys

import pytest
import yaml
from fixtures import QUOTE_SOURCE_TEXT, base_records, write_dataset

from vn_la_security import fingerprint as fpm
from vn_la_security.validate import validate

SOURCE = "test-source-2024-08-28"
SOURCE_YAML = f"data/sources/{SOURCE}.yaml"
FP_FILE = f"data/fingerprints/{SOURCE}.txt"



def _record_quotes(ds) -> int:
    """Citations of record rows (derived tenures, spells and conflicts repeat their facts' quotes)."""
    from vn_la_security.models import TABLES

    return sum(not TABLES[c.record_table].derived for c in ds.rows["citations"])

def _parse(text: str, source_id: str = "s") -> fpm.Fingerprint:
    return fpm.parse(text.encode("ascii"), source_id)


def test_a_quote_is_covered_exactly_when_its_word_sequence_is_in_the_text():
    fp = _parse(fpm.make("s", QUOTE_SOURCE_TEXT, "vi"))
    assert fp.covers("Đại tướng Lương Tam Quang, Bộ trưởng Bộ Công an")
    assert fp.covers("ĐẠI TƯỚNG   lương tam quang")                      # case and spacing are folded
    assert fp.covers("Đại tướng Lương Tam Quang Bộ trưởng")               # punctuation only separates words
    assert not fp.covers("Đại tướng Lương Tam Quang, Thứ trưởng Bộ Công an")   # one word changed
    assert not fp.covers("Bộ Công an Lào bàn giao 10 trụ sở")             # words of the text, in another order
    assert not fp.covers("Đại tá Lương Tam Quang")
    # spliced from two places that share three words ("Bộ Công an"): caught by the 5-word windows
    assert fp.covers("Bộ Công an Việt Nam bàn giao 10 trụ sở") and fp.covers("Bộ trưởng Bộ Công an Lào")
    assert not fp.covers("Bộ trưởng Bộ Công an Việt Nam bàn giao 10 trụ sở")
    assert fp.covers("Chiều 27/8")                                         # three tokens: chiều, 27, 8
    assert fp.covers("Bộ trưởng") is None                                  # two words: too short to check


def test_the_file_lists_sorted_hashes_and_never_the_text():
    text = fpm.make("s", QUOTE_SOURCE_TEXT, "vi")
    lines = text.splitlines()
    assert lines[:5] == [fpm.MAGIC, "source_id: s", "tokens: words 3 5", "hash: sha256/32",
                         f"grams: {len(lines) - 5}"]
    assert lines[5:] == sorted(set(lines[5:])) and all(len(h) == 8 for h in lines[5:])
    words = fpm.tokens(QUOTE_SOURCE_TEXT, "words")
    assert len(lines) - 5 == len({tuple(words[i:i + n]) for n in (3, 5) for i in range(len(words) - n + 1)})
    assert "tướng" not in text and "Vientiane" not in text


def test_scripts_without_spaces_use_character_grams():
    lao = "ທ່ານ ສົມແກ້ວ ສີລາວົງລັດຖະມົນຕີວ່າການກະຊວງປ້ອງກັນຄວາມສະຫງົບ"
    fp = _parse(fpm.make("s", lao, "lo"))
    assert fp.mode == "chars"
    assert fp.covers("ລັດຖະມົນຕີວ່າການ")
    assert fp.covers("ສີລາວົງ ລັດຖະ ມົນຕີ")          # spaces inside Lao text do not matter
    assert not fp.covers("ລັດຖະມົນຕີຊ່ວຍວ່າການ")


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace("vn-la-security fingerprint 1", "fingerprint 2"), "line 1"),
    (lambda t: t.replace("source_id: s", "source_id: other"), "line 2"),
    (lambda t: t.replace("tokens: words 3 5", "tokens: words 3"), "line 3"),
    (lambda t: t + "00000000\n", "line 5"),
    (lambda t: t.replace("\n", "\r\n"), "line ends"),
    (lambda t: t[:-1], "line ends"),
    (lambda t: "\n".join(t.splitlines()[:5] + [h.upper() for h in t.splitlines()[5:]]) + "\n", "hex"),
    (lambda t: "\n".join(t.splitlines()[:5] + t.splitlines()[5:][::-1]) + "\n", "sorted"),
])
def test_a_malformed_file_is_refused(mutate, message):
    good = fpm.make("s", QUOTE_SOURCE_TEXT, "vi")
    with pytest.raises(fpm.FingerprintError, match=message):
        _parse(mutate(good))


def test_size_is_capped():
    with pytest.raises(fpm.FingerprintError, match="more than"):
        fpm.parse(b"0" * (fpm.MAX_BYTES + 1), "s")


@pytest.fixture
def printed(root, cli):
    """The fixture dataset with its one source fingerprinted by the command."""
    (root / "page.txt").write_text(QUOTE_SOURCE_TEXT, encoding="utf-8")
    code, out, err = cli("fingerprint", SOURCE, root / "page.txt", "--checked-text", "whole_article", "--root", root)
    assert code == 0, err
    return root


def test_the_command_writes_the_file_records_it_and_reports_the_quotes(printed, cli):
    record = yaml.safe_load((printed / SOURCE_YAML).read_text(encoding="utf-8"))
    data = (printed / FP_FILE).read_bytes()
    assert record["fingerprint_sha256"] == hashlib.sha256(data).hexdigest()
    assert record["checked_text"] == "whole_article"
    assert record["title"] == "Hội đàm Bộ Công an hai nước"          # the rest of the record is untouched
    v = validate(printed)
    assert not v.errors
    code, out, err = cli("build", "--root", printed)
    assert code == 0
    n = _record_quotes(v.dataset)
    assert f"provenance: {n} quotes: 0 checked against archived texts, {n} against fingerprints, 0 unverified" in err


def test_stdin_and_a_quote_the_text_lacks(root, cli, monkeypatch):
    records = base_records()
    records["organizations/vn-mps.yaml"]["cite"][0]["quote"] = "Bộ Công an Việt Nam bàn giao 12 trụ sở"
    write_dataset(root, records)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(QUOTE_SOURCE_TEXT.encode("utf-8"))))
    code, out, err = cli("fingerprint", SOURCE, "-", "--checked-text", "excerpt", "--root", root)
    assert code == 1
    assert "data/organizations/vn-mps.yaml" in err and "NOT covered" in err
    v = validate(root)
    n = _record_quotes(v.dataset)
    assert f"fingerprint: {n - 1} of {n} quotes of {SOURCE} covered" in err
    errors = v.errors
    assert [(d.path, d.code) for d in errors] == [("data/organizations/vn-mps.yaml", "E914")]


def test_an_altered_quote_fails_validate_without_the_archive(printed):
    path = printed / "data/people/luong-tam-quang.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Đại tướng Lương", "Thượng tướng Lương"),
                    encoding="utf-8")
    errors = validate(printed).errors
    assert [(d.path, d.code) for d in errors] == [("data/people/luong-tam-quang.yaml", "E914")]
    line = path.read_text(encoding="utf-8").splitlines()[errors[0].line - 1]
    assert "Thượng tướng Lương" in line


def test_a_changed_or_missing_fingerprint_is_caught(printed):
    fp_path = printed / FP_FILE
    lines = fp_path.read_text().splitlines()
    fp_path.write_text("\n".join(lines[:4] + [f"grams: {len(lines) - 6}"] + lines[5:-1]) + "\n")
    assert [d.code for d in validate(printed).errors] == ["E911"]
    fp_path.unlink()
    assert [d.code for d in validate(printed).errors] == ["E911"]


def test_checked_text_is_required_and_orphans_are_refused(printed):
    src = printed / SOURCE_YAML
    src.write_text("\n".join(line for line in src.read_text(encoding="utf-8").splitlines()
                             if not line.startswith("checked_text:")) + "\n", encoding="utf-8")
    (printed / "data/fingerprints/no-such-source.txt").write_text("x\n")
    assert sorted((d.path, d.code) for d in validate(printed).errors) == [
        ("data/fingerprints/no-such-source.txt", "E913"), (SOURCE_YAML, "E912")]


def test_a_symlinked_fingerprint_is_not_followed(printed, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "fp.txt"
    elsewhere.write_bytes((printed / FP_FILE).read_bytes())
    (printed / FP_FILE).unlink()
    (printed / FP_FILE).symlink_to(elsewhere)
    assert sorted((d.path, d.code) for d in validate(printed).errors) == [(FP_FILE, "E005"), (SOURCE_YAML, "E911")]


def test_a_malformed_fingerprint_is_located(printed):
    (printed / FP_FILE).write_text((printed / FP_FILE).read_text().replace("hash: sha256/32", "hash: md5"))
    [error] = validate(printed).errors
    assert (error.path, error.line, error.code) == (FP_FILE, 4, "E910")


def test_unknown_source_and_empty_text_are_usage_errors(root, cli):
    (root / "page.txt").write_text("hai từ", encoding="utf-8")
    code, _, err = cli("fingerprint", "nope", root / "page.txt", "--checked-text", "excerpt", "--root", root)
    assert code == 2 and "no source 'nope'" in err
    code, _, err = cli("fingerprint", SOURCE, root / "page.txt", "--checked-text", "excerpt", "--root", root)
    assert code == 2 and "fewer than 3 words" in err
    assert not (root / "data/fingerprints").exists()


def test_require_makes_an_unverified_source_an_error_unless_archived(root, monkeypatch):
    assert not validate(root).errors
    monkeypatch.setattr(fpm, "REQUIRE", True)
    assert [(d.path, d.code) for d in validate(root).errors] == [(SOURCE_YAML, "E916")]
    assert not validate(root, archive=root / "archive").errors


@pytest.mark.parametrize("command", ["validate", "build"])
def test_e916_an_unfingerprinted_unarchived_source_fails_once_required(root, cli, monkeypatch, command):
    """The one-line flip of fingerprint.REQUIRE: patched on here, so this test holds before and after it."""
    monkeypatch.setattr(fpm, "REQUIRE", True)
    code, out, err = cli(command, "--root", root)
    assert code == 1
    [line] = [line for line in out.splitlines() if " E9" in line]
    assert line.startswith(f"{SOURCE_YAML}:1:1: E916 neither a fingerprint nor an archived text: its quotes cannot "
                           f"be checked; save the page and run `vn-la-security fingerprint {SOURCE} FILE`")
    assert command == "validate" or not (root / "datapackage.json").exists()
    assert cli(command, "--root", root, "--archive", root / "archive")[0] == 0   # an archived text suffices
    (root / "page.txt").write_text(QUOTE_SOURCE_TEXT, encoding="utf-8")
    assert cli("fingerprint", SOURCE, root / "page.txt", "--checked-text", "excerpt", "--root", root)[0] == 0
    assert cli(command, "--root", root)[0] == 0                                    # and so does a fingerprint


def test_coverage_counts_each_quote_once_by_its_strongest_method(printed):
    from vn_la_security.validate import load_and_derive

    _, ds = load_and_derive(printed)
    n = _record_quotes(ds)
    cov = fpm.coverage(printed, ds, printed / "archive")
    assert cov.by_method == {"archive": n, "fingerprint": 0, "unverified": 0}
    assert cov.unverified_sources == [] and cov.sources_with_fingerprint == 1
    assert "provenance:" in fpm.info_line(printed)


def test_info_reports_the_coverage_of_the_records_where_it_runs(printed, cli, monkeypatch):
    monkeypatch.chdir(printed)
    code, out, _ = cli("info")
    n = _record_quotes(validate(printed).dataset)
    assert code == 0 and f"provenance: {n} quotes: 0 checked against archived texts, {n} against fingerprints" in out
    monkeypatch.setenv("VN_LA_SECURITY_ARCHIVE", str(printed / "archive"))
    assert f"{n} checked against archived texts, 0 against fingerprints" in cli("info")[1]


def _script(name: str):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent.parent / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fingerprint_saved_makes_only_fingerprints_that_cover_every_quote(root, tmp_path_factory, capsys):
    saved = tmp_path_factory.mktemp("saved")
    (saved / f"{SOURCE}.txt").write_text(QUOTE_SOURCE_TEXT.replace("10 trụ sở", "mười trụ sở"), encoding="utf-8")
    (saved / "unknown-source.txt").write_text(QUOTE_SOURCE_TEXT, encoding="utf-8")
    main = _script("fingerprint_saved").main
    assert main([str(saved), "--checked-text", "excerpt", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"skipped {SOURCE}:" in out and "not in text: Bộ Công an Việt Nam bàn giao 10 trụ sở" in out
    assert "skipped unknown-source: no such source" in out and not (root / FP_FILE).exists()
    (saved / f"{SOURCE}.txt").write_text(QUOTE_SOURCE_TEXT, encoding="utf-8")
    assert main([str(saved), "--checked-text", "excerpt", "--root", str(root)]) == 1   # unknown-source still left
    assert f"fingerprinted {SOURCE} (excerpt" in capsys.readouterr().out
    assert yaml.safe_load((root / SOURCE_YAML).read_text(encoding="utf-8"))["checked_text"] == "excerpt"
    assert not validate(root).errors


def test_under_archive_a_fingerprinted_source_needs_no_archived_text(printed):
    """Its quotes are checked by the fingerprint; a source with neither is E702 under --archive."""
    path = printed / SOURCE_YAML
    text = path.read_text(encoding="utf-8")
    stated = next(line for line in text.splitlines() if line.startswith("text_sha256:"))
    path.write_text(text.replace(stated, "text_sha256: " + "ab" * 32), encoding="utf-8")
    assert "E702" not in {d.code for d in validate(printed, archive=printed / "archive").diagnostics}
    (printed / FP_FILE).unlink()
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.splitlines()
                              if not line.startswith(("fingerprint_sha256:", "archive_name:"))) + "\n", encoding="utf-8")
    assert "E702" in {d.code for d in validate(printed, archive=printed / "archive").errors}
