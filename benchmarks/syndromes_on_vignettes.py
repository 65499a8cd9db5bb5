"""EWARN syndrome rules on consultations as yakbang records them (issue 9). A benchmark: it prints.

Each vignette is run as an interview (the engine asks, the vignette answers), and the record it
would leave (the findings said present, the leading condition, the age) is mapped to syndromes
exactly as `outbreaks report` does. The truth is the same case definitions applied to everything
the vignette says is present, with its expected diagnosis as the leading condition: what a
health worker who knew the whole case would count. So the figures say how much of what the
case definitions need an interview's record keeps. Reported: for each syndrome, found, missed
and false, and sensitivity and positive predictive value overall.

    .venv/bin/python benchmarks/syndromes_on_vignettes.py vignettes/dev.json [--mode static]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from yakbang.evaluation.runner import Mode, oracle_sets, run_case
from yakbang.evaluation.vignettes import load_vignettes
from yakbang.kb import load_kb
from yakbang.outbreaks.records import syndromes_of


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--mode", default="interview", choices=["interview", "static"])
    args = parser.parse_args()
    kb = load_kb()
    found, missed, false = Counter[str](), Counter[str](), Counter[str]()
    examples: dict[str, list[str]] = {}
    cases = 0
    for file in args.files:
        for v in load_vignettes(file):
            r = run_case(kb, v, Mode(args.mode))
            cases += 1
            age = r.assessment.patient.age.months
            top = r.assessment.ranked[0].id if r.assessment.ranked else None
            said = set(r.assessment.evidence.present)
            got = set(syndromes_of(kb, said, top, age))
            gold = [c.id for c in kb.conditions.values()
                    if any(code.matches(e) for code in c.codes for e in v.expected.icd10)]
            everything, _ = oracle_sets(kb, v)
            truth = {s for c in gold or [None] for s in syndromes_of(kb, everything, c, age)}
            for s in truth & got:
                found[s] += 1
            for s in truth - got:
                missed[s] += 1
                examples.setdefault(f"missed {s}", []).append(v.id)
            for s in got - truth:
                false[s] += 1
                examples.setdefault(f"false {s}", []).append(v.id)
    tp, fn, fp = sum(found.values()), sum(missed.values()), sum(false.values())
    out = {"cases": cases, "mode": args.mode,
           "sensitivity": round(tp / max(tp + fn, 1), 3), "ppv": round(tp / max(tp + fp, 1), 3),
           "by_syndrome": {s: {"found": found[s], "missed": missed[s], "false": false[s]}
                           for s in sorted(set(found) | set(missed) | set(false))},
           "examples": {k: v[:8] for k, v in sorted(examples.items())}}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
