"""The posterior behaves as the model says (mini knowledge base with known numbers)."""

from __future__ import annotations

import math

import pytest

from yakbang.engine import Evidence, assess
from yakbang.engine.inference import posterior
from yakbang.engine.model import OTHER, OTHER_PRIOR_SHARE, compile_model
from yakbang.errors import ContradictoryAnswers, UnknownFinding
from yakbang.kb import KnowledgeBase
from yakbang.types import Age, Patient, Sex

CHILD = Patient(Age(24), Sex.MALE)
WOMAN = Patient(Age(300), Sex.FEMALE)


def probs(kb: KnowledgeBase, patient: Patient, **answers: list[str]) -> dict[str, float]:
    post = posterior(compile_model(kb), patient, Evidence.build(kb, **answers))
    return dict(zip(post.model.condition_ids, post.probabilities, strict=True))


def test_no_evidence_gives_the_priors(mini_kb: KnowledgeBase) -> None:
    p = probs(mini_kb, CHILD)
    assert p[OTHER] == pytest.approx(OTHER_PRIOR_SHARE)
    prior = mini_kb.conditions
    known = sum(c.prior[CHILD.age.band] for cid, c in prior.items() if cid != "miscarriage")
    expected_cold = prior["cold"].prior[CHILD.age.band] / known * (1 - OTHER_PRIOR_SHARE)
    assert p["cold"] == pytest.approx(expected_cold)
    assert math.isclose(sum(p.values()), 1.0)


def test_bayes_rule_by_hand(mini_kb: KnowledgeBase) -> None:
    p = probs(mini_kb, CHILD, present=["fast_breathing"], absent=["runny_nose"])
    base = compile_model(mini_kb)
    # pneumonia vs cold: prior ratio 60/200, P(fast|.) 0.7/0.02, P(no runny|.) 0.8/0.1
    assert p["pneumonia"] / p["cold"] == pytest.approx((60 / 200) * (0.7 / 0.02) * (0.8 / 0.1))
    assert base.base_rate[base.finding_index["fast_breathing"]] == 0.05


def test_present_raises_absent_lowers_unknown_does_nothing(mini_kb: KnowledgeBase) -> None:
    none = probs(mini_kb, CHILD)
    yes = probs(mini_kb, CHILD, present=["fast_breathing"])
    no = probs(mini_kb, CHILD, absent=["fast_breathing"])
    unknown = probs(mini_kb, CHILD, unknown=["fast_breathing"])
    assert yes["pneumonia"] > none["pneumonia"] > no["pneumonia"]
    assert unknown == pytest.approx(none)


def test_child_finding_counts_only_under_its_parent(mini_kb: KnowledgeBase) -> None:
    parent_only = probs(mini_kb, CHILD, present=["diarrhoea"])
    both = probs(mini_kb, CHILD, present=["diarrhoea", "blood_in_stool"])
    implied = probs(mini_kb, CHILD, present=["blood_in_stool"])
    assert both["dysentery"] > 10 * parent_only["dysentery"]
    assert implied == pytest.approx(both)  # blood in stool implies diarrhoea
    # An absent child under an unknown parent carries no information.
    assert probs(mini_kb, CHILD, absent=["blood_in_stool"]) == pytest.approx(probs(mini_kb, CHILD))


def test_child_present_under_absent_parent_is_a_contradiction(mini_kb: KnowledgeBase) -> None:
    with pytest.raises(ContradictoryAnswers):
        Evidence.build(mini_kb, present=["blood_in_stool"], absent=["diarrhoea"])


def test_same_finding_present_and_absent_is_a_contradiction(mini_kb: KnowledgeBase) -> None:
    with pytest.raises(ContradictoryAnswers, match="fever"):
        Evidence.build(mini_kb, present=["fever"], absent=["fever"])


def test_unknown_finding_id_is_a_user_error(mini_kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownFinding, match="headache"):
        Evidence.build(mini_kb, present=["headache"])


def test_impossible_conditions_get_nothing(mini_kb: KnowledgeBase) -> None:
    man = Patient(Age(300), Sex.MALE)
    assert probs(mini_kb, man, present=["fever"])["miscarriage"] == 0.0
    assert probs(mini_kb, WOMAN, present=["fever"])["miscarriage"] == 0.0  # not pregnant
    pregnant = Patient(Age(300), Sex.FEMALE, pregnant=True)
    assert probs(mini_kb, pregnant, present=["vaginal_bleeding"])["miscarriage"] > 0.5


def test_finding_not_applicable_to_patient_is_ignored(mini_kb: KnowledgeBase) -> None:
    man = Patient(Age(300), Sex.MALE)
    assert probs(mini_kb, man, present=["vaginal_bleeding"]) == pytest.approx(probs(mini_kb, man))


def test_unexplained_findings_go_to_other(mini_kb: KnowledgeBase) -> None:
    # Every known condition expects some of these; OTHER only sees base rates.
    a = assess(mini_kb, CHILD, Evidence.build(
        mini_kb, present=["sunken_eyes"], absent=["fever", "cough", "runny_nose", "diarrhoea"]))
    assert a.other_probability > 0.3
    assert a.low_confidence


def test_explanation_lists_support_and_opposition(mini_kb: KnowledgeBase) -> None:
    a = assess(mini_kb, CHILD, Evidence.build(
        mini_kb, present=["cough", "fever", "fast_breathing"], absent=["runny_nose"]))
    top = a.ranked[0]
    assert top.id == "pneumonia"
    assert next(f for f, _ in top.supporting) == "fast_breathing"
    cold = next(r for r in a.ranked if r.id == "cold")
    assert {"fast_breathing", "runny_nose"} <= {f for f, _ in cold.opposing}
