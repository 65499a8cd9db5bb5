"""`yakbang bench`: figures for this machine. A benchmark, not a test: nothing asserts here."""

from __future__ import annotations

import functools
import itertools
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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


# Descriptions as people type them, short and long, for the free-text reader's latency.
TEXTS_EN = [
    "no fever, no cough, just a runny nose and sneezing for two days",
    "my 3-year-old son has had diarrhoea 6 times a day since Monday and now he is throwing up",
    "temp 39.5, stiff neck, very sleepy, vomited twice this morning",
    "chest pain for 2 hours going down the left arm, sweating, feels sick, he is 58",
    "pee burns and I go every half hour, no fever, no back pain",
    "She had a fit for about 2 minutes and bit her tongue. She has epilepsy but ran out of "
    "her tablets last week. Now she is sleepy but answers, no fever, no headache before it.",
]
TEXTS_KO = [
    "아이가 어제부터 물 같은 설사를 열 번 넘게 하고 토해요. 눈이 쑥 들어갔어요",
    "열은 없고 기침이랑 콧물만 사흘째 나요",
    "우리 할머니가 가슴이 답답하고 숨이 차대요. 다리도 퉁퉁 부었어요",
    "임신 8개월인데 머리가 깨질 듯 아프고 눈앞이 뿌옇게 보여요. 배는 안 아파요",
    "로인이 페염인지 열이 39도까지 오르고 숨이 가빠요, 밥도 못 먹어요",
    "세 살 난 아들이 이틀 전부터 귀가 아프다고 울고 열이 나요. 귀에서 고름은 안 나와요. "
    "기침은 조금 하는데 숨 쉬는 건 괜찮고 젖도 잘 먹어요. 어제 밤에는 한숨도 못 잤어요.",
]

# The child's own peak from /proc (VmHWM): getrusage's maxrss keeps the parent's peak across exec.
_ANALYSER_START = """
import json, re, time
t0 = time.perf_counter()
from yakbang.text.korean import analyser
analyser().tokenize("열이 나요")
with open("/proc/self/status") as fh:
    hwm = int(re.search(r"VmHWM:\\s+(\\d+)", fh.read()).group(1))
print(json.dumps({"s": time.perf_counter() - t0, "rss_mb": hwm / 1024}))
"""


def _analyser_start() -> dict[str, float]:
    """Start-up of the Korean analyser in a fresh process: seconds and its peak memory."""
    out = subprocess.run([sys.executable, "-c", _ANALYSER_START], capture_output=True, text=True,
                         check=True, timeout=120)
    figures = json.loads(out.stdout)
    return {"seconds": round(figures["s"], 3), "peak_rss_mb": round(figures["rss_mb"], 1)}


def _read_next(kb: KnowledgeBase, texts: Iterator[str]) -> None:
    understand(kb, next(texts), date(2026, 11, 29))


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


# Name queries as people type them, in the scripts the issue names (not the dev set).
NAME_QUERIES = [
    "阿莫西林胶囊 0.25g", "левомицетин 0,25", "扑热息痛片", "타이레놀 500", "感冒灵颗粒",
    "Бисептол 480", "paracetamol 500mg tablets", "ibuprofen 400", "甲硝唑片 0.2g", "анальгин",
    "아목시실린 캡슐 250mg", "ロキソニン錠60mg", "Co-trimoxazole 960", "aspirin 300 mg", "氯霉素",
    "метронидазол 250 мг", "게보린", "amoxicilin 500", "парацетомол", "Zorvexalin Forte",
]


def _identify_bench(kb: KnowledgeBase, repeat: int) -> dict[str, Any]:
    """Name resolution on a catalogue padded to 50,000 names; pill search on 100,000 rows."""
    from yakbang.identify.names import identify_name
    from yakbang.identify.padding import padded_index, padded_pills
    from yakbang.identify.pills import PillIndex, PillQuery, search_pills

    t0 = time.perf_counter()
    index = padded_index(kb, 50_000)
    index_s = time.perf_counter() - t0
    names = itertools.cycle(NAME_QUERIES)
    identify_name(kb, NAME_QUERIES[0], index)
    name_times = _time(lambda: identify_name(kb, next(names), index), max(repeat, 500))
    t0 = time.perf_counter()
    table = PillIndex.build(padded_pills(kb, 100_000))
    table_s = time.perf_counter() - t0
    rng = np.random.default_rng(6)
    queries = []
    for i in rng.integers(0, len(table.pills), 200):
        p = table.pills[int(i)]
        # Misread characters and a worn last character, as people read imprints.
        front = p.imprint_front or ""
        imprint = front.replace("0", "O").replace("1", "l")[: max(1, len(front) - 1)]
        queries.append(PillQuery(imprint or None, tuple(p.colours), p.shape))
    queries.append(PillQuery(None, ("white",), "round", 1))
    pill_cycle = itertools.cycle(queries)
    pill_times = _time(lambda: search_pills(kb, next(pill_cycle), table), max(repeat, 500))
    return {"name_catalogue_names": len(index.exact), "name_index_build_s": round(index_s, 3),
            "identify_name": _percentiles(name_times), "pill_table_rows": len(table.pills),
            "pill_index_build_s": round(table_s, 3), "identify_pill": _percentiles(pill_times)}


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

    readings = {}
    for name, texts in (("en", TEXTS_EN), ("ko", TEXTS_KO)):
        cycle = itertools.cycle(texts)
        readings[name] = _percentiles(_time(
            functools.partial(_read_next, kb, cycle), repeat))
    longest = (" ".join(TEXTS_KO + TEXTS_EN) * 20)[:4990]
    readings["longest_4990_chars"] = _percentiles(_time(lambda: understand(kb, longest), 20))

    identify = _identify_bench(kb, repeat)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "identify": identify,
        "text_reading": readings,
        "korean_analyser_start": _analyser_start(),
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
