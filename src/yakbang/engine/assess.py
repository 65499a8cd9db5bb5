"""One call for front ends: from patient and evidence to ranked conditions, urgency, reasons."""

from __future__ import annotations

from dataclasses import dataclass

from yakbang.engine.evidence import Evidence
from yakbang.engine.inference import Posterior, posterior
from yakbang.engine.model import compile_model
from yakbang.engine.triage import UrgencyDecision, decide_urgency
from yakbang.kb.loader import KnowledgeBase
from yakbang.types import Patient

# A finding moves a condition noticeably when its likelihood ratio is beyond e^0.4 (~1.5x).
NOTABLE_LOG_RATIO = 0.4
LOW_CONFIDENCE_TOP = 0.35  # below this for the leading condition, say plainly we are unsure
LOW_CONFIDENCE_OTHER = 0.30


@dataclass(frozen=True)
class RankedCondition:
    id: str
    probability: float
    supporting: tuple[tuple[str, float], ...]  # (finding id, log likelihood ratio), strongest first
    opposing: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Assessment:
    patient: Patient
    evidence: Evidence
    posterior: Posterior
    urgency: UrgencyDecision
    ranked: tuple[RankedCondition, ...]

    @property
    def other_probability(self) -> float:
        return self.posterior.other

    @property
    def low_confidence(self) -> bool:
        top = self.ranked[0].probability if self.ranked else 0.0
        return top < LOW_CONFIDENCE_TOP or self.other_probability > LOW_CONFIDENCE_OTHER


def explain(post: Posterior, condition_id: str, probability: float) -> RankedCondition:
    weights = post.evidence_weights(condition_id)
    supporting = sorted((w for w in weights if w[1] >= NOTABLE_LOG_RATIO), key=lambda w: -w[1])
    opposing = sorted((w for w in weights if w[1] <= -NOTABLE_LOG_RATIO), key=lambda w: w[1])
    return RankedCondition(condition_id, probability, tuple(supporting), tuple(opposing))


def assess(kb: KnowledgeBase, patient: Patient, evidence: Evidence, top: int = 10) -> Assessment:
    model = compile_model(kb)
    post = posterior(model, patient, evidence)
    ranked = tuple(explain(post, cid, p) for cid, p in post.ranked()[:top])
    return Assessment(patient, evidence, post, decide_urgency(kb, patient, evidence, post), ranked)
