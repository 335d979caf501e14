"""Published tables (Parquet + datapackage.json) built from the test fixture dataset, for the exporters."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fixtures import base_records, cite, write_dataset

from vn_la_security import build
from vn_la_security.validate import validate

SECOND_MEETING = "2024-08-28-courtesy-call-da-nang"


def explore_records() -> dict[str, dict[str, Any]]:
    """The base fixture plus a second meeting of another type, with text that needs diacritic folding
    (Đà Nẵng, Viên Chăn)."""
    records = base_records()
    records[f"meetings/2024/{SECOND_MEETING}.yaml"] = {
        "meeting_id": SECOND_MEETING, "date": "2024-08-28", "city": "Đà Nẵng", "country": "VN",
        "meeting_type": "courtesy_call", "title_en": "Courtesy call of the Lao minister",
        "summary_en": "The Lao minister, back from Viên Chăn, called on the ministry.",
        "cite": [*cite("Bộ trưởng Bộ Công an Lào"),
                 {"source": "test-source-2024-08-28", "quote": "Sáng 28/8, tại Đà Nẵng",
                  "quote_en": "On the morning of 28 August, in Đà Nẵng", "field": "date"}],
        "participants": [
            {"person_id": "vilay-lakhamphong", "org_id": "la-mps", "side": "LA", "role": "head_of_delegation",
             "cite": cite("Đại tướng Vilay Lakhamphong, Bộ trưởng Bộ Công an Lào")},
        ],
    }
    return records


def build_tables(root: Path, records: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write the records under ``root/data``, validate and publish them; returns the tables folder."""
    write_dataset(root, records)
    v = validate(root)
    assert not v.errors, v.errors
    build.publish(root, build.render(v.dataset, root))
    return root / build.TABLES_DIR
