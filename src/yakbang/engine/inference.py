"""Posterior over conditions from findings present, absent and unknown.

    log P(c | F) = log prior(c | age band, sex, pregnancy)
                   + sum over present f of log P(f | c)
                   + sum over absent f of log(1 - P(f | c))      (normalised, with OTHER)

Unknown answers contribute nothing. A child finding (blood in stool) counts only when its
parent (diarrhoea) is present, since its probabilities are conditional on the parent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from yakbang.engine.evidence import Answer, Evidence
from yakbang.engine.model import CompiledModel, FloatArray
from yakbang.types import Patient


@dataclass(frozen=True)
class Posterior:
    model: CompiledModel
    probabilities: FloatArray  # (C+1,), OTHER last; sums to 1
    counted: list[str]  # finding ids that contributed, in order
    terms: FloatArray  # (C+1, len(counted)): log-likelihood term of each counted finding
    possible: np.ndarray  # (C+1,) bool: condition possible for this patient

    @property
    def other(self) -> float:
        return float(self.probabilities[-1])

    def ranked(self) -> list[tuple[str, float]]:
        """Possible conditions by probability, highest first (OTHER excluded)."""
        order = np.argsort(-self.probabilities[:-1], kind="stable")
        ids = self.model.condition_ids
        return [(ids[i], float(self.probabilities[i])) for i in order if self.possible[i]]

    def evidence_weights(self, condition_id: str) -> list[tuple[str, float]]:
        """Each counted finding's log-likelihood ratio for the condition against OTHER."""
        i = self.model.condition_ids.index(condition_id)
        llr = self.terms[i] - self.terms[-1]
        return [(fid, float(w)) for fid, w in zip(self.counted, llr, strict=True)]


def counted_findings(model: CompiledModel, patient: Patient, evidence: Evidence) -> list[str]:
    """Answered findings that carry information for this patient."""
    applicable = model.finding_mask(patient)
    out = []
    for fid, answer in evidence.answers.items():
        if answer is Answer.UNKNOWN or not applicable[model.finding_index[fid]]:
            continue
        parent = model.kb.findings[fid].parent
        if parent is not None and evidence.get(parent) is not Answer.YES:
            continue
        out.append(fid)
    return sorted(out)


def posterior(model: CompiledModel, patient: Patient, evidence: Evidence) -> Posterior:
    counted = counted_findings(model, patient, evidence)
    cols = np.array([model.finding_index[f] for f in counted], dtype=int)
    present = np.array([evidence.get(f) is Answer.YES for f in counted], dtype=bool)
    if len(cols):
        terms = np.where(present, model.log_p[:, cols], model.log_q[:, cols])
    else:
        terms = np.zeros((len(model.condition_ids), 0))
    log_prior = model.log_prior(patient)
    score = log_prior + terms.sum(axis=1)
    possible = np.isfinite(log_prior)
    score = score - score[possible].max()
    probs = np.where(possible, np.exp(score), 0.0)
    probs /= probs.sum()
    return Posterior(model, probs, counted, terms, possible)
