"""`yakbang identify`: the issue's worked examples and bad input, through the real entry point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run


def _ingredients(data: dict[str, Any]) -> dict[str, float | None]:
    best = data["candidates"][0]
    return {i["inn"]: i["amount"] for i in best["ingredients"]}


@pytest.mark.parametrize(("query", "want", "form"), [
    ("阿莫西林胶囊 0.25g", {"amoxicillin": 250.0}, "capsule"),
    ("левомицетин", {"chloramphenicol": None}, None),
    ("扑热息痛", {"paracetamol": None}, None),
    ("타이레놀 500", {"paracetamol": 500.0}, None),
    ("感冒灵", {"paracetamol": 200.0, "chlorphenamine": 4.0, "caffeine": 4.0}, None),
])
def test_the_issue_examples_resolve(run: Callable[..., Run], query: str,
                                    want: dict[str, float | None], form: str | None) -> None:
    r = run("identify", "name", query, "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["status"] == "identified"
    got = _ingredients(data)
    assert set(got) == set(want)
    for inn, amount in want.items():
        if amount is not None:
            assert got[inn] == pytest.approx(amount)
    if form is not None:
        assert data["candidates"][0]["form"] == form
    assert data["candidates"][0]["reasons"], "every candidate says why"


def test_check_warns_of_paracetamol_in_both(run: Callable[..., Run]) -> None:
    r = run("identify", "check", "타이레놀", "感冒灵", "--json")
    assert r.code == 0, r.err
    data = r.json()
    dup = [d for d in data["duplicates"] if d["inn"] == "paracetamol"]
    assert len(dup) == 1 and len(dup[0]["in"]) == 2
    assert dup[0]["max_daily_mg"] == pytest.approx(4000)
    assert data["safe_to_combine"] is False
    text = run("identify", "check", "타이레놀", "感冒灵", "--lang", "en")
    assert "paracetamol is in 2 of these" in text.out


def test_check_of_unrelated_products_has_no_duplicate(run: Callable[..., Run]) -> None:
    data = run("identify", "check", "amoxicillin 250 mg", "타이레놀 500", "--json").json()
    assert data["duplicates"] == []
    assert data["unknown"] == []


def test_check_needs_two_names(run: Callable[..., Run]) -> None:
    r = run("identify", "check", "타이레놀")
    assert r.code == 2 and "two or more" in r.err


@pytest.mark.parametrize(("query", "message"), [
    ("", "empty"),
    ("   ", "empty"),
    ("500mg", "only a strength"),
    ("0.25g*24粒", "only a strength"),
    ("!!!", "no name"),
])
def test_bad_queries_give_one_clear_line(run: Callable[..., Run], query: str, message: str) -> None:
    r = run("identify", "name", query)
    assert r.code == 2
    assert message in r.err
    assert "Traceback" not in r.err


def test_an_unknown_brand_is_not_guessed(run: Callable[..., Run]) -> None:
    data = run("identify", "name", "Zorvexalin Forte 250 tablets", "--json").json()
    assert data["status"] == "unknown"
    assert data["candidates"] == []
    assert "Do not take" in data["advice"]


def test_a_drink_is_not_a_medicine(run: Callable[..., Run]) -> None:
    data = run("identify", "name", "红牛功能饮料", "--json").json()
    assert data["status"] == "not_medicine"
    assert data["candidates"] == []


def test_korean_queries_answer_in_korean(run: Callable[..., Run]) -> None:
    r = run("identify", "name", "타이레놀 500")
    assert "찾았습니다" in r.out


def test_pill_needs_something_to_search_by(run: Callable[..., Run]) -> None:
    r = run("identify", "pill")
    assert r.code == 2 and "imprint" in r.err


def test_pill_unknown_colour_is_refused(run: Callable[..., Run]) -> None:
    r = run("identify", "pill", "--imprint", "A1", "--color", "sparkly")
    assert r.code == 2 and "colour 'sparkly' is not known" in r.err


def test_register_round_trip_and_bad_rows(run: Callable[..., Run], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YAKBANG_HOME", str(tmp_path / "home"))
    r = run("identify", "register", "--name", "Paracetamol 500 (test maker)",
            "--ingredients", "paracetamol 500", "--imprint", "ZQ 77", "--back", "blank",
            "--color", "흰색", "--shape", "둥근", "--score", "1")
    assert r.code == 0, r.err
    found = run("identify", "pill", "--imprint", "2Q 77", "--color", "white", "--json").json()
    assert found["candidates"][0]["name"] == "Paracetamol 500 (test maker)"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,ingredients,imprint_front,imprint_back,shape,colours\n"
                   "Good one,ibuprofen 200,IB 200,,round,white\n"
                   "No imprint,ibuprofen 200,,,round,white\n", encoding="utf-8")
    r = run("identify", "register", "--import", str(bad))
    assert r.code == 2 and "line 3" in r.err and "no imprint" in r.err
    colour = tmp_path / "colour.csv"
    colour.write_text("name,ingredients,imprint_front,imprint_back,shape,colours\n"
                      "Odd,ibuprofen 200,IB 200,,round,sparkly\n", encoding="utf-8")
    r = run("identify", "register", "--import", str(colour))
    assert r.code == 2 and "line 2" in r.err and "sparkly" in r.err
    out = tmp_path / "out.csv"
    assert run("identify", "register", "--export", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("\n") == 2, "only the good registered row: bad files changed nothing"
    assert "ZQ 77" in text and "IB 200" not in text


def test_check_reports_interactions_and_same_class(run: Callable[..., Run]) -> None:
    data = run("identify", "check", "红霉素肠溶片", "simvastatin 20 mg", "--json").json()
    assert [i["severity"] for i in data["interactions"]] == ["avoid"]
    assert "simvastatin" in data["interactions"][0]["advice"]
    nsaids = run("identify", "check", "Advil", "Аспирин 500", "--json").json()
    assert [s["class"] for s in nsaids["same_class"]] == ["nsaid"]
    assert nsaids["safe_to_combine"] is False


def test_check_says_an_unknown_product_cannot_be_checked(run: Callable[..., Run]) -> None:
    data = run("identify", "check", "타이레놀", "Zorvexalin Forte", "--json").json()
    assert data["unknown"] == ["Zorvexalin Forte"]
    assert data["safe_to_combine"] is False


def test_pill_colours_with_shades_in_other_languages(run: Callable[..., Run]) -> None:
    data = run("identify", "pill", "--imprint", "CG", "--color", "淡黄色", "--shape", "круглая",
               "--json").json()
    assert data["candidates"][0]["id"] == "coartem_20_120"
    assert "never proof" in data["advice"]


def test_a_poison_says_go_now(run: Callable[..., Run]) -> None:
    data = run("identify", "name", "百草枯", "--json").json()
    assert data["status"] == "not_medicine" and data["not_medicine"]["kind"] == "poison"
    assert "poison" in data["advice"] and "now" in data["advice"]
