"""`yakbang outbreaks ...`: alerts from counts per day, area and syndrome."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from yakbang.cli.options import JsonOption
from yakbang.errors import UserError
from yakbang.kb import KnowledgeBase, load_kb

if TYPE_CHECKING:
    from yakbang.outbreaks.series import Series  # numpy: imported only when a command runs

console = Console()
outbreaks_app = typer.Typer(help="Outbreak watch from counts per day, area and syndrome.\n\n"
                            "Example: yakbang outbreaks detect --counts counts.csv", no_args_is_help=True)


def _since(since: str | None) -> date | None:
    if not since:
        return None
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise UserError(f"--since {since!r} is not a date like 2026-11-01") from None


def _read_counts(path: Path, kb: KnowledgeBase) -> Series:
    """A counts file, its syndromes checked against the knowledge base's."""
    from yakbang.outbreaks.series import read_counts

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    return read_counts(text, set(kb.syndromes) or None)


def _weekly(by: str | None, series_step: int) -> bool:
    if by not in (None, "day", "week"):
        raise UserError(f"--by {by!r}: use day or week")
    if by == "day" and series_step == 7:
        raise UserError("the counts are given by ISO week; they cannot be looked at by day")
    return by == "week" or series_step == 7


ByOption = Annotated[str | None, typer.Option("--by", help="day or week (ISO weeks, Monday to Sunday). "
                                              "Default: as the counts are given.")]


def _say_skipped(skipped: list[str], columns: int, unit: str) -> None:
    if skipped:
        console.print(f"too little history for {', '.join(skipped)} ({columns} {unit})", markup=False)


@outbreaks_app.command("detect")
def detect_cmd(
    counts: Annotated[Path, typer.Option("--counts", help="CSV: date,area,syndrome,count.")],
    method: Annotated[str, typer.Option("--method", help="ears_c1, ears_c2, ears_c3, ewma, "
                                        "regression, who, or all.")] = "all",
    rate: Annotated[float, typer.Option("--false-alarm-rate", help="False alarms a series may raise "
                                        "per day (0.01: one per 100 days).")] = 0.01,
    since: Annotated[str | None, typer.Option("--since", help="Only alerts from this date.")] = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Alerts (area, syndrome, date, method, score) from a counts file, with thresholds calibrated
    to the false-alarm rate; WHO rules raise a single suspected cholera case the same day.

    Example: yakbang outbreaks detect --counts counts.csv --method ewma --since 2026-11-01
    """
    from yakbang.outbreaks.report import alerts_for
    from yakbang.outbreaks.series import period_label

    start = _since(since)
    kb = load_kb()
    series = _read_counts(counts, kb)
    found = alerts_for(series, kb, start, rate, method, weekly=_weekly(by, series.step))
    series, alerts, skipped = found.series, found.alerts, found.skipped
    if as_json:
        typer.echo(json.dumps([a.as_dict() for a in alerts], ensure_ascii=False, indent=2))
        return
    _say_skipped(skipped, series.days, series.unit)
    for a in alerts:
        since = f" (since {a.since.isoformat()})" if a.since and a.since != a.day else ""
        when = period_label(a.day, a.step)
        console.print(f"{when}{since}  {a.area}  {a.syndrome}  {a.method}  score {a.score:.2f} "
                      f"(threshold {a.threshold:.2f}), {int(a.count)} cases", markup=False)
    if not alerts:
        console.print("no alerts", markup=False)


@outbreaks_app.command("report")
def report_cmd(
    db: Annotated[str | None, typer.Option("--db", help="Database of records.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Alerts from this date.")] = None,
    rate: Annotated[float, typer.Option("--false-alarm-rate")] = 0.01,
    method: Annotated[str, typer.Option("--method")] = "all",
    plots: Annotated[Path | None, typer.Option("--plots", help="Folder for one PNG per alert "
                                               "(counts, expected band, alarm days).")] = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Alerts from the stored consultations, with the record ids behind each (never who).

    Example: yakbang outbreaks report --since 2026-11-01
    """
    from yakbang.cli.storage import open_db
    from yakbang.outbreaks.report import report

    start = _since(since)
    found = report(open_db(db), load_kb(), start, rate, method, weekly=_weekly(by, 1))
    series, alerts = found.series, found.alerts
    out = found.as_dicts()
    if plots is not None:
        from yakbang.outbreaks.plots import plot_alert

        for entry, alert in zip(out, alerts, strict=True):
            name = f"{alert.day.isoformat()}-{alert.area}-{alert.syndrome}-{alert.method}.png"
            name = name.replace("/", "_")
            entry["plot"] = str(plot_alert(series, alert, alerts, plots / name))
    if as_json:
        typer.echo(json.dumps({series.unit: series.days, "methods": found.methods, "alerts": out},
                              ensure_ascii=False, indent=2))
        return
    _say_skipped(found.skipped, series.days, series.unit)
    for a in out:
        when = a.get("week", a["date"])
        console.print(f"{when}  {a['area']}  {a['syndrome']}  {a['method']}  {a['count']} cases  "
                      f"records {', '.join(r[:13] for r in a['records'][:5])}", markup=False)
    if not out:
        console.print("no alerts", markup=False)


@outbreaks_app.command("export")
def export_cmd(
    dhis2: Annotated[bool, typer.Option("--dhis2", help="DHIS2 dataValueSets JSON by ISO week.")] = True,
    db: Annotated[str | None, typer.Option("--db", help="Database of records.")] = None,
    counts: Annotated[Path | None, typer.Option("--counts", help="Or a counts CSV.")] = None,
    suppress: Annotated[int, typer.Option("--suppress-below", min=1,
                                          help="Leave out weekly counts below this.")] = 5,
) -> None:
    """Weekly counts per area and syndrome for DHIS2, small counts left out.

    Example: yakbang outbreaks export --dhis2 > week.json
    """
    from yakbang.outbreaks.records import dhis2 as to_dhis2
    from yakbang.outbreaks.records import series_from_records

    if counts is not None:
        series = _read_counts(counts, load_kb())
    else:
        from yakbang.cli.storage import open_db

        series, _ = series_from_records(open_db(db), load_kb())
    typer.echo(json.dumps(to_dhis2(series, suppress), ensure_ascii=False, indent=2))
