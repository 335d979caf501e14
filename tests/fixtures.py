"""A small, valid dataset written as YAML files: the base that tests mutate."""
from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]

QUOTE_SOURCE_TEXT = (
    "Chiều 27/8, tại Thủ đô Vientiane, Đại tướng Lương Tam Quang, Bộ trưởng Bộ Công an, hội đàm với "
    "Đại tướng Vilay Lakhamphong, Bộ trưởng Bộ Công an Lào. Hai bên ký Kế hoạch hợp tác năm 2025. "
    "Bộ Công an Việt Nam bàn giao 10 trụ sở cho Bộ Công an Lào. Đến nay đã bàn giao 12 trụ sở. "
    "Đại tướng Vilay Lakhamfong (Vi-lay Lạ-khăm-phong) phát biểu tại hội đàm. "
    "Sáng 28/8, tại Đà Nẵng, hai bên bàn về Dự án hệ thống quản lý dân cư và căn cước công dân. "
    "Thượng tướng Nguyễn Duy Ngọc dự hội đàm. Một bản tin khác ghi Trung tướng Vilay Lakhamphong."
)


#: the first lines of a child process's script that runs the CLI on a fixture dataset (see conftest.py)
CHILD_PRELUDE = "from vn_la_security import fingerprint; fingerprint.REQUIRE = False  # fixture: no fingerprint"

#: the archive folder CI names for the repository's own data (read once, before any test clears the variable)
REPO_ARCHIVE = os.environ.get("VN_LA_SECURITY_ARCHIVE")

def cite(quote: str, source: str = "test-source-2024-08-28") -> list[dict[str, Any]]:
    """One cite item; the test source is Vietnamese, so it carries a (stand-in) English rendering (E716)."""
    return [{"source": source, "quote": quote, "quote_en": f"[en] {quote}"}]


def cite_stating(*values: str, source: str = "test-source-2024-08-28") -> list[dict[str, Any]]:
    """A cite whose quote states each value (an ISO day as 'ngày D/M'), for records added by tests that check
    something else. Only a fingerprint or --archive looks a quote up in its source's text."""
    said = [f"ngày {int(v[8:])}/{int(v[5:7])}" if re.fullmatch(r"\d{4}-\d\d-\d\d", v) else v for v in values]
    return cite("Bài báo viết: " + ", ".join(said), source)


