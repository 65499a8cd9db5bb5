"""`yakbang outbreaks`, as a user runs it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Run


def test_detect_raises_a_cholera_case_the_same_day(run: Callable[..., Run], tmp_path: Path) -> None:
    start = date(2026, 9, 1)
    lines = ["date,area,syndrome,count"]
    lines += [f"{(start + timedelta(days=i)).isoformat()},Hyesan,acute_watery_diarrhoea,{2 + i % 3}"
              for i in range(90)]
    lines.append(f"{(start + timedelta(days=89)).isoformat()},Hyesan,suspected_cholera,1")
    path = tmp_path / "counts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("outbreaks", "detect", "--counts", str(path), "--json")
    assert r.code == 0, r.err
    alerts = json.loads(r.out)
    cholera = [a for a in alerts if a["syndrome"] == "suspected_cholera"]
    day = (start + timedelta(days=89)).isoformat()
    assert (day, "who_single_case") in [(a["date"], a["method"]) for a in cholera]
    assert all(a["date"] == day for a in cholera)  # nothing before the case


def test_detect_bad_input_is_exit_2(run: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,area,syndrome,count\n2026-01-01,A,acute_watery_diarrhoea,-3\n", encoding="utf-8")
    r = run("outbreaks", "detect", "--counts", str(path))
    assert r.code == 2 and "line 2" in r.err
    path.write_text("date,area,syndrome,count\n2026-01-01,A,acute_watery_diarrhoea,3\n", encoding="utf-8")
    r = run("outbreaks", "detect", "--counts", str(path), "--method", "magic")
    assert r.code == 2 and "unknown method" in r.err
    r = run("outbreaks", "detect", "--counts", str(path), "--method", "ewma")
    assert r.code == 2 and "needs at least" in r.err


def test_detect_with_little_history_runs_what_it_can_and_says_what_it_left_out(
        run: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("date,area,syndrome,count\n2026-11-01,A,suspected_cholera,1\n"
                    "2026-11-09,A,suspected_cholera,0\n", encoding="utf-8")
    r = run("outbreaks", "detect", "--counts", str(path))
    assert r.code == 0, r.err
    assert "too little history for ears_c2, ears_c3, ewma" in r.out
    assert "ears_c1" not in r.out.split("too little history for")[1].splitlines()[0]  # 9 days are enough
    assert "2026-11-01  A  suspected_cholera  who_single_case" in r.out
    r = run("outbreaks", "detect", "--counts", str(path), "--since", "1 Nov")
    assert r.code == 2 and "not a date" in r.err
    r = run("outbreaks", "report", "--since", "1 Nov")
    assert r.code == 2 and "not a date" in r.err


def test_export_dhis2_from_counts(run: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("date,area,syndrome,count\n2026-11-16,Musan,acute_watery_diarrhoea,7\n"
                    "2026-11-16,Onsong,acute_watery_diarrhoea,2\n", encoding="utf-8")
    out = json.loads(run("outbreaks", "export", "--dhis2", "--counts", str(path)).out)
    assert out["dataValues"] == [{"dataElement": "acute_watery_diarrhoea", "period": "2026W47",
                                  "orgUnit": "Musan", "value": "7"}]
    assert out["suppressed_small_counts"] == 1


def _weeks(n: int, first: date = date(2025, 1, 6)) -> list[str]:
    out = []
    for i in range(n):
        year, week, _ = (first + timedelta(weeks=i)).isocalendar()
        out.append(f"{year}-W{week:02d}")
    return out


def test_weekly_counts_are_looked_at_by_week(run: Callable[..., Run], tmp_path: Path) -> None:
    counts = [20 + (i * 7) % 5 for i in range(80)]
    counts[-1] += 25
    weeks = _weeks(80)
    path = tmp_path / "weeks.csv"
    lines = [f"{w},Musan,influenza_like_illness,{n}" for w, n in zip(weeks, counts, strict=True)]
    path.write_text("date,area,syndrome,count\n" + "\n".join(lines) + "\n", encoding="utf-8")
    r = run("outbreaks", "detect", "--counts", str(path), "--method", "farrington", "--json")
    assert r.code == 0, r.err
    alerts = json.loads(r.out)
    assert [a["week"] for a in alerts] == [weeks[-1]]
    assert alerts[0]["date"] == date.fromisoformat(weeks[-1]).isoformat()  # the Monday
    r = run("outbreaks", "detect", "--counts", str(path))
    assert r.code == 0 and "regression" not in r.out and f"{weeks[-1]}  Musan" in r.out
    r = run("outbreaks", "detect", "--counts", str(path), "--method", "regression")
    assert r.code == 2 and "daily counts only" in r.err
    r = run("outbreaks", "detect", "--counts", str(path), "--by", "day")
    assert r.code == 2 and "by ISO week" in r.err
    path.write_text(f"date,area,syndrome,count\n{weeks[0]},A,suspected_measles,1\n"
                    "2025-02-01,A,suspected_measles,1\n", encoding="utf-8")
    r = run("outbreaks", "detect", "--counts", str(path))
    assert r.code == 2 and "line 3" in r.err and "mixes days and weeks" in r.err


def test_daily_counts_can_be_summed_by_week(run: Callable[..., Run], tmp_path: Path) -> None:
    start = date(2026, 6, 1)  # a Monday
    lines = ["date,area,syndrome,count"]
    days = [3 + (i % 3) + (30 if i >= 7 * 39 + 2 else 0) for i in range(7 * 40)]  # last Wednesday on
    for i, n in enumerate(days):
        lines.append(f"{(start + timedelta(days=i)).isoformat()},Hyesan,acute_watery_diarrhoea,{n}")
    path = tmp_path / "days.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("outbreaks", "detect", "--counts", str(path), "--by", "week", "--method", "ewma", "--json")
    assert r.code == 0, r.err
    alerts = json.loads(r.out)
    last_monday = start + timedelta(weeks=39)
    assert [(a["date"], a["count"]) for a in alerts] == [(last_monday.isoformat(), sum(days[-7:]))]


def test_a_cholera_consultation_told_in_korean_is_an_alert_the_same_day_with_its_record(
        run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YAKBANG_DB", f"sqlite:///{tmp_path / 'records.db'}")
    assert run("db", "upgrade").code == 0
    said = run("advise", "--age", "30", "--sex", "male", "--today", "2026-11-29", "--area", "Hyesan",
               "--text", "쌀뜨물 같은 물설사를 하루에 열 번 넘게 하고 눈이 꺼지고 물도 못 마셔요", "--json")
    assert said.code == 0, said.err
    record = said.json()["record"]["id"]
    report = run("outbreaks", "report", "--json")
    assert report.code == 0, report.err
    alerts = [a for a in report.json()["alerts"] if a["syndrome"] == "suspected_cholera"]
    assert [(a["date"], a["area"], a["method"], a["records"]) for a in alerts] == [
        ("2026-11-29", "Hyesan", "who_single_case", [record])]
