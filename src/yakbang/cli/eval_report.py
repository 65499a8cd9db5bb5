"""Print an evaluation: a summary table, or JSON with every case."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.progress import track

from yakbang.errors import UserError
from yakbang.evaluation.runner import Mode, case_dict, run_case, summarise
from yakbang.evaluation.vignettes import load_vignettes
from yakbang.kb.loader import KnowledgeBase


def run_eval(kb: KnowledgeBase, file: Path, mode: str, max_questions: int, as_json: bool,
             console: Console) -> None:
    try:
        the_mode = Mode(mode)
    except ValueError:
        raise UserError(f"--mode {mode!r} is not known; use static or interview") from None
    vignettes = load_vignettes(file)
    results = [run_case(kb, v, the_mode, max_questions)
               for v in track(vignettes, description="vignettes", console=Console(stderr=True),
                              disable=as_json or not sys.stderr.isatty())]
    summary = summarise(results)
    if as_json:
        out = {"summary": {"mode": the_mode.value, **asdict(summary)},
               "cases": [case_dict(kb, r) for r in results]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    console.print(f"mode {the_mode.value}, {summary.cases} vignettes from {file}")
    console.print(f"top-1 {summary.top1:.1%}  top-3 {summary.top3:.1%}  top-10 {summary.top10:.1%}")
    console.print(f"triage {summary.triage_accuracy:.1%}  "
                  f"emergency as self-care {summary.emergency_as_self_care}")
    console.print(f"under-triage by expected level {summary.under_triage}")
    console.print(f"over-triage by expected level {summary.over_triage}")
    console.print(f"median questions asked {summary.median_questions:g}")
    for level, fig in summary.by_triage.items():
        console.print(f"  {level:14} n={fig['cases']:.0f} triage {fig['triage_accuracy']:.1%} "
                      f"top-3 {fig['top3']:.1%}")
