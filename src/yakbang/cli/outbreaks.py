"""`yakbang outbreaks ...`: alerts from counts per day, area and syndrome."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from yakbang.cli.options import JsonOption
from yakbang.errors import UserError
from yakbang.kb import load_kb

console = Console()
outbreaks_app = typer.Typer(help="Outbreak watch from counts per day, area and syndrome.\n\n"
                            "Example: yakbang outbreaks detect --counts counts.csv", no_args_is_help=True)


@outbreaks_app.command("detect")
def detect_cmd(
    counts: Annotated[Path, typer.Option("--counts", help="CSV: date,area,syndrome,count.")],
    method: Annotated[str, typer.Option("--method", help="ears_c1, ears_c2, ears_c3, ewma, "
                                        "regression, who, or all.")] = "all",
    rate: Annotated[float, typer.Option("--false-alarm-rate", help="False alarms a series may raise "
                                        "per day (0.01: one per 100 days).")] = 0.01,
    since: Annotated[str | None, typer.Option("--since", help="Only alerts from this date.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Alerts (area, syndrome, date, method, score) from a counts file, with thresholds calibrated
    to the false-alarm rate; WHO rules raise a single suspected cholera case the same day.

    Example: yakbang outbreaks detect --counts counts.csv --method ewma --since 2026-11-01
    """
    from yakbang.outbreaks.alerts import detect
    from yakbang.outbreaks.detectors import METHODS
    from yakbang.outbreaks.series import read_counts

    kb = load_kb()
    try:
        text = counts.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {counts}: {exc}") from None
    known = set(kb.syndromes) or None
    series = read_counts(text, known)
    start = None
    if since:
        try:
            start = date.fromisoformat(since)
        except ValueError:
            raise UserError(f"--since {since!r} is not a date like 2026-11-01") from None
    methods = [*METHODS, "who"] if method == "all" else [m.strip() for m in method.split(",")]
    single = {s.id for s in kb.syndromes.values() if s.single_case_alert}
    alerts = detect(series, methods, rate, start, single)
    if as_json:
        typer.echo(json.dumps([a.as_dict() for a in alerts], ensure_ascii=False, indent=2))
        return
    for a in alerts:
        console.print(f"{a.day.isoformat()}  {a.area}  {a.syndrome}  {a.method}  score {a.score:.2f} "
                      f"(threshold {a.threshold:.2f}), {int(a.count)} cases", markup=False)
    if not alerts:
        console.print("no alerts", markup=False)
