"""Print an evaluation: a summary table, or JSON with every case."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

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


def run_eval_text(kb: KnowledgeBase, files: list[Path], errors: bool, as_json: bool,
                  console: Console) -> None:
    from rich.table import Table

    from yakbang.evaluation.text_eval import evaluate_phrases, load_phrases

    results, scores = evaluate_phrases(kb, load_phrases(kb, files))
    if as_json:
        out = {"scores": {k: asdict(v) for k, v in scores.items()},
               "errors": [{"id": r.phrase.id, "text": r.phrase.text,
                           "missing": sorted(r.expected - r.read), "extra": sorted(r.read - r.expected)}
                          for r in results if r.expected != r.read]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{len(results)} phrases from {len(files)} file(s)")
    for col in ("group", "n", "prec", "recall", "neg", "absent", "exact", "days", "temp", "who"):
        table.add_column(col, justify="left" if col == "group" else "right", no_wrap=True)

    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    for name, sc in scores.items():
        table.add_row(name.removeprefix("lang:"), str(sc.phrases), pct(sc.precision), pct(sc.recall),
                      pct(sc.negation_accuracy), pct(sc.absent_recall), pct(sc.exact), pct(sc.days_accuracy),
                      pct(sc.celsius_accuracy), pct(sc.person_accuracy))
    Console(width=max(console.width, 110), file=console.file).print(table)
    console.print("prec/recall: findings read right (present or absent); neg: of findings read, the "
                  "share with the right polarity; absent: recall of findings said absent; exact: phrases "
                  "read exactly; days/temp/who: durations, temperatures and who is ill read right",
                  markup=False)
    if errors:
        for r in results:
            if r.expected != r.read:
                console.print(f"{r.phrase.id} {r.phrase.text}", markup=False)
                missing, extra = sorted(r.expected - r.read), sorted(r.read - r.expected)
                console.print(f"   missing {missing}  extra {extra}", markup=False)


def run_eval_names(kb: KnowledgeBase, files: list[Path], errors: bool, as_json: bool,
                   console: Console) -> None:
    from rich.table import Table

    from yakbang.evaluation.identify_eval import evaluate_names, load_name_queries

    outcomes, scores = evaluate_names(kb, load_name_queries(files))
    wrong = [o for o in outcomes if not o.top1]

    def show(o: Any) -> dict[str, Any]:
        best = o.result.best if o.result is not None else None
        return {"id": o.query.id, "query": o.query.query, "status": o.result.status if o.result else "error",
                "expected": [f"{i.inn} {i.strength_mg}" for i in o.query.expected.ingredients],
                "got": [f"{p.inn} {p.per_5ml() if p.per_ml else p.amount}"
                        for p in (best.parts if best else ())],
                "error": o.error}

    summary: dict[str, Any] = {"queries": scores.queries, "top1": scores.rate(scores.top1, scores.queries),
               "top3": scores.rate(scores.top3, scores.queries),
               "form": scores.rate(scores.forms_right, scores.forms),
               "by": {k: {"n": n, "top1": r / n} for k, (n, r) in sorted(scores.by.items())}}
    if as_json:
        sys.stdout.write(json.dumps({"scores": summary, "errors": [show(o) for o in wrong]},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{scores.queries} name queries from {len(files)} file(s)")
    for col in ("group", "n", "top-1"):
        table.add_column(col, justify="left" if col == "group" else "right", no_wrap=True)
    table.add_row("all", str(scores.queries), f"{summary['top1']:.3f}")
    for k, v in summary["by"].items():
        table.add_row(k, str(v["n"]), f"{v['top1']:.3f}")
    console.print(table)
    form = summary["form"]
    console.print(f"top-3 {summary['top3']:.3f}; form right (by family) "
                  f"{'-' if form is None else f'{form:.3f}'} of {scores.forms}", markup=False)
    if errors:
        for o in wrong:
            d = show(o)
            console.print(f"{d['id']} {d['query']!r} [{d['status']}] expected {d['expected']} got {d['got']}"
                          + (f" ({d['error']})" if d["error"] else ""), markup=False)


def run_eval_pills(kb: KnowledgeBase, files: list[Path], errors: bool, as_json: bool,
                   console: Console) -> None:
    from rich.table import Table

    from yakbang.evaluation.identify_eval import evaluate_pills, load_pill_cases

    scores = evaluate_pills(kb, load_pill_cases(files))
    n = scores.queries
    summary: dict[str, Any] = {"queries": n, "top1": scores.top1 / n, "top3": scores.top3 / n,
               "by": {k: {"n": v[0], "top1": v[1] / v[0], "top3": v[2] / v[0]}
                      for k, v in sorted(scores.by.items())}}
    if as_json:
        wrong = [{"id": c.id, "expected": c.expected, "got": ids} for c, ids in scores.wrong]
        out = {"scores": summary, "errors": wrong}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{n} appearance queries from {len(files)} file(s)")
    for col in ("noise", "n", "top-1", "top-3"):
        table.add_column(col, justify="left" if col == "noise" else "right", no_wrap=True)
    table.add_row("all", str(n), f"{summary['top1']:.3f}", f"{summary['top3']:.3f}")
    for k, v in summary["by"].items():
        table.add_row(k, str(v["n"]), f"{v['top1']:.3f}", f"{v['top3']:.3f}")
    console.print(table)
    if errors:
        for c, ids in scores.wrong:
            console.print(f"{c.id} {c.query.model_dump(exclude_none=True)} expected {c.expected} got {ids}",
                          markup=False)
