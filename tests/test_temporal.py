"""The spell rule on small synthetic rows (precision, single-seat closing, disputed, open end) and the build step."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import yaml

from fixtures import cite
from vn_la_security import temporal
from vn_la_security.dates import parse_edtf
from vn_la_security.validate import validate


def fact(person, date, basis="attested", role="minister", org="la-mps", disputed=False, rank=None, demotion=False):
    g = parse_edtf(date)
    return SimpleNamespace(position_id=f"{person}-{basis}-{date}", rank_id=f"{person}-{rank}-{date}",
                           person_id=person, org_id=org, role=role, rank=rank, date=date, date_start=g.start,
                           date_end=g.end, date_precision=g.precision, basis=basis, disputed=disputed,
                           demotion=demotion)


def tenures(*facts):
    return {values["tenure_id"]: values for values, _ in temporal.tenure_rows(facts)}


D = dt.date


def test_year_precision_means_some_time_within():
    (t,) = tenures(fact("a", "2014", "started"), fact("a", "2014")).values()
    assert (t["possible_from"], t["possible_until"]) == (D(2014, 1, 1), D(2014, 12, 31))
    assert t["held_from"] is None and t["held_until"] is None     # no day of 2014 is certain
    assert temporal.certainty(t, D(2014, 2, 1)) == "possible"


def test_firm_bounds_run_from_latest_possible_start_to_earliest_possible_end():
    (t,) = tenures(fact("a", "2005", "started"), fact("a", "2010-03"), fact("a", "2014-05-17", "ended")).values()
    assert (t["start_basis"], t["end_basis"]) == ("started", "ended")
    assert (t["held_from"], t["held_until"]) == (D(2005, 12, 31), D(2014, 5, 17))
    assert (t["possible_from"], t["possible_until"]) == (D(2005, 1, 1), D(2014, 5, 17))
    assert temporal.certainty(t, D(2005, 6, 1)) == "possible" and temporal.certainty(t, D(2014, 5, 18)) is None


def test_open_end_stops_at_the_last_fact():
    (t,) = tenures(fact("a", "2020-02-10"), fact("a", "2023-08")).values()
    assert (t["start_basis"], t["end_basis"], t["n_facts"]) == ("first_attested", "open", 2)
    assert (t["held_until"], t["possible_until"]) == (D(2023, 8, 1), D(2023, 8, 31))


def test_next_holder_closes_a_single_seat():
    rows = tenures(fact("a", "2024"), fact("b", "2024-06-06", "started"), fact("b", "2025-01-12"))
    a, b = rows["a-minister-la-mps-2024"], rows["b-minister-la-mps-2024-06-06"]
    assert a["end_basis"] == "succeeded" and a["possible_until"] == D(2024, 6, 5) and a["end"] == "2024-06-06"
    assert b["end_basis"] == "open" and temporal.certainty(b, D(2024, 6, 6)) == "held"


def test_multi_seat_posts_are_not_closed_by_others():
    rows = tenures(fact("a", "2024", role="deputy_minister"), fact("b", "2024-06-06", "started", role="deputy_minister"))
    assert rows["a-deputy-minister-la-mps-2024"]["possible_until"] == D(2024, 12, 31)


def test_two_datings_of_one_start_are_one_disputed_spell():
    (t,) = tenures(fact("a", "2016-04-08", "started", disputed=True), fact("a", "2016-04-09", "started", disputed=True),
                   fact("a", "2020-01-01")).values()
    assert t["disputed"] and (t["possible_from"], t["held_from"]) == (D(2016, 4, 8), D(2016, 4, 9))


def test_a_new_start_after_an_end_opens_a_second_spell():
    rows = tenures(fact("a", "2001", "started"), fact("a", "2005-01-01", "ended"), fact("a", "2010-01-01", "started"))
    assert [t["end_basis"] for t in rows.values()] == ["ended", "open"]


def test_rank_spell_ends_where_a_higher_rank_begins_and_a_lower_one_is_disputed():
    rows = [v for v, _ in temporal.rank_spell_rows([
        fact("a", "2021-03", rank="colonel_general"), fact("a", "2021-11-25", "started", rank="general"),
        fact("a", "2022-06-20", rank="lieutenant_general", disputed=True), fact("a", "2024-08-27", rank="general")])]
    by_rank = {r["rank"]: r for r in rows}
    assert by_rank["colonel_general"]["end_basis"] == "last_attested"
    assert by_rank["general"]["end_basis"] == "open" and by_rank["general"]["n_facts"] == 2
    assert by_rank["lieutenant_general"]["disputed"] and len(rows) == 3


def test_overlapping_higher_rank_cuts_the_lower_spell():
    rows = {v["rank"]: v for v, _ in temporal.rank_spell_rows([
        fact("a", "2019", rank="major_general"), fact("a", "2019-06-01", "started", rank="lieutenant_general")])}
    assert rows["major_general"]["end_basis"] == "succeeded"
    assert rows["major_general"]["possible_until"] == D(2019, 5, 31)


def test_build_derives_tables_and_checks_names(root):
    org = root / "data/organizations/la-mps.yaml"
    rec = yaml.safe_load(org.read_text())
    v = validate(root)
    assert not v.errors
    (name,) = v.dataset.rows["organization_names"]
    assert (name.date, name.date_basis) == ("2024-08-28", "inferred")   # the source's publication date
    assert {m.level for m in v.dataset.rows["meetings"]} == {"ministerial"}
    assert {t.role for t in v.dataset.rows["tenures"]} == {"minister"}
    (conflict,) = v.dataset.rows["conflicts"]
    assert (conflict.claim_a, conflict.claim_b) == ("10 offices (cumulative 2024-08)", "12 offices (cumulative 2024-08-27)")
    assert {(p.agreement_id, p.org_id) for p in v.dataset.rows["agreement_parties"]} == {
        ("2024-08-27-cooperation-plan-2025", "vn-mps"), ("2024-08-27-cooperation-plan-2025", "la-mps")}
    cited = {(c.record_table, c.record_id) for c in v.dataset.rows["citations"]}
    assert all(("tenures", t.tenure_id) in cited for t in v.dataset.rows["tenures"])
    rec["names"][0]["name"] = "Bộ An ninh Lào"
    org.write_text(yaml.safe_dump(rec, allow_unicode=True))
    assert [d.code for d in validate(root).errors] == ["E800"]


@pytest.mark.parametrize(("change", "code"), [({"quantity_kind": None}, "W800"),
                                               ({"quantity": None, "quantity_kind": "cumulative"}, "E802")])
def test_quantity_kind_checks(root, change, code):
    path = root / "data/projects/village-offices.yaml"
    rec = yaml.safe_load(path.read_text())
    rec["updates"][0].update({"quantity_kind": "increment", **change})
    path.write_text(yaml.safe_dump(rec, allow_unicode=True))
    assert code in {d.code for d in validate(root).diagnostics}


def _publish(root):
    from vn_la_security import build

    v = validate(root)
    assert not v.errors, [str(d) for d in v.errors]
    build.publish(root, build.render(v.dataset, root))
    return str(root / build.TABLES_DIR)


def test_unknown_ids_and_shared_aliases_raise(root, monkeypatch_env):
    from vn_la_security import queries

    # a namesake (validation warns, W716; a shared alias would be an error, E714)
    other = root / "data/people/vilay-lakhamphong-2.yaml"
    other.write_text(yaml.safe_dump({"person_id": "vilay-lakhamphong-2", "name": "Vilay Lakhamphong",
                                     "country": "LA", "cite": cite("Vilay Lakhamphong, Phó Thủ tướng")},
                                    allow_unicode=True))
    monkeypatch_env(_publish(root))
    with pytest.raises(queries.AmbiguousNameError) as exc:
        queries.find_person("vilay lakhamphong")     # the name of two people: never silently one of them
    assert exc.value.candidates == ["vilay-lakhamphong", "vilay-lakhamphong-2"]
    assert queries.find_person("Vilay Lakhamfong") == "vilay-lakhamphong"   # an alias of one of them
    with pytest.raises(queries.UnknownIdError) as exc:
        queries.positions_on("luong-tam-quangg-x", "2024-08-27")
    assert isinstance(exc.value, LookupError) and "luong-tam-quang" in exc.value.closest
    with pytest.raises(queries.UnknownIdError):
        queries.holders_on("la-mos-nowhere", "minister", "2024-08-27")
    assert queries.holders_on("Bộ Công an Lào", "minister", dt.date(2024, 8, 27)) == [
        {"person_id": "vilay-lakhamphong", "certainty": "held",
         "tenure_id": "vilay-lakhamphong-minister-la-mps-2024-08-27"}]
