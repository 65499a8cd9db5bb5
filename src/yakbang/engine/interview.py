"""Which question to ask next.

1. Screening: the danger signs IMCI asks of every sick child (and of young infants) come
   first, in the order the chart lists them, until an emergency is already established.
2. Danger signs the answers so far make plausible (predicted P(yes) >= DANGER_ASK) next.
3. Then the question with the largest expected reduction in uncertainty about what to do:
   entropy of the urgency level (weighted, since urgency decides the action) plus entropy
   of the diagnosis. A child question (blood in stool) is asked only after its parent
   (diarrhoea) is answered yes.
Stop when no question is worth asking (the decision is clear) or at the caller's limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from yakbang.engine.evidence import Answer, Evidence
from yakbang.engine.inference import Posterior, posterior
from yakbang.engine.model import CompiledModel, FloatArray, compile_model
from yakbang.engine.triage import danger_reasons, decide_urgency, rule_fires
from yakbang.kb.loader import KnowledgeBase
from yakbang.types import Lang, Patient, Urgency

DEFAULT_MAX_QUESTIONS = 15
DANGER_ASK = 0.06  # predicted P(yes) above which a danger sign is asked before anything else
URGENCY_WEIGHT = 2.0
MIN_GAIN_BITS = 0.03  # below this no question is worth the person's time
CLEAR_TOP = 0.9


class Phase(StrEnum):
    SCREENING = "screening"
    DANGER = "danger"
    INFORMATION = "information"


@dataclass(frozen=True)
class Question:
    finding_id: str
    text: str
    phase: Phase
    gain_bits: float = 0.0


def _entropy(p: FloatArray, axis: int = 0) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(p), 0.0)
    result: FloatArray = terms.sum(axis=axis)
    return result


def candidates(model: CompiledModel, patient: Patient, evidence: Evidence) -> list[str]:
    applicable = model.finding_mask(patient)
    asked = evidence.asked()
    out = []
    for j, fid in enumerate(model.finding_ids):
        if not applicable[j] or fid in asked:
            continue
        parent = model.kb.findings[fid].parent
        if parent is not None and evidence.get(parent) is not Answer.YES:
            continue
        out.append(fid)
    return out


def _yes_level(kb: KnowledgeBase, patient: Patient, evidence: Evidence, fid: str) -> int:
    """The urgency rank a yes to `fid` would force through a danger sign or rule (-1: none)."""
    if kb.findings[fid].danger:
        return Urgency.EMERGENCY.rank
    rules = [r for r in kb.rules if fid in r.all_of or fid in r.any_of]
    if not rules:
        return -1
    hypothetical = evidence.with_answer(kb, fid, Answer.YES)
    fired = [r.urgency.rank for r in rules if rule_fires(r, patient, hypothetical) is not None]
    return max(fired, default=-1)


def expected_gains(
    model: CompiledModel, patient: Patient, evidence: Evidence, post: Posterior, cands: list[str]
) -> FloatArray:
    """Expected bits gained for each candidate: URGENCY_WEIGHT * urgency + diagnosis."""
    cols = np.array([model.finding_index[f] for f in cands], dtype=int)
    prior = post.probabilities
    p = model.p[:, cols]  # (C+1, K)
    joint_yes = prior[:, None] * p
    joint_no = prior[:, None] * (1 - p)
    p_yes = joint_yes.sum(axis=0)
    p_no = 1 - p_yes
    post_yes = joint_yes / np.maximum(p_yes, 1e-12)
    post_no = joint_no / np.maximum(p_no, 1e-12)
    gain_dx = _entropy(prior) - (p_yes * _entropy(post_yes) + p_no * _entropy(post_no))

    levels = np.zeros((4, len(model.condition_ids)))
    levels[model.urgency_rank, np.arange(len(model.condition_ids))] = 1.0
    u_now, u_yes, u_no = levels @ prior, levels @ post_yes, levels @ post_no
    forced = np.array([_yes_level(model.kb, patient, evidence, f) for f in cands])
    for k in np.nonzero(forced >= 0)[0]:
        # A yes that forces a level moves all mass below it up to that level.
        lvl = forced[k]
        u_yes[lvl, k] += u_yes[:lvl, k].sum()
        u_yes[:lvl, k] = 0.0
    gain_u = _entropy(u_now) - (p_yes * _entropy(u_yes) + p_no * _entropy(u_no))
    result: FloatArray = URGENCY_WEIGHT * gain_u + gain_dx
    return result


def predicted_yes(model: CompiledModel, post: Posterior, fid: str) -> float:
    return float(post.probabilities @ model.p[:, model.finding_index[fid]])


def next_question(
    kb: KnowledgeBase, patient: Patient, evidence: Evidence, lang: Lang = Lang.EN
) -> Question | None:
    """The next question to ask, or None when the decision is clear."""
    model = compile_model(kb)
    cands = candidates(model, patient, evidence)
    if not cands:
        return None

    def ask(fid: str, phase: Phase, gain: float = 0.0) -> Question:
        return Question(fid, kb.findings[fid].question.get(lang), phase, gain)

    emergency = any(r.urgency is Urgency.EMERGENCY for r in danger_reasons(kb, patient, evidence))
    if not emergency:
        for screen in kb.screening:
            if screen.ages.contains(patient.age.months):
                for fid in screen.findings:
                    if fid in cands:
                        return ask(fid, Phase.SCREENING)

    post = posterior(model, patient, evidence)
    if not emergency:
        dangers = [(predicted_yes(model, post, f), f) for f in cands if kb.findings[f].danger]
        likely = sorted((d for d in dangers if d[0] >= DANGER_ASK), reverse=True)
        if likely:
            return ask(likely[0][1], Phase.DANGER)

    gains = expected_gains(model, patient, evidence, post, cands)
    best = int(np.argmax(gains))
    top = max(p for _, p in post.ranked()) if post.ranked() else 0.0
    decision = decide_urgency(kb, patient, evidence, post)
    settled = decision.level_probability[decision.urgency] > CLEAR_TOP or emergency
    if gains[best] < MIN_GAIN_BITS or (top >= CLEAR_TOP and settled):
        return None
    return ask(cands[best], Phase.INFORMATION, float(gains[best]))
