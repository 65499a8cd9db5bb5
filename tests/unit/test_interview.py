"""The interview asks danger signs first, children after parents, and knows when to stop."""

from __future__ import annotations

from yakbang.engine import Answer, Evidence, next_question
from yakbang.engine.interview import Phase
from yakbang.kb import KnowledgeBase
from yakbang.types import Age, Lang, Patient, Sex

CHILD = Patient(Age(24), Sex.MALE)
ADULT = Patient(Age(300), Sex.MALE)


def test_screening_danger_signs_come_first_for_a_child(mini_kb: KnowledgeBase) -> None:
    ev = Evidence.build(mini_kb, present=["cough"])
    q = next_question(mini_kb, CHILD, ev)
    assert q is not None and q.finding_id == "convulsions" and q.phase is Phase.SCREENING
    ev = ev.with_answer(mini_kb, "convulsions", Answer.NO)
    q = next_question(mini_kb, CHILD, ev)
    assert q is not None and q.finding_id == "lethargic"


def test_no_screening_for_adults(mini_kb: KnowledgeBase) -> None:
    q = next_question(mini_kb, ADULT, Evidence.build(mini_kb, present=["cough"]))
    assert q is not None and q.phase is not Phase.SCREENING


def test_child_question_only_after_parent_is_yes(mini_kb: KnowledgeBase) -> None:
    screened = {"convulsions": Answer.NO, "lethargic": Answer.NO}
    ev = Evidence(screened)
    asked = []
    for _ in range(12):
        q = next_question(mini_kb, CHILD, ev)
        if q is None:
            break
        asked.append(q.finding_id)
        ev = ev.with_answer(mini_kb, q.finding_id, Answer.NO)
    assert "blood_in_stool" not in asked  # diarrhoea was answered no
    ev = Evidence({**screened, "diarrhoea": Answer.YES})
    q = next_question(mini_kb, CHILD, ev)
    assert q is not None and q.finding_id == "blood_in_stool"


def test_never_asks_twice_and_stops(mini_kb: KnowledgeBase) -> None:
    ev = Evidence.build(mini_kb, present=["fever"])
    asked: list[str] = []
    for _ in range(40):
        q = next_question(mini_kb, ADULT, ev)
        if q is None:
            break
        assert q.finding_id not in asked
        asked.append(q.finding_id)
        ev = ev.with_answer(mini_kb, q.finding_id, Answer.UNKNOWN)
    assert len(asked) < len(mini_kb.findings)


def test_questions_come_in_the_users_language(mini_kb: KnowledgeBase) -> None:
    q = next_question(mini_kb, CHILD, Evidence.build(mini_kb, present=["cough"]), Lang.KO)
    assert q is not None and q.text == mini_kb.findings[q.finding_id].question.ko


def test_stops_when_the_decision_is_clear(mini_kb: KnowledgeBase) -> None:
    ev = Evidence.build(mini_kb, present=["diarrhoea", "blood_in_stool", "fever"],
                        absent=["convulsions", "lethargic", "cough", "runny_nose",
                                "fast_breathing", "sunken_eyes"])
    assert next_question(mini_kb, CHILD, ev) is None
