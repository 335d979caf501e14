"""A clean validate/build prints a short summary; --verbose prints every warning."""
from __future__ import annotations

import yaml

from fixtures import base_records, cite, write_dataset


def _with_a_disagreement(root):
    """Two sources give Lương Tam Quang different ranks on the same day: kept, marked disputed (W210)."""
    records = base_records()
    person = records["people/luong-tam-quang.yaml"]
    person["ranks"] = [
        {"rank": "general", "rank_label": "Đại tướng", "date": "2024-08-27", "basis": "attested", "disputed": True,
         "cite": cite("Chiều 27/8, Đại tướng Lương Tam Quang")},
        {"rank": "colonel_general", "rank_label": "Thượng tướng", "date": "2024-08-27", "basis": "attested",
         "disputed": True, "rank_id": "luong-tam-quang-colonel-general-other",
         "cite": cite("Chiều 27/8, Thượng tướng Lương Tam Quang")},
    ]
    write_dataset(root, records)
    return root


def test_validate_counts_acknowledged_disagreements_instead_of_printing_them(tmp_path, cli):
    root = _with_a_disagreement(tmp_path)
    code, out, err = cli("validate", "--root", root)
    assert code == 0 and out == ""
    assert "acknowledged disagreements between sources — see `vn-la-security conflicts`" in err
    code, out, err = cli("validate", "--root", root, "--verbose")
    assert code == 0 and "W210" in out and "acknowledged" not in err


def test_errors_are_always_printed_and_warnings_only_counted(tmp_path, cli):
    root = _with_a_disagreement(tmp_path)
    path = root / "data" / "projects" / "village-offices.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["project_type"] = "building"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    code, out, err = cli("validate", "--root", root)
    assert code == 1 and "E103" in out and "W210" not in out and "acknowledged" in err
    code, out, _ = cli("validate", "--root", root, "--format", "json")
    assert '"W210"' in out                    # machine formats keep everything
