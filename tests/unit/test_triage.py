"""Danger signs and rules win; otherwise urgency follows the posterior, leaning to safety."""

from __future__ import annotations

import pytest

from yakbang.engine import Evidence, assess
from yakbang.engine.triage import THRESHOLDS, ReasonKind
from yakbang.kb import KnowledgeBase
from yakbang.types import Age, Patient, Sex, Urgency

CHILD = Patient(Age(24), Sex.FEMALE)


def urgency(kb: KnowledgeBase, patient: Patient = CHILD, **answers: list[str]) -> Urgency:
    return assess(kb, patient, Evidence.build(kb, **answers)).urgency.urgency


def test_danger_sign_makes_an_emergency_whatever_the_posterior(mini_kb: KnowledgeBase) -> None:
    a = assess(mini_kb, CHILD, Evidence.build(mini_kb, present=["runny_nose", "convulsions"]))
    assert a.ranked[0].id == "cold"
    assert a.urgency.urgency is Urgency.EMERGENCY
    assert a.urgency.reasons[0].kind is ReasonKind.DANGER_SIGN
    assert a.urgency.reasons[0].source_id == "convulsions"


def test_rule_needs_its_count_of_signs(mini_kb: KnowledgeBase) -> None:
    one = assess(mini_kb, CHILD, Evidence.build(mini_kb, present=["diarrhoea", "sunken_eyes"]))
    assert not any(r.kind is ReasonKind.RULE for r in one.urgency.reasons)
    two = assess(mini_kb, CHILD, Evidence.build(
        mini_kb, present=["diarrhoea", "sunken_eyes", "lethargic"]))
    assert two.urgency.urgency is Urgency.EMERGENCY
    assert two.urgency.reasons[0].source_id == "dehydration"


def test_age_limited_rule(mini_kb: KnowledgeBase) -> None:
    infant = Patient(Age(1), Sex.MALE)
    assert urgency(mini_kb, infant, present=["fever", "runny_nose"]) is Urgency.EMERGENCY
    assert urgency(mini_kb, CHILD, present=["runny_nose"], absent=["fever"]) is Urgency.SELF_CARE


def test_urgency_follows_the_posterior(mini_kb: KnowledgeBase) -> None:
    assert urgency(mini_kb, present=["cough", "fever", "fast_breathing"]) is Urgency.URGENT
    assert urgency(mini_kb, present=["runny_nose", "cough"], absent=["fever"]) is Urgency.SELF_CARE


def test_emergency_condition_with_meaningful_probability_raises_urgency(
    mini_kb: KnowledgeBase,
) -> None:
    a = assess(mini_kb, CHILD, Evidence.build(
        mini_kb, present=["fever", "lethargic"], absent=["cough", "runny_nose", "diarrhoea"]))
    p_meningitis = next(r.probability for r in a.ranked if r.id == "meningitis")
    assert p_meningitis >= THRESHOLDS[Urgency.EMERGENCY]
    assert a.ranked[0].id == "meningitis" or p_meningitis < 0.5
    assert a.urgency.urgency is Urgency.EMERGENCY


@pytest.mark.parametrize("extra", [["convulsions"], ["diarrhoea", "sunken_eyes", "lethargic"]])
def test_adding_a_danger_sign_never_lowers_urgency(mini_kb: KnowledgeBase, extra: list[str]) -> None:
    before = urgency(mini_kb, present=["runny_nose"])
    after = urgency(mini_kb, present=["runny_nose", *extra])
    assert after.rank >= before.rank
    assert after is Urgency.EMERGENCY