def base_records() -> dict[str, dict[str, Any]]:
    """Relative path under data/ → record mapping."""
    from vn_la_security.provenance import text_sha256

    return {
        "outlets/test-news.yaml": {
            "outlet_id": "test-news", "name": "Test News", "country": "VN", "language": "vi",
            "outlet_type": "newspaper", "url": "https://example.org/",
        },
        "sources/test-source-2024-08-28.yaml": {
            "source_id": "test-source-2024-08-28", "title": "Hội đàm Bộ Công an hai nước", "publisher": "Test News",
            "outlet_id": "test-news",
            "url": "https://example.org/a", "url_status": "original", "published": "2024-08-28", "language": "vi",
            "text_sha256": text_sha256(QUOTE_SOURCE_TEXT), "archive_name": "article.txt",
        },
        "organizations/vn-mps.yaml": {
            "org_id": "vn-mps", "name_vi": "Bộ Công an Việt Nam", "name_en": "Ministry of Public Security of Viet Nam",
            "country": "VN", "org_type": "ministry", "cite": cite("Bộ Công an Việt Nam bàn giao 10 trụ sở"),
        },
        "organizations/la-mps.yaml": {
            "org_id": "la-mps", "name_vi": "Bộ Công an Lào", "name_en": "Ministry of Public Security of Laos",
            "country": "LA", "org_type": "ministry", "cite": cite("Bộ trưởng Bộ Công an Lào"),
            "names": [{"name": "Bộ Công an Lào", "language": "vi", "cite": cite("Bộ trưởng Bộ Công an Lào")}],
        },
        "people/luong-tam-quang.yaml": {
            "person_id": "luong-tam-quang", "name": "Lương Tam Quang", "country": "VN",
            "cite": cite("Đại tướng Lương Tam Quang, Bộ trưởng Bộ Công an"),
        },
        "people/vilay-lakhamphong.yaml": {
            "person_id": "vilay-lakhamphong", "name": "Vilay Lakhamphong", "country": "LA",
            "aliases": ["Vilay Lakhamfong", "Vi-lay Lạ-khăm-phong"],
            "cite": [*cite("Đại tướng Vilay Lakhamphong, Bộ trưởng Bộ Công an Lào"),
                     {"source": "test-source-2024-08-28", "quote": "Đại tướng Vilay Lakhamfong (Vi-lay Lạ-khăm-phong)",
                      "quote_en": "General Vilay Lakhamfong (Vi-lay Lạ-khăm-phong)", "field": "aliases"}],
        },
        "meetings/2024/2024-08-27-talks-vientiane.yaml": {
            "meeting_id": "2024-08-27-talks-vientiane", "date": "2024-08-27", "city": "Vientiane", "country": "LA",
            "meeting_type": "talks", "title_en": "Talks of the two ministries", "summary_en": "The ministers met.",
            "cite": cite("Chiều 27/8, tại Thủ đô Vientiane"),
            "participants": [
                {"person_id": "luong-tam-quang", "org_id": "vn-mps", "side": "VN", "role": "head_of_delegation",
                 "title_as_written": "Bộ trưởng Bộ Công an", "rank": "general", "rank_label": "Đại tướng",
                 "positions": [{"org_id": "vn-mps", "role": "minister", "role_label": "Bộ trưởng Bộ Công an"}],
                 "cite": cite("Đại tướng Lương Tam Quang, Bộ trưởng Bộ Công an")},
                {"person_id": "vilay-lakhamphong", "org_id": "la-mps", "side": "LA", "role": "head_of_delegation",
                 "title_as_written": "Bộ trưởng Bộ Công an Lào", "rank": "general", "rank_label": "Đại tướng",
                 "positions": [{"org_id": "la-mps", "role": "minister", "role_label": "Bộ trưởng Bộ Công an Lào"}],
                 "cite": cite("Đại tướng Vilay Lakhamphong, Bộ trưởng Bộ Công an Lào")},
            ],
        },
        "agreements/2024-08-27-cooperation-plan-2025.yaml": {
            "agreement_id": "2024-08-27-cooperation-plan-2025", "title_vi": "Kế hoạch hợp tác năm 2025",
            "title_en": "Cooperation plan 2025", "agreement_type": "cooperation_plan", "signed": "2024-08-27",
            "meeting_id": "2024-08-27-talks-vientiane", "period_start": 2025, "period_end": 2025,
            "cite": [*cite("Hai bên ký Kế hoạch hợp tác năm 2025"),
                     {"source": "test-source-2024-08-28", "quote": "Chiều 27/8, tại Thủ đô Vientiane",
                      "quote_en": "On the afternoon of 27 August, in the capital Vientiane", "field": "signed"}],
            "signatories": [{"person_id": "luong-tam-quang", "org_id": "vn-mps", "cite": cite("Hai bên ký Kế hoạch hợp tác năm 2025")}],
            "parties": ["vn-mps", "la-mps"],
        },
        "projects/village-offices.yaml": {
            "project_id": "village-offices", "name_vi": "trụ sở", "name_en": "Village police offices",
            "project_type": "construction", "funder_org_id": "vn-mps", "beneficiary_org_id": "la-mps",
            "cite": cite("Bộ Công an Việt Nam bàn giao 10 trụ sở cho Bộ Công an Lào"),
            "updates": [{"date": "2024-08", "status": "handed_over", "quantity": 10, "unit": "offices",
                         "quantity_kind": "cumulative",
                         "cite": cite("Bộ Công an Việt Nam bàn giao 10 trụ sở cho Bộ Công an Lào")},
                        # a running total that disagrees with the one above: a published conflict
                        {"update_id": "village-offices-total-2024-08-27", "date": "2024-08-27",
                         "status": "handed_over", "quantity": 12, "unit": "offices", "quantity_kind": "cumulative",
                         "cite": cite("Đến nay đã bàn giao 12 trụ sở")
                         + [{"source": "test-source-2024-08-28", "quote": "Chiều 27/8, tại Thủ đô Vientiane",
                             "quote_en": "On the afternoon of 27 August, in the capital Vientiane", "field": "date"}]}],
        },
    }


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(record: dict[str, Any]) -> str:
    return yaml.dump(record, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False)


def write_dataset(root: Path, records: dict[str, dict[str, Any]] | None = None) -> Path:
    records = base_records() if records is None else records
    for rel, record in records.items():
        path = root / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(record), encoding="utf-8")
    return root


def write_archive(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(QUOTE_SOURCE_TEXT, encoding="utf-8")
    return folder


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chromium_or_skip() -> str:
    """The Chromium binary for the browser tests; without one they skip, unless VN_LA_SECURITY_BROWSER_TESTS=1
    (set by .ci/run, which installs Chromium) makes a missing browser a failure."""
    import os
    import shutil

    import pytest

    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):   # Debian; GitHub runners
        if found := shutil.which(name):
            return found
    if os.environ.get("VN_LA_SECURITY_BROWSER_TESTS") == "1":
        pytest.fail("Chromium is required (VN_LA_SECURITY_BROWSER_TESTS=1): apt-get install chromium")
    pytest.skip("needs chromium (apt-get install chromium)", allow_module_level=True)
