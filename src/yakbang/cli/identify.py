"""`yakbang identify ...`: what a medicine is, by name or by look; duplicates between products."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console

from yakbang.cli.options import JsonOption, LangOption
from yakbang.kb import load_kb
from yakbang.types import Lang

identify_app = typer.Typer(
    help="What is this medicine? By name in any script, by how a tablet looks, and which "
    "products hide the same ingredient.\n\nExample: yakbang identify name \"阿莫西林胶囊 0.25g\"",
    no_args_is_help=True)
console = Console()

STATUS_TITLE = {
    "identified": ("Identified", "찾았습니다"), "possible": ("Possibly", "아마도"),
    "unknown": ("Not known", "모르는 약"), "not_medicine": ("Not a medicine", "약이 아님"),
}


def _lang(lang: str | None, text: str) -> Lang:
    if lang:
        return Lang.parse(lang)
    return Lang.KO if any("\uac00" <= ch <= "\ud7a3" for ch in text) else Lang.EN


def _print_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _amounts(c: dict[str, Any]) -> str:
    parts = []
    for i in c["ingredients"]:
        amount = "" if i["amount"] is None else f" {i['amount']:g} {i['unit']}"
        if i.get("per_ml"):
            amount += f"/{i['per_ml']:g} mL"
        parts.append(f"{i['inn']}{amount}")
    return " + ".join(parts + c["other_ingredients"])


def render_name(data: dict[str, Any], lang: Lang) -> None:
    ko = lang is Lang.KO
    title = STATUS_TITLE[data["status"]][1 if ko else 0]
    console.print(f"[bold]{data['query']}[/bold]: {title}", highlight=False)
    if "not_medicine" in data:
        console.print(f"  {data['not_medicine']['what']}", highlight=False)
    for n, c in enumerate(data["candidates"], start=1):
        form = f", {c['form']}" if c["form"] else ""
        console.print(f"  {n}. {c['name']}{form}: {_amounts(c)}  "
                      f"({'확신도' if ko else 'confidence'} {c['confidence']:.2f})", highlight=False)
        for why in c["reasons"]:
            console.print(f"     - {why}", highlight=False, markup=False)
        if n == 1:
            for note in c["notes"]:
                console.print(f"     ! {note}", highlight=False, markup=False)
    if data["not_understood"]:
        label = "알 수 없는 말" if ko else "not understood"
        console.print(f"  {label}: {', '.join(data['not_understood'])}", highlight=False, markup=False)
    console.print(data["advice"], highlight=False, markup=False)


@identify_app.command("name")
def identify_name_cmd(
    names: Annotated[list[str], typer.Argument(help="Names as on the pack, each in quotes.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Resolve names in any script (Chinese, Russian, Korean, Japanese, English) to products
    and ingredients with strengths.

    Example: yakbang identify name "阿莫西林胶囊 0.25g" левомицетин "타이레놀 500"
    """
    from yakbang.identify import identify_name
    from yakbang.identify.present import name_result_dict

    kb = load_kb()
    out = []
    for name in names:
        result = identify_name(kb, name)
        out.append(name_result_dict(kb, result, _lang(lang, name)))
    if as_json:
        _print_json(out[0] if len(out) == 1 else out)
        return
    for data, name in zip(out, names, strict=True):
        render_name(data, _lang(lang, name))
