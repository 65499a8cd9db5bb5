"""Run vignettes through the engine, statically or as an interview answered by an oracle."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from yakbang.consultation import evidence_from, fill_from_text, person_from_text
from yakbang.engine import Answer, Assessment, assess, next_question
from yakbang.engine.interview import DEFAULT_MAX_QUESTIONS
from yakbang.errors import UserError
from yakbang.evaluation.vignettes import Vignette
from yakbang.kb.loader import KnowledgeBase
from yakbang.text import Understanding, understand
from yakbang.types import Lang, Patient, Triage


class Mode(StrEnum):
    STATIC = "static"
    INTERVIEW = "interview"


@dataclass(frozen=True)
class CaseResult:
    vignette: Vignette
    assessment: Assessment
    questions_asked: int
    understood: list[str]
    rank: int | None  # 1-based rank of the first correct condition, None if not in the list

    @property
    def triage(self) -> Triage:
        return self.assessment.urgency.triage


@dataclass
class Summary:
    cases: int = 0
    top1: float = 0.0
    top3: float = 0.0
    top10: float = 0.0
    triage_accuracy: float = 0.0
    under_triage: dict[str, int] = field(default_factory=dict)
    over_triage: dict[str, int] = field(default_factory=dict)
    emergency_as_self_care: int = 0
    median_questions: float = 0.0
    by_triage: dict[str, dict[str, float]] = field(default_factory=dict)


def _phrases(kb: KnowledgeBase, phrases: list[str]) -> list[Understanding]:
    return [u for p in phrases if (u := _read(kb, p)) is not None]


def _read(kb: KnowledgeBase, text: str) -> Understanding | None:
    """A phrase as the reader understands it; None for one it refuses (empty, no Korean or
    English letters): a vignette file is scored, not stopped, by one odd phrase."""
    try:
        return understand(kb, text) if text.strip() else None
    except UserError:
        return None


def _ids(us: list[Understanding]) -> tuple[list[str], list[str]]:
    present = [f for u in us for f in u.present]
    absent = [f for u in us for f in u.absent]
    return present, absent


def oracle_sets(kb: KnowledgeBase, v: Vignette) -> tuple[set[str], set[str]]:
    """Findings the oracle answers yes to (present, history) and no to (absent)."""
    yes_p, no_p = _ids(_phrases(kb, v.present + v.history))
    # A phrase in `absent` names findings that are absent, said with or without "no".
    absent_all = [f for u in _phrases(kb, v.absent) for f in [*u.present, *u.absent]]
    yes = set(yes_p)
    for fid in list(yes):
        parent = kb.findings[fid].parent
        while parent is not None:
            yes.add(parent)
            parent = kb.findings[parent].parent
    no = (set(no_p) | set(absent_all)) - yes
    return yes, no


def _ancestors(kb: KnowledgeBase, fid: str) -> list[str]:
    out = []
    parent = kb.findings[fid].parent
    while parent is not None:
        out.append(parent)
        parent = kb.findings[parent].parent
    return out


def correct_rank(kb: KnowledgeBase, a: Assessment, expected: list[str]) -> int | None:
    for rank, rc in enumerate(a.ranked, start=1):
        if any(code.matches(e) for code in kb.conditions[rc.id].codes for e in expected):
            return rank
    return None


def run_case(
    kb: KnowledgeBase, v: Vignette, mode: Mode, max_questions: int = DEFAULT_MAX_QUESTIONS
) -> CaseResult:
    lang = Lang(v.language)
    complaint = [u for u in [_read(kb, v.complaint)] if u is not None]
    patient = v.patient()
    hint = person_from_text(complaint)
    if "pregnant" not in v.model_fields_set and hint is not None:
        # As `advise` does: pregnancy said in the description counts when not given.
        filled = fill_from_text(hint, v.age_years, None, v.sex, False, None)
        patient = Patient(patient.age, patient.sex, filled.pregnant)
    yes, no = oracle_sets(kb, v)
    asked = 0
    if mode is Mode.STATIC:
        # What the complaint says present (and so its parents) outranks an oracle "no".
        said = {f for u in complaint for f in u.present}
        said |= {p for f in list(said) for p in _ancestors(kb, f)}
        evidence = evidence_from(kb, present=sorted(yes), absent=sorted(no - said), understood=complaint)
    else:
        evidence = evidence_from(kb, understood=complaint)
        while asked < max_questions:
            q = next_question(kb, patient, evidence, lang)
            if q is None:
                break
            asked += 1
            fid = q.finding_id
            answer = Answer.YES if fid in yes else Answer.NO if fid in no else Answer.UNKNOWN
            evidence = evidence.with_answer(kb, fid, answer)
    a = assess(kb, patient, evidence, top=10)
    understood = sorted({*yes, *no, *(f for u in complaint for f in [*u.present, *u.absent])})
    return CaseResult(v, a, asked, understood, correct_rank(kb, a, v.expected.icd10))


def summarise(results: list[CaseResult]) -> Summary:
    n = len(results)
    s = Summary(cases=n)
    if not n:
        return s
    s.top1 = sum(r.rank is not None and r.rank <= 1 for r in results) / n
    s.top3 = sum(r.rank is not None and r.rank <= 3 for r in results) / n
    s.top10 = sum(r.rank is not None and r.rank <= 10 for r in results) / n
    s.triage_accuracy = sum(r.triage is r.vignette.expected.triage for r in results) / n
    under: Counter[str] = Counter()
    over: Counter[str] = Counter()
    for r in results:
        exp = r.vignette.expected.triage
        if r.triage.rank < exp.rank:
            under[exp.value] += 1
        elif r.triage.rank > exp.rank:
            over[exp.value] += 1
    s.under_triage = {t.value: under[t.value] for t in Triage}
    s.over_triage = {t.value: over[t.value] for t in Triage}
    s.emergency_as_self_care = sum(
        r.vignette.expected.triage is Triage.EMERGENCY and r.triage is Triage.SELF_CARE
        for r in results
    )
    s.median_questions = float(statistics.median(r.questions_asked for r in results))
    for t in Triage:
        group = [r for r in results if r.vignette.expected.triage is t]
        if group:
            s.by_triage[t.value] = {
                "cases": len(group),
                "triage_accuracy": sum(r.triage is t for r in group) / len(group),
                "top3": sum(r.rank is not None and r.rank <= 3 for r in group) / len(group),
            }
    return s


def case_dict(kb: KnowledgeBase, r: CaseResult) -> dict[str, Any]:
    return {
        "id": r.vignette.id,
        "triage": r.triage.value,
        "expected_triage": r.vignette.expected.triage.value,
        "expected_icd10": r.vignette.expected.icd10,
        "rank_of_expected": r.rank,
        "ranked": [
            {"id": rc.id, "name": kb.conditions[rc.id].name.en,
             "icd10": list(kb.conditions[rc.id].icd10), "probability": round(rc.probability, 4)}
            for rc in r.assessment.ranked
        ],
        "questions_asked": r.questions_asked,
        "understood": r.understood,
    }


def evaluate(kb: KnowledgeBase, vignettes: list[Vignette], mode: Mode,
             max_questions: int = DEFAULT_MAX_QUESTIONS) -> list[CaseResult]:
    return [run_case(kb, v, mode, max_questions) for v in vignettes]
