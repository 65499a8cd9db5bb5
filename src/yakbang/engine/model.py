"""The knowledge base compiled to arrays for fast inference.

P[c, f] is P(finding f | condition c) where the condition lists f, else the finding's base
rate (the leak). For a child finding, P is conditional on its parent being present. Row
`OTHER` is "a condition not in the knowledge base": every finding at its base rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from yakbang.kb.loader import KnowledgeBase
from yakbang.kb.schema import PregnancyScope
from yakbang.types import AgeBand, Patient, Urgency

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

OTHER = "other"
# Share of prior mass kept for illnesses the knowledge base does not know, so that a case
# nothing explains well says so instead of forcing the nearest condition.
OTHER_PRIOR_SHARE = 0.12


@dataclass(frozen=True, eq=False)
class CompiledModel:
    kb: KnowledgeBase
    condition_ids: list[str]  # last entry is OTHER
    finding_ids: list[str]
    finding_index: dict[str, int]
    p: FloatArray  # (C+1, F)
    log_p: FloatArray
    log_q: FloatArray  # log(1 - p)
    base_rate: FloatArray  # (F,)
    prior: dict[AgeBand, FloatArray]  # (C,) per band, unnormalised
    urgency_rank: npt.NDArray[np.int_]  # (C+1,), OTHER counts as routine
    danger: BoolArray  # (F,)
    parent_index: npt.NDArray[np.int_]  # (F,), -1 when no parent

    def condition_mask(self, patient: Patient) -> BoolArray:
        """Conditions possible for this patient (age band, sex, pregnancy)."""
        band = patient.age.band
        mask = self.prior[band] > 0
        for i, cid in enumerate(self.condition_ids[:-1]):
            c = self.kb.conditions[cid]
            wrong_pregnancy = (
                (c.pregnancy is PregnancyScope.REQUIRED and not patient.pregnant)
                or (c.pregnancy is PregnancyScope.EXCLUDED and patient.pregnant)
            )
            if patient.sex not in c.sexes or wrong_pregnancy:
                mask[i] = False
        return mask

    def finding_mask(self, patient: Patient) -> BoolArray:
        """Findings that can be asked of this patient."""
        return np.array([self.kb.findings[fid].applies_to(patient) for fid in self.finding_ids],
                        dtype=bool)

    def log_prior(self, patient: Patient) -> FloatArray:
        """Log prior over conditions + OTHER for this patient; impossible ones are -inf."""
        raw = np.where(self.condition_mask(patient), self.prior[patient.age.band], 0.0)
        total = raw.sum()
        known = raw / total * (1 - OTHER_PRIOR_SHARE) if total > 0 else raw
        with np.errstate(divide="ignore"):
            result: FloatArray = np.log(np.append(known, OTHER_PRIOR_SHARE))
        return result


@cache
def compile_model(kb: KnowledgeBase) -> CompiledModel:
    condition_ids = [*sorted(kb.conditions), OTHER]
    finding_ids = sorted(kb.findings)
    index = {fid: j for j, fid in enumerate(finding_ids)}
    base = np.array([kb.findings[f].base_rate for f in finding_ids])
    p = np.tile(base, (len(condition_ids), 1))
    for i, cid in enumerate(condition_ids[:-1]):
        for fid, prob in kb.conditions[cid].findings.items():
            p[i, index[fid]] = prob
    prior = {
        band: np.array([kb.conditions[c].prior[band] for c in condition_ids[:-1]], dtype=float)
        for band in AgeBand
    }
    urgency = [kb.conditions[c].urgency.rank for c in condition_ids[:-1]] + [Urgency.ROUTINE.rank]
    parent = [index[kb.findings[f].parent] if kb.findings[f].parent else -1  # type: ignore[index]
              for f in finding_ids]
    return CompiledModel(
        kb=kb,
        condition_ids=condition_ids,
        finding_ids=finding_ids,
        finding_index=index,
        p=p,
        log_p=np.log(p),
        log_q=np.log1p(-p),
        base_rate=base,
        prior=prior,
        urgency_rank=np.array(urgency),
        danger=np.array([kb.findings[f].danger for f in finding_ids]),
        parent_index=np.array(parent),
    )
