"""`yakbang stock`, `records`, `db` and `advise` keeping records, as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run

ADVISE = ("advise", "--age", "2", "--sex", "male", "--weight", "12", "--today", "2026-11-29",
          "--text", "cough and fast breathing, fever")


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'yakbang.db'}"
    monkeypatch.setenv("YAKBANG_DB", url)
    return url


def test_stock_received_dispensed_by_a_consultation_and_listed(run: Callable[..., Run]) -> None:
    r = run("stock", "receive", "amoxicillin", "dispersible tablet", "250 mg", "100",
            "--expiry", "2027-06-30", "--today", "2026-11-29")
    assert r.code == 0, r.err
    data = run(*ADVISE, "--area", "Hyesan", "--dispense", "--json").json()
    assert data["record"]["dispensed"] and data["record"]["dispensed"][0]["units"] > 0
    given = data["record"]["dispensed"][0]["units"]
    listed = run("stock", "list", "--today", "2026-11-29", "--json").json()
    assert [b["quantity"] for b in listed["balances"]] == [100 - given]
    records = run("records", "list", "--json").json()
    assert [(r["area"], r["top_condition"]) for r in records] == [("Hyesan", data["conditions"][0]["id"])]


def test_advise_without_no_save_keeps_a_record_and_with_it_none(run: Callable[..., Run]) -> None:
    assert run(*ADVISE, "--no-save").code == 0
    assert run("records", "list", "--json").json() == []
    assert run(*ADVISE).code == 0
    assert len(run("records", "list", "--json").json()) == 1


def test_dispensing_more_than_the_balance_is_refused(run: Callable[..., Run]) -> None:
    run("stock", "receive", "paracetamol", "tablet", "500 mg", "10", "--expiry", "2027-01-01",
        "--today", "2026-11-29")
    r = run("stock", "dispense", "paracetamol", "11", "--today", "2026-11-29")
    assert r.code == 2 and "nothing was dispensed" in r.err
    listed = run("stock", "list", "--today", "2026-11-29", "--json").json()
    assert [b["quantity"] for b in listed["balances"]] == [10]


@pytest.mark.parametrize(("args", "message"), [
    (("stock", "receive", "--expiry", "2027-01-01", "--", "paracetamol", "tablet", "500 mg", "-5"),
     "more than 0"),
    (("stock", "receive", "Zorvexalin", "tablet", "500 mg", "5", "--expiry", "2027-01-01"), "not known"),
    (("stock", "receive", "paracetamol", "tablet", "500 mg", "5", "--expiry", "2020-01-01"), "expired"),
    (("stock", "receive", "paracetamol", "tablet", "500 mg", "5", "--expiry", "soon"), "not a date"),
    (("records", "show", "nope"), "no record"),
    (("records", "export", "--format", "xml"), "csv or json"),
])
def test_bad_input_is_one_line_and_exit_2(run: Callable[..., Run], args: tuple[str, ...],
                                          message: str) -> None:
    r = run(*args)
    assert r.code == 2 and message in r.err and "Traceback" not in r.err


def test_import_reports_the_bad_line_and_export_round_trips(run: Callable[..., Run], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("medicine,form,strength,quantity,expiry\namoxicillin,capsule,250 mg,10,2027-01-01\n"
                   "paracetamol,tablet,500 mg,lots,2027-01-01\n", encoding="utf-8")
    r = run("stock", "import", str(bad), "--today", "2026-11-29")
    assert r.code == 2 and "line 3" in r.err
    assert run("stock", "list", "--json").json()["balances"] == []
    good = tmp_path / "good.csv"
    good.write_text("medicine,form,strength,quantity,expiry\namoxicillin,capsule,250 mg,10,2027-01-01\n",
                    encoding="utf-8")
    assert run("stock", "import", str(good), "--today", "2026-11-29").code == 0
    out = tmp_path / "out.csv"
    assert run("stock", "export", str(out)).code == 0
    assert out.read_text(encoding="utf-8").splitlines()[1] == "amoxicillin,capsule,250 mg,10,2027-01-01"


def test_records_export_json_names_nobody(run: Callable[..., Run]) -> None:
    run(*ADVISE[:-1], "my son Kim Chol-su, 2 years, cough and fast breathing", "--area", "Musan")
    exported = run("records", "export", "--format", "json")
    assert exported.code == 0
    rows = json.loads(exported.out)
    assert rows[0]["area"] == "Musan"
    assert "Kim" not in exported.out and "Chol" not in exported.out


def test_db_upgrade_says_where(run: Callable[..., Run], database: str) -> None:
    r = run("db", "upgrade")
    assert r.code == 0 and "up to date" in r.out


def test_wipe_asks_first_and_a_wrong_passphrase_is_exit_2(run: Callable[..., Run], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YAKBANG_DB", f"sqlite:///{tmp_path / 'enc.db'}")
    monkeypatch.setenv("YAKBANG_PASSPHRASE", "correct horse battery")
    assert run("db", "init", "--encrypt").code == 0
    monkeypatch.setenv("YAKBANG_PASSPHRASE", "wrong one!")
    r = run("stock", "list")
    assert r.code == 2 and "wrong passphrase" in r.err
    assert run("wipe", "--yes").code == 0
    assert not (tmp_path / "enc.db").exists() and not (tmp_path / "enc.db.key").exists()


def test_consult_keeps_a_record_with_its_area(run: Callable[..., Run],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["1.5", "male", "cough and fast breathing", *(["n"] * 30)])
    monkeypatch.setattr("rich.prompt.Prompt.ask", lambda *a, **k: next(answers))
    r = run("consult", "--lang", "en", "--max-questions", "3", "--area", "Hoeryong")
    assert r.code == 0, r.err
    assert "record kept" in r.out
    records = run("records", "list", "--json").json()
    assert [(x["area"], x["age_months"]) for x in records] == [("Hoeryong", 18)]


def test_transfer_and_expire_from_the_command_line(run: Callable[..., Run]) -> None:
    run("stock", "receive", "paracetamol", "tablet", "500 mg", "30", "--expiry", "2026-12-31",
        "--today", "2026-11-29")
    item = run("stock", "list", "--json").json()["balances"][0]["item"]
    assert run("stock", "transfer", item[:13], "10", "--to", "village-2").code == 0
    places = {b["location"]: b["quantity"] for b in run("stock", "list", "--json").json()["balances"]}
    assert places == {"main": 20, "village-2": 10}
    r = run("stock", "expire", "--today", "2027-01-02")
    assert r.code == 0 and "expired: 20" in r.out
    assert run("stock", "list", "--json").json()["balances"] == []
