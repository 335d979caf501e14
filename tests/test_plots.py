"""Charts: what each chart counts (no matplotlib needed) and the files `vn-la-security plot` writes."""
from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fixture_tables import build_tables, explore_records

from vn_la_security import plots
from vn_la_security.cli import main

D = dt.date


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory) -> Path:
    return build_tables(tmp_path_factory.mktemp("pkg"), explore_records())


def rows(tables_dir: Path, name: str) -> list[dict]:
    return pq.read_table(tables_dir / f"{name}.parquet").to_pylist()


def fact(basis: str, day: D, rank: str = "general", end: D | None = None) -> dict:
    return {"basis": basis, "date_start": day, "date_end": end or day, "rank": rank}


def test_timeline_counts_meetings_by_year_and_type_and_signings(tables_dir):
    t = plots.timeline_data(rows(tables_dir, "meetings"), rows(tables_dir, "agreements"))
    assert t.years == [2024]
    assert t.by_type == {"talks": [1], "courtesy_call": [1]}
    assert t.signings == {2024: 1}


def test_timeline_years_are_contiguous():
    meetings = [{"date_start": D(2019, 5, 1), "meeting_type": "talks"},
                {"date_start": D(2022, 1, 1), "meeting_type": "talks"},
                {"date_start": D(2022, 3, 1), "meeting_type": "conference"}]
    agreements = [{"signed_start": D(2018, 1, 1)}, {"signed_start": None}]
    t = plots.timeline_data(meetings, agreements)
    assert t.years == [2018, 2019, 2020, 2021, 2022]
    assert t.by_type == {"talks": [0, 1, 0, 0, 1], "conference": [0, 0, 0, 0, 1]}
    assert t.signings == {2018: 1}


def test_rank_spells_merge_runs_of_the_same_rank():
    spells = plots.rank_spells([
        fact("attested", D(2020, 1, 1), "colonel_general"), fact("attested", D(2021, 6, 1), "colonel_general"),
        fact("started", D(2022, 1, 1), "general"), fact("attested", D(2023, 1, 1), "general", D(2023, 12, 31)),
    ])
    assert [(s.label, s.start, s.end) for s in spells] == [
        ("colonel_general", D(2020, 1, 1), D(2021, 6, 1)), ("general", D(2022, 1, 1), D(2023, 12, 31))]


def test_post_spells_close_at_an_end():
    spells = plots.post_spells([fact("started", D(2016, 4, 1)), fact("attested", D(2018, 1, 1)),
                                fact("ended", D(2019, 1, 1)), fact("attested", D(2021, 1, 1))])
    assert [(s.start, s.end) for s in spells] == [(D(2016, 4, 1), D(2019, 1, 1)), (D(2021, 1, 1), D(2021, 1, 1))]


def test_careers_pick_the_best_documented(tables_dir):
    careers = plots.careers_data(rows(tables_dir, "people"), rows(tables_dir, "ranks"), rows(tables_dir, "positions"))
    assert {c.person_id for c in careers} == {"luong-tam-quang", "vilay-lakhamphong"}
    luong = next(c for c in careers if c.person_id == "luong-tam-quang")
    assert luong.name == "Lương Tam Quang" and [s.label for s in luong.ranks] == ["general"]
    assert list(luong.posts) == ["minister @ vn-mps"]
    assert len(plots.careers_data(rows(tables_dir, "people"), rows(tables_dir, "ranks"),
                                  rows(tables_dir, "positions"), max_people=1)) == 1


def test_network_links_people_who_met(tables_dir):
    net = plots.network_data(rows(tables_dir, "participants"), rows(tables_dir, "people"))
    assert net.edges == {("luong-tam-quang", "vilay-lakhamphong"): 1}
    assert net.nodes["vilay-lakhamphong"] == ("Vilay Lakhamphong", "LA", 2)   # both meetings
    assert net.nodes["luong-tam-quang"][2] == 1


def test_circular_layout_puts_nodes_on_the_unit_circle():
    pos = plots.circular_layout(["a", "b", "c", "d"])
    assert pos["a"] == pytest.approx((1.0, 0.0)) and pos["c"] == pytest.approx((-1.0, 0.0))
    assert all(abs(x * x + y * y - 1) < 1e-9 for x, y in pos.values())


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("chart", plots.CHARTS)
def test_cli_writes_each_chart(chart, tables_dir, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / f"{chart}.png"
    assert main(["plot", chart, "-o", str(out), "--tables", str(tables_dir)]) == 0
    width, height = _png_size(out)
    assert width >= 600 and height >= 300


def test_cli_plot_usage_errors(tables_dir, tmp_path, capsys):
    assert main(["plot", "timeline", "-o", str(tmp_path / "no" / "t.png"), "--tables", str(tables_dir)]) == 2
    assert main(["plot", "timeline", "-o", str(tmp_path / "t.png"), "--tables", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("vn-la-security: error:") == 2
