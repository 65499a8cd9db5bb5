"""The command line as a user meets it: results, help, and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from yakbang.cli.main import app

from .conftest import Run

RunFn = Callable[..., Run]


def test_advise_json_has_triage_conditions_and_reasons(run: RunFn) -> None:
    r = run("advise", "--age", "18", "--sex", "male", "--text",
            "severe headache, fever, stiff neck", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["triage"] == "emergency"
    assert data["conditions"][0]["id"] == "meningitis"
    assert data["urgency_reasons"]
    assert {"present", "absent", "not_understood"} <= set(data["understood"])


def test_advise_text_output_in_korean(run: RunFn) -> None:
    r = run("advise", "--age", "3", "--sex", "female", "--text", "기침하고 열이 나요")
    assert r.code == 0, r.err
    assert "알아들은 것" in r.out


def test_advise_with_finding_ids(run: RunFn) -> None:
    r = run("advise", "--age-months", "7", "--sex", "female", "--findings",
            "cough,fast_breathing,chest_indrawing", "--json")
    assert r.code == 0, r.err
    assert r.json()["triage"] == "emergency"


@pytest.mark.parametrize(("args", "needle"), [
    (["advise", "--age", "-1", "--sex", "male", "--text", "fever"], "age"),
    (["advise", "--age", "130", "--sex", "male", "--text", "fever"], "120"),
    (["advise", "--age", "30", "--sex", "male", "--pregnant", "--text", "fever"], "pregnant"),
    (["advise", "--age", "3", "--sex", "male", "--findings", "no_such_finding"], "no_such_finding"),
    (["advise", "--age", "3", "--sex", "male", "--text", "fever", "--lang", "fr"], "fr"),
    (["advise", "--age", "3", "--sex", "male", "--findings", "fever", "--absent", "fever"], "fever"),
    (["advise", "--age", "3", "--sex", "robot", "--text", "fever"], "robot"),
    (["advise", "--sex", "male", "--text", "fever"], "age"),
    (["advise", "--age", "3", "--sex", "male", "--text", "   "], "empty"),
    (["advise", "--age", "3", "--sex", "male", "--text", "🙂🙂 !!!"], "only numbers, punctuation or symbols"),
    (["advise", "--age", "3", "--sex", "male", "--text", "у ребёнка жар"], "Cyrillic"),
    (["advise", "--age", "3", "--sex", "male", "--text", "孩子发烧"], "Cjk"),
    (["advise", "--age", "3", "--sex", "male", "--text", "blah qwerty zzz"], "understood"),
    (["advise", "--age", "3", "--sex", "male", "--text", "x" * 5001], "5000"),
    (["kb", "show", "no_such_entry"], "no_such_entry"),
])
def test_bad_input_is_one_clear_line_exit_2(run: RunFn, args: list[str], needle: str) -> None:
    r = run(*args)
    assert r.code == 2, (r.out, r.err)
    assert "Traceback" not in r.err
    lines = [line for line in r.err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], r.err


@pytest.mark.parametrize("content", ["", "{}", "[]", "not json", '[{"id": "x"}]',
                                     '[{"id": "a", "age_years": -3, "sex": "male", '
                                     '"expected": {"icd10": ["J00"], "triage": "self_care"}}]'])
def test_malformed_vignette_files_exit_2(run: RunFn, tmp_path: Path, content: str) -> None:
    f = tmp_path / "v.json"
    f.write_text(content)
    r = run("eval", str(f))
    assert r.code == 2, (r.out, r.err)
    assert "Traceback" not in r.err and str(f) in r.err


def test_missing_vignette_file_exits_2(run: RunFn, tmp_path: Path) -> None:
    r = run("eval", str(tmp_path / "nope.json"))
    assert r.code == 2 and "does not exist" in r.err


def test_eval_json_format(run: RunFn, tmp_path: Path) -> None:
    f = tmp_path / "v.json"
    f.write_text(json.dumps([{
        "id": "c1", "age_years": 30, "sex": "female", "language": "en",
        "complaint": "runny nose and sneezing", "present": ["mild sore throat"], "absent": [],
        "history": [], "expected": {"icd10": ["J00"], "triage": "self_care"}}]))
    r = run("eval", str(f), "--mode", "interview", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert set(data["summary"]) >= {"top1", "top3", "top10", "triage_accuracy", "under_triage",
                                    "over_triage", "median_questions"}
    case = data["cases"][0]
    assert set(case) >= {"id", "triage", "ranked", "questions_asked", "understood"}
    assert len(case["ranked"]) == 10
    assert set(case["ranked"][0]) >= {"id", "name", "icd10", "probability"}


def test_kb_check_and_stats(run: RunFn) -> None:
    r = run("kb", "check")
    assert r.code == 0 and r.out.startswith("ok:"), r.err
    stats = run("kb", "stats", "--json").json()
    assert stats["conditions"] >= 60 and stats["findings"] >= 200


def test_kb_show_an_entry(run: RunFn) -> None:
    r = run("kb", "show", "pneumonia", "--json")
    assert r.code == 0
    assert r.json()["icd10"][0].startswith("J")


def test_consult_interview_in_the_terminal(run: RunFn, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["1.5", "male", "cough and fast breathing", *(["n"] * 30)])
    monkeypatch.setattr("rich.prompt.Prompt.ask", lambda *a, **k: next(answers))
    r = run("consult", "--lang", "en", "--max-questions", "5")
    assert r.code == 0, r.err
    assert "Pneumonia" in r.out


def _commands(group: object, prefix: str = "") -> list[tuple[str, object]]:
    out = []
    for cmd in group.registered_commands:  # type: ignore[attr-defined]
        out.append((prefix + (cmd.name or cmd.callback.__name__), cmd.callback))
    for sub in group.registered_groups:  # type: ignore[attr-defined]
        out += _commands(sub.typer_instance, prefix + sub.name + " ")
    return out


@pytest.mark.parametrize(("name", "callback"), _commands(app))
def test_every_command_has_help_with_an_example(name: str, callback: object) -> None:
    doc = getattr(callback, "__doc__", "") or ""
    assert "Example: yakbang " in doc, f"`yakbang {name}` has no example in its help"


def test_issue5_korean_dehydration_is_an_emergency(run: RunFn) -> None:
    r = run("advise", "--age", "3", "--sex", "male", "--lang", "ko", "--text",
            "아이가 어제부터 물 같은 설사를 열 번 넘게 하고 토해요. 눈이 쑥 들어갔어요", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert {"watery_diarrhoea", "vomiting", "sunken_eyes"} <= set(data["understood"]["present"])
    assert data["triage"] == "emergency"


def test_issue5_negated_fever_and_cough(run: RunFn) -> None:
    r = run("advise", "--age", "30", "--sex", "female", "--text",
            "no fever, no cough, just a runny nose and sneezing for two days", "--json")
    assert r.code == 0, r.err
    understood = r.json()["understood"]
    assert {"fever", "cough"} <= set(understood["absent"])
    assert {"runny_nose", "sneezing"} <= set(understood["present"])
    days = {f["id"]: f["qualifiers"].get("days") for f in understood["findings"]}
    assert days["runny_nose"] == 2 and days["sneezing"] == 2


def test_who_is_ill_is_filled_from_the_description_and_said(run: RunFn) -> None:
    r = run("advise", "--text", "my 3-year-old son has a cough and fast breathing", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["understood"]["person"]["age_months"] == 36
    assert data["from_description"] == ["age 3 years", "male"]


def test_age_group_without_a_number_asks_for_the_age(run: RunFn) -> None:
    r = run("advise", "--sex", "male", "--text", "the baby has a fever")
    assert r.code == 2 and "--age" in r.err and "baby" in r.err


def test_eval_text_prints_precision_recall_negation(run: RunFn, tmp_path: Path) -> None:
    f = tmp_path / "phrases.json"
    f.write_text(json.dumps([
        {"id": "a", "lang": "en", "text": "fever but no cough", "present": ["fever"], "absent": ["cough"]},
        {"id": "b", "lang": "ko", "text": "기침은 없어요", "present": [], "absent": ["cough"]},
    ]), encoding="utf-8")
    r = run("eval-text", str(f), "--json")
    assert r.code == 0, r.err
    scores = r.json()["scores"]
    assert scores["all"]["precision"] == 1.0 and scores["all"]["recall"] == 1.0
    assert scores["all"]["negation_accuracy"] == 1.0 and scores["lang:ko"]["phrases"] == 1


@pytest.mark.parametrize(("content", "needle"), [
    ("[", "not valid JSON"),
    ('[{"id": "a", "lang": "en", "text": "x", "present": ["no_such"]}]', "no_such"),
    ('[{"id": "a", "lang": "fr", "text": "x"}]', "lang"),
])
def test_eval_text_bad_file_exit_2(run: RunFn, tmp_path: Path, content: str, needle: str) -> None:
    f = tmp_path / "bad.json"
    f.write_text(content, encoding="utf-8")
    r = run("eval-text", str(f))
    assert r.code == 2 and needle in r.err, r.err


def test_consult_asks_again_for_words_not_understood(run: RunFn, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    answers = iter(["3", "female", "у ребёнка жар", "cough and zzkq", "fast breathing", *(["n"] * 30)])

    def ask(prompt: str, *a: object, **k: object) -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("rich.prompt.Prompt.ask", ask)
    r = run("consult", "--lang", "en", "--max-questions", "3")
    assert r.code == 0, r.err
    assert "Cyrillic" in r.err  # refused, and the description was asked for again
    assert [p for p in asked[2:5]] == [asked[2], asked[2], asked[4]] and "another way" in asked[4]
    assert "Fast breathing" in r.out and "'zzkq'" in r.out
