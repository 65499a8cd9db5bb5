"""`yakbang bench`: figures for this machine. A benchmark, not a test: nothing asserts here."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from yakbang.consultation import evidence_from
from yakbang.engine import Evidence, assess, next_question
from yakbang.kb.loader import DATA_DIR, KnowledgeBase, load_kb_from
from yakbang.text import understand
from yakbang.treatment import TreatmentInput, plan_treatment, read_stock, resolve_many
from yakbang.types import Age, Lang, Patient, Sex, Urgency

# A shelf an aid worker might keep: a dozen lines, children's and adults' forms.
BENCH_STOCK = """medicine,form,strength,quantity,expiry
amoxicillin,dispersible tablet,250 mg,200,2027-06-30
amoxicillin,capsule,500 mg,100,2027-03-31
paracetamol,tablet,500 mg,300,2028-01-01
paracetamol,syrup,120 mg/5 mL,10,2027-01-01
"""

SAMPLE_CASES: list[tuple[Patient, str]] = [
    (Patient(Age(216), Sex.MALE), "severe headache, fever, stiff neck"),
    (Patient(Age(7), Sex.FEMALE), "cough, fast breathing and the chest pulls in"),
    (Patient(Age(360), Sex.FEMALE), "runny nose, sneezing and a mild sore throat"),
    (Patient(Age(36), Sex.MALE), "아이가 어제부터 물 같은 설사를 하고 토해요. 눈이 쑥 들어갔어요"),
    (Patient(Age(840), Sex.FEMALE), "가슴이 답답하고 숨이 차요"),
]


def _percentiles(samples: list[float]) -> dict[str, float]:
    arr = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(arr, 50)), 3),
            "p99_ms": round(float(np.percentile(arr, 99)), 3)}


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def run_bench(repeat: int = 200) -> dict[str, Any]:
    t0 = time.perf_counter()
    kb: KnowledgeBase = load_kb_from(DATA_DIR)
    load_s = time.perf_counter() - t0
    loads = _time(lambda: load_kb_from(DATA_DIR), 3)

    def one_advice(i: int) -> None:
        patient, text = SAMPLE_CASES[i % len(SAMPLE_CASES)]
        assess(kb, patient, evidence_from(kb, understood=[understand(kb, text)]))

    one_advice(0)  # compile the model and the text reader once, as a running program would
    counter = iter(range(10**9))
    advice = _time(lambda: one_advice(next(counter)), repeat)

    patient, text = SAMPLE_CASES[1]
    start: Evidence = evidence_from(kb, understood=[understand(kb, text)])
    steps = _time(lambda: next_question(kb, patient, start, Lang.EN), repeat)

    shelf = read_stock(kb, BENCH_STOCK)
    plans = [(c, TreatmentInput(p, taking=tuple(resolve_many(kb, "paracetamol"))))
             for c in sorted(kb.treatments) for p, _ in SAMPLE_CASES[:3]]
    plan_counter = iter(range(10**9))

    def one_plan() -> None:
        condition, inp = plans[next(plan_counter) % len(plans)]
        plan_treatment(kb, condition, Urgency.URGENT, inp, shelf, date(2026, 11, 29))

    planning = _time(one_plan, max(repeat, len(plans)))

    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "kb_load_first_s": round(load_s, 3),
        "kb_load_best_s": round(min(loads), 3),
        "advise": _percentiles(advice),
        "interview_step": _percentiles(steps),
        "treatment_plan": _percentiles(planning),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "conditions": len(kb.conditions),
        "findings": len(kb.findings),
        "medicines": len(kb.medicines),
        "treatment_plans": len(kb.treatments),
        "repeat": repeat,
    }
