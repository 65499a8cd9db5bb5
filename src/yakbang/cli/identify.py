"""`yakbang identify ...`: what a medicine is, by name or by look; duplicates between products."""

from __future__ import annotations

from pathlib import Path
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
    "poison": ("POISON, not a medicine", "독: 약이 아님"),
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
        parts.append(f"{i.get('name') or i['inn']}{amount}")
    return " + ".join(parts + c["other_ingredients"])


def render_name(data: dict[str, Any], lang: Lang) -> None:
    ko = lang is Lang.KO
    status = "poison" if data.get("not_medicine", {}).get("kind") == "poison" else data["status"]
    title = STATUS_TITLE[status][1 if ko else 0]
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


@identify_app.command("check")
def identify_check_cmd(
    names: Annotated[list[str], typer.Argument(help="Two or more product names.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Shared ingredients, the daily maximum they share, same-class medicines and interactions
    between products someone takes together.

    Example: yakbang identify check 타이레놀 感冒灵
    """
    from yakbang.errors import UserError
    from yakbang.identify.check import check_dict, check_products

    if len(names) < 2:
        raise UserError("give two or more names to check together, e.g. identify check 타이레놀 感冒灵")
    kb = load_kb()
    language = _lang(lang, " ".join(names))
    data: dict[str, Any] = check_dict(kb, check_products(kb, names, language), language)
    if as_json:
        _print_json(data)
        return
    ko = language is Lang.KO
    for p in data["products"]:
        what = " + ".join(f"{i['inn']}" + (f" {i['amount']:g} {i['unit']}" if i["amount"] else "")
                          for i in p["ingredients"]) or ("모름" if ko else "unknown")
        console.print(f"{p['query']}: {p['name'] or '?'} ({what})", highlight=False, markup=False)
    warnings = data["warnings"]
    if not warnings:
        console.print("겹치는 성분이나 알려진 상호작용이 없습니다." if ko else
                      "No shared ingredient or known interaction.", markup=False)
    for w in warnings:
        console.print(f"! {w}", highlight=False, markup=False)


def _pill_query(imprint: str | None, colour: str | None, shape: str | None, score: int | None,
                length: float | None, capsule: bool | None) -> Any:
    from yakbang.identify.pills import PillQuery, parse_colours, parse_shape

    kb = load_kb()
    return PillQuery(imprint, parse_colours(kb, colour), parse_shape(kb, shape), score, length, capsule)


@identify_app.command("pill")
def identify_pill_cmd(
    imprint: Annotated[str | None, typer.Option("--imprint", help="Letters or numbers on the tablet; "
                                                "'CIP/500' for both sides; 'none' for a blank one.")] = None,
    color: Annotated[str | None, typer.Option("--color", "--colour", help="white, 흰색, 白色, белый; "
                                              "two for a capsule: 'red/white'.")] = None,
    shape: Annotated[str | None, typer.Option("--shape", help="round, oval, oblong, 둥근, 圆形, ...")] = None,
    score: Annotated[int | None, typer.Option("--score", min=0, max=2,
                                              help="Score line: 0 none, 1 a line, 2 a cross.")] = None,
    length: Annotated[float | None, typer.Option("--length-mm", min=1, max=40, help="Length in mm.")] = None,
    capsule: Annotated[bool | None, typer.Option("--capsule/--tablet", help="A capsule or a tablet.")] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which tablet is this? Search by imprint, colour, shape and score line, in the shipped
    table and the aid group's own register.

    Example: yakbang identify pill --imprint "CIP 500" --color white --shape oblong
    """
    from yakbang.identify.pills import PillIndex, search_pills
    from yakbang.identify.register import load_register

    kb = load_kb()
    q = _pill_query(imprint, color, shape, score, length, capsule)
    own = load_register(kb)
    index = PillIndex.build([*kb.pills.values(), *own]) if own else None
    result = search_pills(kb, q, index)
    ko = (Lang.parse(lang) if lang else Lang.EN) is Lang.KO
    data: dict[str, Any] = {
        "status": result.status,
        "candidates": [{"id": c.pill.id, "name": c.pill.name, "score": c.score,
                        "ingredients": [{"substance": i.substance, "amount": i.amount, "unit": i.unit}
                                        for i in c.pill.ingredients],
                        "imprint": [c.pill.imprint_front, c.pill.imprint_back], "colours": c.pill.colours,
                        "shape": c.pill.shape, "score_line": c.pill.score, "form": c.pill.form,
                        "reasons": list(c.reasons), "source": c.pill.references[0].source}
                       for c in result.candidates],
        "advice": ("생김새만으로는 약을 확신할 수 없습니다. "
                   "포장이나 낱알 포장지의 이름으로 확인하고, 모르면 먹지 마십시오."
                   if ko else "A tablet's look is never proof: tablets from other makers can look the "
                   "same. Confirm with the strip or pack; if unsure, do not take it."),
    }
    if as_json:
        _print_json(data)
        return
    console.print(f"{'결과' if ko else 'result'}: {result.status}", markup=False)
    for n, c in enumerate(data["candidates"], start=1):
        console.print(f"  {n}. {c['name']} ({c['score']:.2f}): {' / '.join(x or '-' for x in c['imprint'])}, "
                      f"{'/'.join(c['colours'])} {c['shape']}", highlight=False, markup=False)
        for why in c["reasons"]:
            console.print(f"     - {why}", highlight=False, markup=False)
    console.print(data["advice"], markup=False)


@identify_app.command("register")
def identify_register_cmd(
    name: Annotated[str | None, typer.Option("--name", help="The product as on the pack.")] = None,
    ingredients: Annotated[str | None, typer.Option("--ingredients",
                                                    help="'paracetamol 500; caffeine 65'")] = None,
    imprint: Annotated[str | None, typer.Option("--imprint", help="Front imprint, or 'blank'.")] = None,
    back: Annotated[str | None, typer.Option("--back", help="Back imprint.")] = None,
    color: Annotated[str | None, typer.Option("--color", "--colour")] = None,
    shape: Annotated[str | None, typer.Option("--shape")] = None,
    score: Annotated[int, typer.Option("--score", min=0, max=2)] = 0,
    form: Annotated[str, typer.Option("--form", help="tablet, film-coated tablet, capsule, ...")] = "tablet",
    import_file: Annotated[Path | None, typer.Option("--import", help="Add the rows of a CSV file.")] = None,
    export_file: Annotated[Path | None, typer.Option("--export",
                                                     help="Write the register (and the shipped table "
                                                     "with --all) to a CSV file.")] = None,
    include_all: Annotated[bool, typer.Option("--all", help="With --export: the shipped table too.")] = False,
) -> None:
    """Record what your group ships (one tablet, or a CSV), and share it as CSV.

    Example: yakbang identify register --name "Paracetamol 500 (Cipla)" --ingredients "paracetamol 500"
    --imprint "P 500" --color white --shape round --score 1
    """
    from yakbang.errors import UserError
    from yakbang.identify.register import (
        load_register,
        read_rows,
        register_path,
        row_to_pill,
        save_register,
        write_rows,
    )

    kb = load_kb()
    own = load_register(kb)
    if export_file is not None:
        rows = [*kb.pills.values(), *own] if include_all else own
        export_file.write_text(write_rows(rows), encoding="utf-8")
        console.print(f"{len(rows)} rows written to {export_file}", markup=False)
        return
    if import_file is not None:
        try:
            text = import_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot read {import_file}: {exc.strerror}") from None
        new = read_rows(kb, text, str(import_file))
    else:
        if not (name and ingredients and (imprint or back) and color and shape):
            raise UserError("give --name, --ingredients, --imprint (or 'blank'), --color and --shape, "
                            "or --import FILE.csv")
        new = [row_to_pill(kb, {"name": name, "ingredients": ingredients, "imprint_front": imprint or "",
                                "imprint_back": back or "", "colours": color, "shape": shape,
                                "score": str(score), "form": form}, "the entry")]
    known = {p.id for p in kb.pills.values()}
    clash = [p.id for p in new if p.id in known]
    if clash:
        raise UserError(f"the id {clash[0]!r} is already in the shipped table; give the row another id")
    path = save_register([*(p for p in own if p.id not in {n.id for n in new}), *new])
    console.print(f"{len(new)} {'row' if len(new) == 1 else 'rows'} saved in {path} "
                  f"({len(own) + len(new)} in the register)", markup=False)
    del register_path
