"""Properties that must hold for every patient and every set of answers (real knowledge base)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yakbang.engine import Answer, Evidence, assess, next_question
from yakbang.kb import load_kb
from yakbang.types import Age, Patient, Sex, Urgency

KB = load_kb()
FINDINGS = sorted(KB.findings)
DANGER = sorted(f for f, x in KB.findings.items() if x.danger)


@st.composite
def patients(draw: st.DrawFn) -> Patient:
    months = draw(st.integers(min_value=0, max_value=100 * 12))
    sex = draw(st.sampled_from(list(Sex)))
    pregnant = (sex is Sex.FEMALE and 14 * 12 <= months <= 48 * 12 and draw(st.booleans()))
    return Patient(Age(months), sex, pregnant)


@st.composite
def evidences(draw: st.DrawFn) -> Evidence:
    chosen = draw(st.lists(st.sampled_from(FINDINGS), max_size=12, unique=True))
    answers = draw(st.lists(st.sampled_from(list(Answer)), min_size=len(chosen),
                            max_size=len(chosen)))
    raw = dict(zip(chosen, answers, strict=True))
    # Drop findings said present under an ancestor said absent: that is a contradiction,
    # tested elsewhere (fever_7_days present with fever absent, across fever_3_days).
    for fid, ans in list(raw.items()):
        parent = KB.findings[fid].parent
        while ans is Answer.YES and parent is not None:
            if raw.get(parent) is Answer.NO:
                del raw[fid]
                break
            parent = KB.findings[parent].parent
    return Evidence(raw).closed(KB)


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(patients(), evidences())
def test_posterior_is_a_distribution(patient: Patient, evidence: Evidence) -> None:
    a = assess(KB, patient, evidence)
    probs = a.posterior.probabilities
    assert math.isclose(float(probs.sum()), 1.0, abs_tol=1e-9)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert [r.probability for r in a.ranked] == sorted((r.probability for r in a.ranked),
                                                       reverse=True)


@SETTINGS
@given(patients(), evidences(), st.sampled_from(DANGER))
def test_an_applicable_danger_sign_is_always_an_emergency(
    patient: Patient, evidence: Evidence, danger: str
) -> None:
    f = KB.findings[danger]
    if not f.applies_to(patient):
        return
    parent = f.parent
    if parent is not None and evidence.get(parent) is Answer.NO:
        return
    ev = evidence.with_answer(KB, danger, Answer.YES)
    assert assess(KB, patient, ev).urgency.urgency is Urgency.EMERGENCY


@SETTINGS
@given(patients(), evidences())
def test_next_question_is_new_and_applicable(patient: Patient, evidence: Evidence) -> None:
    q = next_question(KB, patient, evidence)
    if q is None:
        return
    f = KB.findings[q.finding_id]
    assert q.finding_id not in evidence.asked()
    assert f.applies_to(patient)
    assert f.parent is None or evidence.get(f.parent) is Answer.YES
