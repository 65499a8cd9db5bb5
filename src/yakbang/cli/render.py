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
    "other": {Lang.EN: "something not in yakbang's knowledge", Lang.KO: "약방이 모르는 다른 병"},
}


def label(key: str, lang: Lang) -> str:
    return LABELS[key][lang]


def render_understood(console: Console, present: list[str], absent: list[str],
                      not_understood: list[str], lang: Lang) -> None:
    items = present + [f"{a} ({label('absent', lang)})" for a in absent]
    console.print(f"[bold]{label('understood', lang)}:[/bold] " + (", ".join(items) or "-"))
    if not_understood:
        quoted = ", ".join(f"'{w}'" for w in not_understood)
        console.print(f"[bold]{label('not_understood', lang)}:[/bold] {quoted}")


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
