"""How urgent is it: danger signs and rules first, then the probabilities.

A danger sign present, or a danger rule met (IMCI, WHO Basic Emergency Care), sets the
urgency whatever the posterior says. Otherwise the urgency is the highest level whose
conditions together reach that level's threshold. The thresholds are low for the urgent
levels on purpose: missing an emergency costs far more than an unneeded trip, so an
emergency condition with a meaningful probability raises the urgency.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from yakbang.engine.evidence import Answer, Evidence
from yakbang.engine.inference import Posterior
from yakbang.kb.loader import KnowledgeBase
from yakbang.kb.schema import DangerRule
from yakbang.types import Patient, Triage, Urgency

# P(urgency >= level) needed to raise the urgency to that level.
THRESHOLDS: dict[Urgency, float] = {
    Urgency.EMERGENCY: 0.20,
    Urgency.URGENT: 0.35,
    Urgency.ROUTINE: 0.45,
}


class ReasonKind(StrEnum):
    DANGER_SIGN = "danger_sign"
    RULE = "rule"
    PROBABILITY = "probability"


@dataclass(frozen=True)
class UrgencyReason:
    kind: ReasonKind
    urgency: Urgency
    source_id: str  # finding id, rule id, or the level's leading condition id
    findings: tuple[str, ...] = ()
    probability: float | None = None
    conditions: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class UrgencyDecision:
    urgency: Urgency
    reasons: tuple[UrgencyReason, ...]
    level_probability: dict[Urgency, float]  # P(urgency >= level) from the posterior

    @property
    def triage(self) -> Triage:
        return self.urgency.triage


def rule_fires(rule: DangerRule, patient: Patient, evidence: Evidence) -> tuple[str, ...] | None:
    """The findings that make the rule fire, or None when it does not apply."""
    if not rule.ages.contains(patient.age.months):
        return None
    if rule.pregnant is not None and rule.pregnant != patient.pregnant:
        return None
    if any(evidence.get(f) is not Answer.YES for f in rule.all_of):
        return None
    hits = [f for f in rule.any_of if evidence.get(f) is Answer.YES]
    if rule.any_of and len(hits) < rule.at_least:
        return None
    return (*rule.all_of, *hits)


def danger_reasons(kb: KnowledgeBase, patient: Patient, evidence: Evidence) -> list[UrgencyReason]:
    reasons = []
    for fid in evidence.present:
        f = kb.findings[fid]
        if f.danger and f.applies_to(patient):
            reasons.append(UrgencyReason(ReasonKind.DANGER_SIGN, Urgency.EMERGENCY, fid, (fid,)))
    for rule in kb.rules:
        hits = rule_fires(rule, patient, evidence)
        if hits is not None:
            reasons.append(UrgencyReason(ReasonKind.RULE, rule.urgency, rule.id, hits))
    return reasons


def level_probabilities(post: Posterior) -> dict[Urgency, float]:
    ranks = post.model.urgency_rank
    return {u: float(post.probabilities[ranks >= u.rank].sum()) for u in Urgency}


def decide_urgency(
    kb: KnowledgeBase, patient: Patient, evidence: Evidence, post: Posterior
) -> UrgencyDecision:
    reasons = danger_reasons(kb, patient, evidence)
    levels = level_probabilities(post)
    ranks = post.model.urgency_rank
    for level in (Urgency.EMERGENCY, Urgency.URGENT, Urgency.ROUTINE):
        if levels[level] >= THRESHOLDS[level]:
            idx = [i for i in np.argsort(-post.probabilities)
                   if ranks[i] >= level.rank and post.probabilities[i] >= 0.01][:3]
            conds = tuple((post.model.condition_ids[i], float(post.probabilities[i])) for i in idx)
            lead = conds[0][0] if conds else "other"
            reasons.append(UrgencyReason(ReasonKind.PROBABILITY, level, lead,
                                         probability=levels[level], conditions=conds))
            break
    urgency = max((r.urgency for r in reasons), key=lambda u: u.rank, default=Urgency.SELF_CARE)
    reasons.sort(key=lambda r: -r.urgency.rank)
    return UrgencyDecision(urgency, tuple(reasons), levels)
