"""`vn-la-security diff` shows what changed inside a long value, not the first 80 characters of it."""
from __future__ import annotations

from vn_la_security.diffing import change_line

LONG = ("Bộ trưởng Tô Lâm tiếp Thứ trưởng Bộ An ninh Lào Kongthong Phongvichit cùng Đoàn đại biểu cấp cao sang dự "
        "Hội nghị hợp tác An ninh Việt Nam - Lào lần thứ IX tại Hà Nội ngày 15 tháng 5")


def test_an_alias_added_at_the_end_of_a_long_list_is_named():
    old = [f"Spelling number {i} of a long name" for i in range(6)]
    line = change_line("aliases", old, old + ["Vi-lay Lạ-khăm-phong"])
    assert line == "  - `aliases`: added `Vi-lay Lạ-khăm-phong`"
    assert "removed `Spelling number 2 of a long name`" in change_line("aliases", old, old[:2] + old[3:])


def test_a_change_late_in_a_long_text_is_shown_with_its_context():
    line = change_line("summary_en", LONG, LONG.replace("lần thứ IX", "lần thứ X"))
    old, new = line.split("`: ", 1)[1].split(" → ")
    assert "lần thứ IX" in old and "lần thứ X tại" in new and "lần thứ IX" not in new
    assert old.startswith("`…") and len(old) < len(LONG)    # context, not the whole text
    appended = change_line("note", LONG, LONG + " (VOV).")
    assert appended.endswith("tháng 5 (VOV).`") and "Bộ trưởng Tô Lâm" not in appended


def test_short_values_are_shown_whole():
    assert change_line("city", "Hanoi", "Vientiane") == "  - `city`: `Hanoi` → `Vientiane`"
    assert change_line("session", None, 9) == "  - `session`: — → `9`"
