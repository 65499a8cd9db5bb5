"""The terminal interview (`yakbang consult`): prompts only; the engine decides what to ask."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rich.console import Console
from rich.prompt import Prompt

from yakbang.cli.render import render_assessment, render_understood
from yakbang.consultation import assessment_dict, evidence_from, understood_dict
from yakbang.engine import Answer, assess, next_question
from yakbang.errors import UserError
from yakbang.kb.loader import KnowledgeBase
from yakbang.text import Understanding, understand
from yakbang.types import Age, Lang, Patient, Sex

TEXT = {
    "age": {Lang.EN: "Age of the sick person in years (e.g. 3, 0.5 for six months)",
            Lang.KO: "아픈 사람의 나이 (년, 예: 3, 6개월이면 0.5)"},
    "sex": {Lang.EN: "Sex (female/male)", Lang.KO: "성별 (여/남)"},
    "pregnant": {Lang.EN: "Is she pregnant? (y/n)", Lang.KO: "임신 중입니까? (예/아니오)"},
    "describe": {Lang.EN: "Describe the illness in your own words",
                 Lang.KO: "어디가 어떻게 아픈지 말씀해 주십시오"},
    "answer": {Lang.EN: "y = yes, n = no, ? = don't know", Lang.KO: "예(y) / 아니오(n) / 모름(?)"},
    "rephrase": {Lang.EN: "Some words were not understood. Say them another way (Enter to go on)",
                 Lang.KO: "알아듣지 못한 말이 있습니다. 다른 말로 말씀해 주십시오 (넘어가려면 Enter)"},
}

YES = {"y", "yes", "예", "네", "응", "ㅇ"}
NO = {"n", "no", "아니오", "아니요", "아니", "ㄴ"}


def _answer(raw: str) -> Answer:
    value = raw.strip().lower()
    if value in YES:
        return Answer.YES
    if value in NO:
        return Answer.NO
    return Answer.UNKNOWN


def _ask_patient(lang: Lang) -> Patient:
    while True:
        try:
            years = float(Prompt.ask(TEXT["age"][lang]).replace(",", "."))
            sex = Sex.parse(Prompt.ask(TEXT["sex"][lang]))
            age = Age.from_years(years)
            pregnant = False
            if sex is Sex.FEMALE and 10 * 12 <= age.months <= 60 * 12:
                pregnant = _answer(Prompt.ask(TEXT["pregnant"][lang])) is Answer.YES
            return Patient(age, sex, pregnant)
        except (ValueError, UserError) as exc:
            Console(stderr=True).print(f"{exc}", markup=False)


def _ask_description(kb: KnowledgeBase, lang: Lang, prompt: str) -> list[Understanding]:
    """The illness in the person's words; asked again if it cannot be read at all."""
    while True:
        description = Prompt.ask(prompt)
        if not description.strip():
            return []
        try:
            return [understand(kb, description, date.today())]
        except UserError as exc:
            Console(stderr=True).print(f"{exc}", markup=False)


def run_consultation(kb: KnowledgeBase, console: Console, lang: Lang, max_questions: int,
                     keep: Callable[[dict[str, Any]], str] | None = None) -> None:
    """Interview, then show the result; `keep` stores it (a record id) when records are kept."""
    patient = _ask_patient(lang)
    understood = _ask_description(kb, lang, TEXT["describe"][lang])
    if understood:
        render_understood(console, understood_dict(kb, understood, lang)["summary"], [], lang)
        if understood[-1].not_understood:
            more = _ask_description(kb, lang, TEXT["rephrase"][lang])
            if more:
                understood += more
                render_understood(console, understood_dict(kb, understood, lang)["summary"], [], lang)
    evidence = evidence_from(kb, understood=understood)
    console.print(f"[dim]{TEXT['answer'][lang]}[/dim]")
    for _ in range(max_questions):
        q = next_question(kb, patient, evidence, lang)
        if q is None:
            break
        evidence = evidence.with_answer(kb, q.finding_id, _answer(Prompt.ask(q.text)))
    result = assessment_dict(kb, assess(kb, patient, evidence), lang)
    render_assessment(console, result, lang)
    if keep is not None:
        record = keep(result)
        console.print(f"[dim]{'기록함' if lang is Lang.KO else 'record kept'}: {record[:13]}[/dim]")
