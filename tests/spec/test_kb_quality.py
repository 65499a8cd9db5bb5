"""The shipped knowledge base is coherent: numbers mean what their authors meant."""

from __future__ import annotations

import pytest

from yakbang.engine import Evidence, assess
from yakbang.kb import KnowledgeBase, load_kb
from yakbang.kb.schema import PregnancyScope
from yakbang.types import Age, AgeBand, Patient, Urgency

KB = load_kb()
TYPICAL_AGE = {AgeBand.UNDER_2M: 1, AgeBand.M2_59: 24, AgeBand.Y5_14: 120,
               AgeBand.Y15_64: 360, AgeBand.Y65_PLUS: 900}


def test_size_for_issue_2(kb: KnowledgeBase) -> None:
    assert len(kb.conditions) >= 60 and len(kb.findings) >= 200


def test_rare_findings_do_not_argue_for_a_condition(kb: KnowledgeBase) -> None:
    """A likelihood of 5% or less is meant as "rare in this condition"; above the finding's
    base rate it would instead raise the condition whenever the finding is present."""
    wrong = [(c.id, f, p) for c in kb.conditions.values() for f, p in c.findings.items()
             if p <= 0.05 and p > kb.findings[f].base_rate]
    assert not wrong


def test_every_emergency_condition_names_danger_signs_or_rules(kb: KnowledgeBase) -> None:
    dangerous = {f for f, x in kb.findings.items() if x.danger}
    dangerous |= {f for r in kb.rules if r.urgency is Urgency.EMERGENCY for f in [*r.all_of, *r.any_of]}
    for c in kb.conditions.values():
        if c.urgency is Urgency.EMERGENCY:
            assert dangerous & set(c.findings), c.id


def test_no_orphan_findings(kb: KnowledgeBase) -> None:
    used = {f for c in kb.conditions.values() for f in c.findings}
    used |= {f for r in kb.rules for f in [*r.all_of, *r.any_of]}
    used |= {f.parent for f in kb.findings.values() if f.parent}
    assert set(kb.findings) - used == set()


@pytest.mark.parametrize("condition_id", sorted(KB.conditions))
def test_typical_presentation_ranks_condition_in_top_3(condition_id: str) -> None:
    c = KB.conditions[condition_id]
    band = max(c.prior, key=lambda b: c.prior[b])
    patient = Patient(Age(TYPICAL_AGE[band]), c.sexes[0], c.pregnancy is PregnancyScope.REQUIRED)
    applies = {f for f in c.findings if KB.findings[f].applies_to(patient)}
    present = [f for f in applies if c.findings[f] >= 0.5]
    absent = [f for f in applies if c.findings[f] <= 0.05 and KB.findings[f].parent is None]
    a = assess(KB, patient, Evidence.build(KB, present=present, absent=absent))
    assert condition_id in [r.id for r in a.ranked[:3]], [(r.id, round(r.probability, 2))
                                                          for r in a.ranked[:3]]
