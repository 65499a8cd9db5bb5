"""Issue 2's acceptance cases, as a table of patients and expected outcomes (real KB)."""

from __future__ import annotations

import pytest

from yakbang.consultation import evidence_from
from yakbang.engine import assess
from yakbang.kb import KnowledgeBase
from yakbang.text import understand
from yakbang.types import Age, Patient, Sex, Triage

CASES = [
    # (age months, sex, text, expected triage, expected top condition or None)
    (216, Sex.MALE, "severe headache, fever, stiff neck", Triage.EMERGENCY, "meningitis"),
    (7, Sex.FEMALE, "cough, fast breathing and the chest pulls in when she breathes",
     Triage.EMERGENCY, None),
    (360, Sex.FEMALE, "runny nose, sneezing and a mild sore throat", Triage.SELF_CARE, None),
    (24, Sex.MALE, "아이가 경련을 했어요", Triage.EMERGENCY, None),
]


@pytest.mark.parametrize(("months", "sex", "text", "triage", "top"), CASES)
def test_issue_examples(kb: KnowledgeBase, months: int, sex: Sex, text: str, triage: Triage,
                        top: str | None) -> None:
    patient = Patient(Age(months), sex)
    a = assess(kb, patient, evidence_from(kb, understood=[understand(kb, text)]))
    assert a.urgency.triage is triage, [r.source_id for r in a.urgency.reasons]
    if top is not None:
        assert a.ranked[0].id == top, [(r.id, round(r.probability, 2)) for r in a.ranked[:3]]


def test_vignette_runner_takes_pregnancy_from_the_description_when_not_given(kb: KnowledgeBase) -> None:
    from yakbang.evaluation.runner import Mode, run_case
    from yakbang.evaluation.vignettes import Vignette

    base = {"id": "p", "age_years": 28, "sex": "female", "language": "ko",
            "complaint": "임신 8개월인데 피가 쏟아져요",
            "expected": {"icd10": ["O46.9"], "triage": "emergency"}}
    said = run_case(kb, Vignette.model_validate(base), Mode.STATIC)
    assert said.assessment.patient.pregnant
    told = run_case(kb, Vignette.model_validate({**base, "pregnant": False}), Mode.STATIC)
    assert not told.assessment.patient.pregnant


def test_vignette_runner_scores_odd_phrases_instead_of_stopping(kb: KnowledgeBase) -> None:
    from yakbang.evaluation.runner import Mode, run_case
    from yakbang.evaluation.vignettes import Vignette

    v = Vignette.model_validate({
        "id": "odd", "age_years": 3, "sex": "male", "complaint": "🙂🙂",
        "present": ["fever", "у него жар"], "absent": ["!!!"],
        "expected": {"icd10": ["R50"], "triage": "non_emergency"}})
    for mode in Mode:
        assert run_case(kb, v, mode).assessment.ranked
