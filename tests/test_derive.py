"""Rows are derived generically: a column is taken from the record field of the same name."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pydantic import Field

from vn_la_security import models
from vn_la_security.derive import row_values

MEETING = {"meeting_id": "2024-08-27-talks-vientiane", "date": "2024-08", "country": "LA", "meeting_type": "talks",
           "title_en": "Talks", "summary_en": "The ministers met.", "cite": [{"source": "s", "quote": "q"}]}


def test_row_takes_fields_by_name_and_derives_the_date_group():
    row = row_values("meetings", models.MeetingRecord.model_validate(MEETING))
    assert set(row) == set(models.MeetingRow.model_fields)
    assert (row["meeting_id"], row["title_en"], row["city"]) == ("2024-08-27-talks-vientiane", "Talks", None)
    assert (row["date_start"], row["date_end"], row["date_precision"], row["date_basis"]) == (
        dt.date(2024, 8, 1), dt.date(2024, 8, 31), "month", "printed")


def test_a_field_added_to_a_record_and_its_row_is_published(monkeypatch):
    class Record(models.MeetingRecord):
        venue: models.Text | None = None

    class Row(models.MeetingRow):
        venue: str | None = Field(None, description="building")

    monkeypatch.setitem(models.TABLES, "meetings", dataclasses.replace(models.TABLES["meetings"], row=Row))
    assert row_values("meetings", Record.model_validate({**MEETING, "venue": "Ministry HQ"}))["venue"] == "Ministry HQ"


def test_derived_values_win_and_a_missing_required_column_is_an_error():
    update = models.ProjectUpdate.model_validate({"date": "2024-08", "status": "planned",
                                                  "cite": [{"source": "s", "quote": "q"}]})
    row = row_values("project_updates", update, update_id="u", project_id="p", date_basis="inferred")
    assert (row["update_id"], row["project_id"], row["date_basis"], row["quantity"]) == ("u", "p", "inferred", None)
    with pytest.raises(KeyError, match="project_updates.project_id"):
        row_values("project_updates", update, update_id="u")
