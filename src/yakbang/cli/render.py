"""Turn plain results into text on the terminal. No clinical logic here."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from yakbang.types import Lang

BANNER = {
    "emergency": ("bold white on red", {Lang.EN: "EMERGENCY: go to a hospital or health worker NOW",
                                         Lang.KO: "응급: 지금 바로 병원이나 보건일꾼에게 가십시오"}),
    "urgent": ("bold black on yellow", {Lang.EN: "See a health worker TODAY",
                                         Lang.KO: "오늘 보건일꾼을 만나십시오"}),
    "routine": ("bold black on cyan", {Lang.EN: "See a health worker within a few days",
                                        Lang.KO: "며칠 안에 보건일꾼을 만나십시오"}),
    "self_care": ("bold white on green", {Lang.EN: "Care at home; watch for danger signs",
                                           Lang.KO: "집에서 돌보며 위험 징후를 살피십시오"}),
}

LABELS = {
    "why": {Lang.EN: "Why", Lang.KO: "이유"},
    "likely": {Lang.EN: "Most likely", Lang.KO: "가능성이 높은 병"},
    "condition": {Lang.EN: "Condition", Lang.KO: "병"},
    "probability": {Lang.EN: "Probability", Lang.KO: "확률"},
    "for": {Lang.EN: "For", Lang.KO: "근거"},
    "against": {Lang.EN: "Against", Lang.KO: "반대 근거"},
    "home_care": {Lang.EN: "What to do now", Lang.KO: "지금 할 일"},
    "go_now": {Lang.EN: "Go to a health worker at once if",
               Lang.KO: "다음과 같으면 바로 보건일꾼에게 가십시오"},
    "unsure": {Lang.EN: "yakbang is not sure what this is. If in doubt, see a health worker.",
               Lang.KO: "약방은 무슨 병인지 확실히 알지 못합니다. 의심스러우면 보건일꾼을 만나십시오."},
    "understood": {Lang.EN: "Understood", Lang.KO: "알아들은 것"},
    "not_understood": {Lang.EN: "Not understood", Lang.KO: "알아듣지 못한 것"},
    "absent": {Lang.EN: "absent", Lang.KO: "없음"},
    "from_description": {Lang.EN: "Taken from the description", Lang.KO: "설명에서 알아낸 것"},
    "other": {Lang.EN: "something not in yakbang's knowledge", Lang.KO: "약방이 모르는 다른 병"},
}


def label(key: str, lang: Lang) -> str:
    return LABELS[key][lang]


def render_understood(console: Console, summary: str, from_description: list[str], lang: Lang) -> None:
    console.print(summary, markup=False)
    if from_description:
        console.print(f"[bold]{label('from_description', lang)}:[/bold] " + ", ".join(from_description))


def render_assessment(console: Console, result: dict[str, Any], lang: Lang) -> None:
    style, text = BANNER[result["urgency"]]
    console.print(Panel(text[lang], style=style))
    reasons = [r.get("text") or ", ".join(c["name"] for c in r.get("conditions", []))
               for r in result["urgency_reasons"]]
    if reasons:
        console.print(f"[bold]{label('why', lang)}:[/bold] " + "; ".join(reasons))
    table = Table(title=label("likely", lang), show_lines=False)
    table.add_column(label("condition", lang))
    table.add_column(label("probability", lang), justify="right")
    table.add_column(label("for", lang))
    table.add_column(label("against", lang))
    for c in result["conditions"][:5]:
        table.add_row(
            f"{c['name']} ({', '.join(c['icd10'])})",
            f"{c['probability']:.0%}",
            ", ".join(f["name"] for f in c["supporting"][:4]),
            ", ".join(f["name"] for f in c["opposing"][:3]),
        )
    table.add_row(label("other", lang), f"{result['other_probability']:.0%}", "", "")
    console.print(table)
    if result["low_confidence"]:
        console.print(f"[bold yellow]{label('unsure', lang)}[/bold yellow]")
    advice = result["advice"]
    if advice:
        console.print(advice["explanation"])
        console.print(f"[bold]{label('home_care', lang)}:[/bold]")
        for step in advice["home_care"]:
            console.print(f"  • {step}")
        console.print(f"[bold]{label('go_now', lang)}:[/bold]")
        for sign in advice["go_now_if"]:
            console.print(f"  • {sign}")


TREATMENT_LABELS = {
    "medicines": {Lang.EN: "Medicines", Lang.KO: "약"},
    "give": {Lang.EN: "Give", Lang.KO: "줄 약"},
    "not_used": {Lang.EN: "Not used", Lang.KO: "쓰지 않은 약"},
    "care": {Lang.EN: "Care without medicine", Lang.KO: "약 없이 할 일"},
    "no_antibiotic": {Lang.EN: "No antibiotic", Lang.KO: "항생제는 주지 마십시오"},
    "warnings": {Lang.EN: "Warnings", Lang.KO: "주의"},
    "refer": {Lang.EN: "When to refer", Lang.KO: "병원에 보낼 때"},
    "side_effects": {Lang.EN: "Watch for", Lang.KO: "살펴볼 부작용"},
    "days": {Lang.EN: "for {n} days", Lang.KO: "{n}일 동안"},
    "as_needed": {Lang.EN: "only when needed, at most {n} times a day",
                  Lang.KO: "필요할 때만, 하루 {n}번까지"},
    "once": {Lang.EN: "once", Lang.KO: "한 번만"},
    "day": {Lang.EN: "day {n}", Lang.KO: "{n}일째"},
    "at_most": {Lang.EN: "at most {n} times a day", Lang.KO: "하루 {n}번까지"},
    "per_event": {Lang.EN: "each time", Lang.KO: "매번"},
    "apply": {Lang.EN: "apply {n} times a day", Lang.KO: "하루 {n}번 바르십시오"},
    "unsure_medicine": {Lang.EN: "yakbang is too unsure what this is to suggest a medicine; "
                        "see a health worker before giving any.",
                        Lang.KO: "약방이 무슨 병인지 확실하지 않아 약을 권하지 않습니다. "
                        "약을 주기 전에 보건일군을 만나십시오."},
}
UNIT_WORDS = {
    "tablet": {Lang.EN: "tablet", Lang.KO: "알"}, "capsule": {Lang.EN: "capsule", Lang.KO: "캡슐"},
    "mL": {Lang.EN: "mL", Lang.KO: "mL"}, "puff": {Lang.EN: "puff", Lang.KO: "번 흡입"},
    "sachet": {Lang.EN: "sachet", Lang.KO: "봉지"}, "pessary": {Lang.EN: "pessary", Lang.KO: "질정"},
    "suppository": {Lang.EN: "suppository", Lang.KO: "좌약"},
}
_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}


def count_text(units: float) -> str:
    """2 -> '2', 1.5 -> '1½', 0.25 -> '¼'; volumes keep their decimals."""
    whole = int(units)
    frac = round(units - whole, 2)
    if frac in _FRACTIONS:
        return (str(whole) if whole else "") + _FRACTIONS[frac]
    return f"{units:g}"


def _tl(key: str, lang: Lang, **values: object) -> str:
    return TREATMENT_LABELS[key][lang].format(**values)


def dose_line(give: dict[str, Any], lang: Lang) -> str:
    d = give["dose"]
    if d["applied"]:
        when = _tl("apply", lang, n=d["times_per_day"])
    else:
        unit = UNIT_WORDS[d["unit"]][lang]
        if lang is Lang.EN and d["unit"] != "mL" and d["units"] > 1:
            unit += "s"
        amount = f"{count_text(d['units'])} {unit}" if d["unit"] != "mL" else f"{d['units']:g} mL"
        if d["schedule"] == "as_needed":
            when = f"{amount}, " + _tl("as_needed", lang, n=d["times_per_day"])
        elif d["schedule"] == "once":
            when = f"{amount}, " + _tl("once", lang)
        elif d["schedule"] == "per_event":
            when = f"{amount}, " + _tl("per_event", lang)
            if d.get("max_times_per_day"):
                when += ", " + _tl("at_most", lang, n=d["max_times_per_day"])
        elif d.get("day_units"):
            per_day = [f"{_tl('day', lang, n=i)} {count_text(u)}" for i, u in enumerate(d["day_units"], 1)]
            when = f"{unit}: " + ", ".join(per_day)
        else:
            when = f"{amount} × {d['times_per_day']} ({', '.join(d['slots'])})"
    if d.get("days") and d.get("schedule") != "once":
        when += ", " + _tl("days", lang, n=f"{d['days']:g}")
    form = give["strength"]
    return f"{give['name']} ({form}): {when}"


def render_treatment(console: Console, treatment: dict[str, Any] | None, lang: Lang) -> None:
    console.rule(_tl("medicines", lang))
    if treatment is None:
        console.print(f"[bold yellow]{_tl('unsure_medicine', lang)}[/bold yellow]")
        return
    for step in treatment["steps"]:
        console.print(f"[bold]{step['purpose']}[/bold]")
        give = step["give"]
        if give:
            console.print(f"  {_tl('give', lang)}: {dose_line(give, lang)}", markup=False)
            if give["instructions"]:
                console.print(f"    {give['instructions']}", markup=False)
            for note in give["notes"]:
                console.print(f"    ! {note['text']}", markup=False)
            if give["side_effects"]:
                console.print(f"    {_tl('side_effects', lang)}: " + "; ".join(give["side_effects"][:3]),
                              markup=False)
        elif step["message"]:
            console.print(f"  [yellow]{step['message']['text']}[/yellow]")
        for skip in step["not_used"]:
            console.print(f"  - {_tl('not_used', lang)}: {skip['medicine']}: {skip['why']['text']}",
                          markup=False)
    if treatment["no_antibiotic"]:
        console.print(f"[bold]{_tl('no_antibiotic', lang)}:[/bold] {treatment['no_antibiotic']}")
    console.print(f"[bold]{_tl('care', lang)}:[/bold]")
    for line in treatment["care"]:
        console.print(f"  • {line}", markup=False)
    if treatment["refer"]:
        console.print(f"[bold]{_tl('refer', lang)}:[/bold] {treatment['refer']}")
    if treatment["warnings"]:
        console.print(f"[bold red]{_tl('warnings', lang)}:[/bold red]")
        for w in treatment["warnings"]:
            console.print(f"  ! {w['text']}", markup=False)
