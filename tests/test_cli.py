"""`vn-la-security info` and `vn-la-security hash`."""
from __future__ import annotations

from fixture_tables import build_tables
from fixtures import QUOTE_SOURCE_TEXT, base_records

from vn_la_security.models import TABLES
from vn_la_security.validate import validate
from vn_la_security.version import DATA_VERSION, __version__


def test_info_prints_the_versions_and_the_row_count_of_every_table(tmp_path, monkeypatch_env, cli):
    monkeypatch_env(str(build_tables(tmp_path)))
    code, out, err = cli("info")
    assert (code, err) == (0, "")
    first, *rows, coverage = out.splitlines()
    assert first == f"vn-la-security {__version__}, data version {DATA_VERSION}"
    assert coverage.startswith("provenance: ")
    counts = {line.split()[0]: int(line.split()[1]) for line in rows}
    expected = {name: len(rows) for name, rows in validate(tmp_path).dataset.rows.items()}
    assert counts == expected and list(counts) == list(TABLES)
    assert (counts["meetings"], counts["participants"], counts["ranks"]) == (1, 2, 2)
    assert all(line.endswith(" rows") for line in rows)


def test_hash_prints_what_a_source_records_as_text_sha256(tmp_path, cli):
    article = tmp_path / "article.txt"
    article.write_text(QUOTE_SOURCE_TEXT, encoding="utf-8")
    recorded = base_records()["sources/test-source-2024-08-28.yaml"]["text_sha256"]
    assert cli("hash", article) == (0, f"{recorded}  {article}\n", "")


def test_hash_ignores_a_bom_and_differences_in_white_space(tmp_path, cli):
    plain, messy = tmp_path / "plain.txt", tmp_path / "messy.txt"
    plain.write_text("Hai bên ký kế hoạch.", encoding="utf-8")
    messy.write_bytes("\ufeffHai  bên\r\nký kế hoạch.\n".encode("utf-8"))
    code, out, _ = cli("hash", plain, messy)
    digests = [line.split("  ", 1)[0] for line in out.splitlines()]
    assert code == 0 and len(digests) == 2 and digests[0] == digests[1]


def test_hash_of_an_unreadable_file_is_a_usage_error(tmp_path, cli):
    (tmp_path / "latin1.txt").write_bytes("Vi\xeat Nam".encode("latin-1"))
    for name in ("missing.txt", "latin1.txt"):
        code, out, err = cli("hash", tmp_path / name)
        assert (code, out) == (2, "") and f"cannot read {tmp_path / name}" in err
        assert "Traceback" not in err
