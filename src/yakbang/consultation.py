"""The consultation as front ends use it: inputs to evidence, evidence to a plain result.

Everything here is pure; the CLI, the evaluation and (later) the web page call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from yakbang.engine import Assessment, Evidence, assess
from yakbang.engine.triage import ReasonKind, UrgencyReason
from yakbang.errors import UserError
from yakbang.kb.loader import KnowledgeBase
from yakbang.text import Understanding
from yakbang.text.describe import finding_dicts, summary_line
from yakbang.text.person import PersonHint
from yakbang.treatment import Choice, Stock, TreatmentInput, TreatmentResult, plan_treatment
from yakbang.treatment.messages import FORM_NAMES, SLOT_NAMES, UNIT_NAMES
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


def person_from_text(understood: Sequence[Understanding]) -> PersonHint | None:
    """Who is ill, as the first description that says anything about it says."""
    return next((u.person for u in understood if not u.person.empty), None)


@dataclass(frozen=True)
class Filled:
    """Who is ill after filling what was not given from what the description said."""

    age_years: float | None
    age_months: int | None
    sex: str | None
    pregnant: bool
    pregnancy_weeks: int | None
    from_text: tuple[str, ...] = ()  # keys filled from the description

    def said(self, lang: Lang) -> list[str]:
        """What was filled in, in words, so the user can correct it."""
        en = lang is Lang.EN
        out = []
        if "age" in self.from_text and self.age_months is not None:
            years = self.age_months / 12
            out.append((f"age {years:g} years" if en else f"나이 {years:g}살") if self.age_months >= 24
                       else (f"age {self.age_months} months" if en else f"나이 {self.age_months}개월"))
        if "sex" in self.from_text and self.sex is not None:
            out.append(({"female": "female", "male": "male"} if en else
                        {"female": "여자", "male": "남자"})[self.sex])
        if "pregnant" in self.from_text:
            weeks = self.pregnancy_weeks
            out.append(("pregnant" if en else "임신") + (
                "" if weeks is None else (f", {weeks} weeks" if en else f" {weeks}주")))
        return out


def fill_from_text(hint: PersonHint | None, age_years: float | None, age_months: int | None,
                   sex: str | None, pregnant: bool, pregnancy_weeks: int | None) -> Filled:
    """Fill age, sex and pregnancy that were not given from the description, only from what
    it says in so many words ("my 3-year-old son"); never guess an age from "baby" alone."""
    filled: list[str] = []
    if hint is None:
        return Filled(age_years, age_months, sex, pregnant, pregnancy_weeks)
    if age_years is None and age_months is None:
        if hint.age_months is not None:
            age_months = hint.age_months
            filled.append("age")
        elif hint.group is not None:
            said = ", ".join(hint.words) or hint.group.value
            raise UserError(f"the description says who is ill ({said}) but not the age; "
                            "give --age YEARS or --age-months MONTHS")
    if sex is None and hint.sex is not None:
        sex = hint.sex.value
        filled.append("sex")
    months = age_months if age_months is not None else (
        None if age_years is None else age_years * 12)
    adult_woman = sex == "female" and (months is None or months >= 120)
    if not pregnant and pregnancy_weeks is None and hint.pregnant and adult_woman:
        pregnant = True
        pregnancy_weeks = hint.pregnancy_weeks
        filled.append("pregnant")
    return Filled(age_years, age_months, sex, pregnant, pregnancy_weeks, tuple(filled))


def understood_dict(kb: KnowledgeBase, understood: Sequence[Understanding], lang: Lang) -> dict[str, Any]:
    """What free text said, to show back: findings with what was said about each, who is
    ill when said, the words not understood, and all of it as one line."""
    findings = finding_dicts(kb, understood, lang)
    not_understood = [w for u in understood for w in u.not_understood]
    person = person_from_text(understood)
    return {
        "present": [f["id"] for f in findings if f["present"]],
        "absent": [f["id"] for f in findings if not f["present"]],
        "not_understood": not_understood,
        "findings": findings,
        "person": None if person is None else {
            "sex": person.sex.value if person.sex else None, "age_months": person.age_months,
            "group": person.group.value if person.group else None, "pregnant": person.pregnant,
            "pregnancy_weeks": person.pregnancy_weeks, "words": list(person.words)},
        "summary": summary_line(findings, not_understood, lang),
    }


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


def _word(table: dict[str, tuple[str, str]], key: str, lang: Lang) -> str:
    pair = table.get(key)
    return key if pair is None else pair[1 if lang is Lang.KO else 0]


def _dose_dict(kb: KnowledgeBase, choice: Choice, lang: Lang) -> dict[str, Any]:
    med = kb.medicines[choice.medicine]
    regimen = med.regimen(choice.regimen)
    assert regimen is not None  # the loader checked every plan's regimen
    out: dict[str, Any] = {
        "medicine": med.id,
        "name": med.name.get(lang),
        "antibiotic": med.antibiotic,
        "regimen": regimen.id,
        "indication": regimen.indication.get(lang),
        "route": regimen.route,
        "form": choice.form.kind.value,
        "form_name": _word(FORM_NAMES, choice.form.kind.value, lang),
        "strength": choice.form.describe(med.dose_unit),
        "strength_text": choice.form.describe(med.dose_unit).replace(
            choice.form.kind.value, _word(FORM_NAMES, choice.form.kind.value, lang), 1),
        "from_stock": choice.from_stock,
        "stock_line": choice.stock_line,
        "instructions": regimen.instructions.get(lang) if regimen.instructions else None,
        "notes": [n.as_dict(lang) for n in choice.notes],
        "side_effects": med.side_effects.get(lang),
        "warnings": med.warnings.get(lang) if med.warnings else [],
        "storage": med.storage.get(lang),
        "references": [r.model_dump(exclude_none=True) for r in regimen.references],
    }
    if choice.dose is None:
        out["dose"] = {"applied": True, "times_per_day": regimen.times_per_day, "days": regimen.days}
        return out
    d = choice.dose
    out["dose"] = {
        "applied": False,
        "amount": d.amount,
        "dose_unit": med.dose_unit,
        "units": d.units,
        "unit": d.unit,
        "unit_name": _word(UNIT_NAMES, d.unit, lang),
        "times_per_day": d.times_per_day,
        "schedule": d.schedule,
        "min_hours_apart": regimen.min_hours_apart,
        "days": d.days,
        "slots": [SLOT_NAMES[s][1 if lang is Lang.KO else 0] for s in d.slots],
        "per_day": d.per_day,
        "max_times_per_day": d.max_times_per_day,
        "day_units": list(d.day_units) if d.day_units else None,
        "course_units": d.course_units,
        "safe_range": [round(d.low, 3), round(d.high, 3)],
    }
    return out


def treatment_dict(kb: KnowledgeBase, t: TreatmentResult, lang: Lang) -> dict[str, Any]:
    """A plain, JSON-ready view of a treatment plan in one language."""
    steps = []
    for s in t.steps:
        steps.append({
            "step": s.step,
            "purpose": s.purpose.get(lang),
            "give": _dose_dict(kb, s.choice, lang) if s.choice else None,
            "not_used": [{"medicine": m, "why": why.as_dict(lang)} for m, why in s.skipped],
            "get": None if s.get is None else {
                "medicine": s.get[0], "form": s.get[1].describe(kb.medicines[s.get[0]].dose_unit)},
            "message": s.message.as_dict(lang) if s.message else None,
        })
    return {
        "condition": t.condition,
        "weight_kg": t.weight_kg,
        "weight_estimated": t.weight_estimated,
        "emergency": t.emergency,
        "steps": steps,
        "care": t.care.get(lang),
        "no_antibiotic": t.no_antibiotic.get(lang) if t.no_antibiotic else None,
        "refer": t.refer.get(lang) if t.refer else None,
        "warnings": [w.as_dict(lang) for w in t.warnings],
    }


def plan_for(kb: KnowledgeBase, a: Assessment, inp: TreatmentInput, stock: Stock | None,
             today: date) -> TreatmentResult | None:
    """Treatment for the leading condition; None when yakbang is too unsure to suggest medicine."""
    if not a.ranked or a.low_confidence:
        return None
    return plan_treatment(kb, a.ranked[0].id, a.urgency.urgency, inp, stock, today)


def advice(kb: KnowledgeBase, evidence: Evidence, inp: TreatmentInput, stock: Stock | None,
           today: date, lang: Lang) -> tuple[dict[str, Any], TreatmentResult | None]:
    """Assessment and treatment for one person as a plain dict, with the plan behind it.

    The command line and the web page both answer with this; the findings present now
    (for the planner's cautions) are taken from the evidence.
    """
    assessment = assess(kb, inp.patient, evidence)
    result = assessment_dict(kb, assessment, lang)
    plan = plan_for(kb, assessment, replace(inp, present=frozenset(evidence.present)), stock, today)
    result["treatment"] = None if plan is None else treatment_dict(kb, plan, lang)
    return result, plan
