"""`advise` with weight, stock and medicines already taken: the treatment section and bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run

HEADER = "medicine,form,strength,quantity,expiry\n"
PNEUMONIA = ["advise", "--age", "1.5", "--sex", "male", "--findings", "cough,fast_breathing,fever",
             "--today", "2026-11-29"]


def shelf(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "stock.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_pneumonia_12_kg_gets_who_amoxicillin_dose_from_the_shelf(
        run: Callable[..., Run], tmp_path: Path) -> None:
    stock = shelf(tmp_path, "amoxicillin,dispersible tablet,250 mg,100,2027-06-30")
    r = run(*PNEUMONIA, "--weight", "12", "--stock", stock, "--json")
    assert r.code == 0, r.err
    step = next(s for s in r.json()["treatment"]["steps"] if s["step"] == "antibiotic")
    give = step["give"]
    assert give["medicine"] == "amoxicillin" and give["from_stock"] and give["stock_line"] == 2
    dose = give["dose"]
    # WHO 2014: 40 mg/kg/dose twice daily for 5 days -> 480 mg -> two 250 mg tablets.
    assert (dose["units"], dose["unit"], dose["times_per_day"], dose["days"]) == (2, "tablet", 2, 5)


def test_text_output_shows_the_dose_in_tablets(run: Callable[..., Run], tmp_path: Path) -> None:
    stock = shelf(tmp_path, "amoxicillin,dispersible tablet,250 mg,100,2027-06-30")
    r = run(*PNEUMONIA, "--weight", "12", "--stock", stock)
    assert r.code == 0, r.err
    assert "2 tablets × 2" in r.out and "5 days" in r.out


def test_expired_first_choice_is_not_used(run: Callable[..., Run], tmp_path: Path) -> None:
    stock = shelf(tmp_path, "amoxicillin,dispersible tablet,250 mg,100,2025-01-31",
                  "paracetamol,tablet,500 mg,50,2028-01-01")
    r = run(*PNEUMONIA, "--weight", "12", "--stock", stock, "--json")
    assert r.code == 0, r.err
    treatment = r.json()["treatment"]
    step = next(s for s in treatment["steps"] if s["step"] == "antibiotic")
    assert step["give"] is None
    assert step["get"]["medicine"] == "amoxicillin"
    assert any(w["key"] == "expired_stock" for w in treatment["warnings"])


@pytest.mark.parametrize(("lines", "fragment"), [
    (["amoxicillin,dispersible tablet,250 mg,-5,2027-06-30"], "must be 0 or more"),
    (["amoxicillin,dispersible tablet,250 furlongs,10,2027-06-30"], "strength"),
    (["amoxicillin,tablet,250 mg/5 mL,10,2027-06-30"], "per unit"),
    (["snake oil,tablet,250 mg,10,2027-06-30"], "not known"),
    (["amoxicillin,potion,250 mg,10,2027-06-30"], "form"),
    (["amoxicillin,dispersible tablet,250 mg,10,30/06/2027"], "expiry"),
    (["amoxicillin,dispersible tablet,250 mg,10,2020-06-30"], "expired"),
])
def test_bad_stock_files_exit_2_with_the_line(run: Callable[..., Run], tmp_path: Path,
                                             lines: list[str], fragment: str) -> None:
    r = run(*PNEUMONIA, "--weight", "12", "--stock", shelf(tmp_path, *lines))
    assert r.code == 2
    assert fragment in r.err and r.out == ""


def test_impossible_weight_exits_2(run: Callable[..., Run]) -> None:
    r = run(*PNEUMONIA, "--weight", "70")
    assert r.code == 2 and "not possible" in r.err and r.out == ""


def test_unknown_medicine_taken_exits_2(run: Callable[..., Run]) -> None:
    r = run(*PNEUMONIA, "--taking", "zzqx tonic")
    assert r.code == 2 and "not known" in r.err


def test_cold_gets_no_antibiotic(run: Callable[..., Run]) -> None:
    r = run("advise", "--age", "4", "--sex", "female", "--text",
            "runny nose, sneezing and a mild cough for two days, still playing", "--json")
    assert r.code == 0, r.err
    treatment = r.json()["treatment"]
    assert treatment["condition"] == "common_cold"
    assert not any(s["give"]["antibiotic"] for s in treatment["steps"] if s["give"])
    assert treatment["no_antibiotic"]


def test_what_to_get_is_said_in_korean_words(run: Callable[..., Run], tmp_path: Path) -> None:
    shelf = tmp_path / "shelf.csv"
    shelf.write_text("medicine,form,strength,quantity,expiry\n"
                     "amoxicillin,dispersible tablet,250 mg,100,2030-06-30\n", encoding="utf-8")
    r = run("advise", "--age", "2", "--sex", "male", "--weight", "12", "--stock", str(shelf), "--no-save",
            "--text", "기침하고 숨을 빨리 쉬어요, 열이 나요", "--json")
    texts = [s["message"]["text"] for s in r.json()["treatment"]["steps"] if s["message"]]
    assert texts and all("dispersible" not in t for t in texts), texts
