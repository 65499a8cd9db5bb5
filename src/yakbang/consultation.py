"""The consultation as front ends use it: inputs to evidence, evidence to a plain result.

Everything here is pure; the CLI, the evaluation and (later) the web page call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from yakbang.engine import Assessment, Evidence
from yakbang.engine.triage import ReasonKind, UrgencyReason
from yakbang.kb.loader import KnowledgeBase
from yakbang.text import Understanding
from yakbang.types import Lang


def evidence_from(
    kb: KnowledgeBase,
    present: Iterable[str] = (),
    absent: Iterable[str] = (),
    understood: Sequence[Understanding] = (),
) -> Evidence:
    """Combine ids given explicitly with what free text said.

    Explicit ids are validated strictly. From text, a finding said present anywhere wins over
    a negation elsewhere ("no fever yesterday, fever today"), and a child said present (blood
    in stool) overrides a negated parent, since the person saw the specific thing.
    """
    present = list(present)
    absent = list(absent)
    text_present = [f for u in understood for f in u.present]
    text_absent = [f for u in understood for f in u.absent]
    yes = dict.fromkeys([*present, *(f for f in text_present if f not in absent)])
    for fid in list(yes):
        parent = kb.findings[fid].parent if fid in kb.findings else None
        while parent is not None:
            yes.setdefault(parent, None)
            parent = kb.findings[parent].parent
    no = dict.fromkeys([*absent, *(f for f in text_absent if f not in yes)])
    return Evidence.build(kb, present=list(yes), absent=[f for f in no if f not in yes or f in absent])


def _reason_dict(kb: KnowledgeBase, r: UrgencyReason, lang: Lang) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": r.kind.value, "urgency": r.urgency.value, "id": r.source_id}
    if r.kind is ReasonKind.DANGER_SIGN:
        out["text"] = kb.findings[r.source_id].name.get(lang)
    elif r.kind is ReasonKind.RULE:
        rule = next(x for x in kb.rules if x.id == r.source_id)
        out["text"] = rule.description.get(lang)
    else:
        out["probability"] = round(r.probability or 0.0, 4)
        out["conditions"] = [
            {"id": c, "name": kb.conditions[c].name.get(lang) if c in kb.conditions else c,
             "probability": round(p, 4)}
            for c, p in r.conditions
        ]
    out["findings"] = list(r.findings)
    return out


def assessment_dict(kb: KnowledgeBase, a: Assessment, lang: Lang) -> dict[str, Any]:
    """A plain, JSON-ready view of an assessment in one language."""

    def finding_weights(pairs: Sequence[tuple[str, float]]) -> list[dict[str, Any]]:
        return [{"id": f, "name": kb.findings[f].name.get(lang), "weight": round(w, 2)}
                for f, w in pairs]

    conditions = []
    for rc in a.ranked:
        c = kb.conditions[rc.id]
        conditions.append({
            "id": rc.id,
            "name": c.name.get(lang),
            "icd10": list(c.icd10),
            "probability": round(rc.probability, 4),
            "urgency": c.urgency.value,
            "supporting": finding_weights(rc.supporting),
            "opposing": finding_weights(rc.opposing),
        })
    lead = kb.conditions[a.ranked[0].id] if a.ranked else None
    return {
        "patient": {
            "age_months": a.patient.age.months,
            "sex": a.patient.sex.value,
            "pregnant": a.patient.pregnant,
        },
        "findings": {"present": a.evidence.present, "absent": a.evidence.absent},
        "triage": a.urgency.triage.value,
        "urgency": a.urgency.urgency.value,
        "urgency_reasons": [_reason_dict(kb, r, lang) for r in a.urgency.reasons],
        "conditions": conditions,
        "other_probability": round(a.other_probability, 4),
        "low_confidence": a.low_confidence,
        "advice": None if lead is None else {
            "condition": lead.id,
            "explanation": lead.explanation.get(lang),
            "home_care": lead.home_care.get(lang),
            "go_now_if": lead.go_now_if.get(lang),
        },
    }
