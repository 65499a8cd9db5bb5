"""The `yakbang` command: thin over the core. Parses, calls, renders."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from yakbang.cli.identify import identify_app
from yakbang.cli.options import (
    AgeMonthsOption,
    AgeYearsOption,
    JsonOption,
    LangOption,
    PregnantOption,
    SexOption,
    parse_today,
)
from yakbang.cli.outbreaks import outbreaks_app
from yakbang.cli.render import render_assessment, render_treatment, render_understood
from yakbang.cli.storage import db_app, records_app, stock_app, wipe_command
from yakbang.errors import KnowledgeBaseError, UserError
from yakbang.kb import load_kb
from yakbang.kb.loader import KnowledgeBase
from yakbang.types import Age, Lang, Patient, Sex

app = typer.Typer(
    help="yakbang (약방): an offline medicine advisor for places where there is no doctor.\n\n"
    "Example: yakbang advise --age 2 --sex male --text \"cough and fast breathing for 3 days\"",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
kb_app = typer.Typer(help="Inspect and check the knowledge base.\n\nExample: yakbang kb check",
                     no_args_is_help=True)
app.add_typer(kb_app, name="kb")
app.add_typer(identify_app, name="identify")
app.add_typer(stock_app, name="stock")
app.add_typer(records_app, name="records")
app.add_typer(db_app, name="db")
app.command("wipe")(wipe_command)
web_app = typer.Typer(help="The web page's logins.\n\nExample: yakbang web adduser nurse1",
                      no_args_is_help=True)
app.add_typer(web_app, name="web")
app.add_typer(outbreaks_app, name="outbreaks")

console = Console()


def _split_ids(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def patient_from(age: float | None, age_months: int | None, sex: str | None,
                 pregnant: bool) -> Patient:
    if age is not None and age_months is not None:
        raise UserError("give --age or --age-months, not both")
    if age is None and age_months is None:
        raise UserError("give the patient's age with --age YEARS or --age-months MONTHS")
    if sex is None:
        raise UserError("give the patient's sex with --sex female or --sex male")
    the_age = Age(age_months) if age_months is not None else Age.from_years(age)  # type: ignore[arg-type]
    return Patient(the_age, Sex.parse(sex), pregnant)


def choose_lang(lang: str | None, text: str | None) -> Lang:
    if lang is not None:
        return Lang.parse(lang)
    if text and any("\uac00" <= ch <= "\ud7a3" for ch in text):
        return Lang.KO
    return Lang.EN


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_mapping(data: dict[str, Any], as_json: bool) -> None:
    """Figures as JSON, or one `name  value` line each."""
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        console.print(f"{key:32} {value}", markup=False)


@app.command()
def advise(
    age: AgeYearsOption = None,
    age_months: AgeMonthsOption = None,
    sex: SexOption = None,
    pregnant: PregnantOption = False,
    findings: Annotated[str | None, typer.Option(
        "--findings", help="Finding ids present, comma-separated.")] = None,
    absent: Annotated[str | None, typer.Option(
        "--absent", help="Finding ids known to be absent, comma-separated.")] = None,
    text: Annotated[str | None, typer.Option(
        "--text", help="The illness in the person's own words (Korean or English).")] = None,
    lang: LangOption = None,
    weight: Annotated[float | None, typer.Option(
        "--weight", help="Weight in kg (estimated from age when not given).")] = None,
    stock: Annotated[Path | None, typer.Option(
        "--stock", help="CSV of what is on the shelf: medicine,form,strength,quantity,expiry.")] = None,
    taking: Annotated[str | None, typer.Option(
        "--taking", help="Medicines already being taken, comma-separated (any name, e.g. 感冒灵).")] = None,
    allergy: Annotated[str | None, typer.Option(
        "--allergy", help="Allergies: medicine names or classes (penicillin), comma-separated.")] = None,
    breastfeeding: Annotated[bool, typer.Option("--breastfeeding", help="The patient breastfeeds.")] = False,
    pregnancy_weeks: Annotated[int | None, typer.Option(
        "--pregnancy-weeks", min=1, max=45, help="Weeks of pregnancy, when known.")] = None,
    today: Annotated[str | None, typer.Option(
        "--today", help="Date for expiry checks, YYYY-MM-DD (default: today).")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="Database for records and stock (default: YAKBANG_DB or the data directory).")] = None,
    area: Annotated[str | None, typer.Option(
        "--area", help="A village or district label for the record (never an address).")] = None,
    no_save: Annotated[bool, typer.Option("--no-save", help="Do not keep a record.")] = False,
    dispense: Annotated[bool, typer.Option(
        "--dispense", help="Give the medicines from the stored stock (moved with the record).")] = False,
    as_json: JsonOption = False,
) -> None:
    """One-shot advice: how urgent, what it probably is, why, what to do, which medicine.

    Example: yakbang advise --age 1 --sex male --weight 12 --stock shelf.csv --text "cough, fast breathing"
    """
    from yakbang.consultation import advice, evidence_from, fill_from_text, person_from_text, understood_dict
    from yakbang.text import understand
    from yakbang.treatment import Stock, TreatmentInput, load_stock, resolve_many
    from yakbang.treatment.weight import check_weight

    kb = load_kb()
    day = parse_today(today)
    understood = [understand(kb, text, day)] if text is not None else []
    filled = fill_from_text(person_from_text(understood), age, age_months, sex, pregnant, pregnancy_weeks)
    age, age_months, sex = filled.age_years, filled.age_months, filled.sex
    pregnant, pregnancy_weeks = filled.pregnant, filled.pregnancy_weeks
    patient = patient_from(age, age_months, sex, pregnant or pregnancy_weeks is not None)
    if weight is not None:
        check_weight(patient.age, weight)
    from yakbang.storage import in_use

    database = None
    if in_use(db) and not (no_save and stock is not None):
        from yakbang.cli.storage import open_db

        database = open_db(db)
    shelf_ids: dict[int, str] = {}
    shelf: Stock | None
    if stock is not None:
        shelf = load_stock(kb, stock, day)
    elif database is not None:
        from yakbang.storage.stock import as_shelf

        stored, shelf_ids = as_shelf(database, kb, day)
        shelf = stored if stored.items else None
    else:
        shelf = None
    if dispense and not shelf_ids:
        raise UserError("--dispense gives from the stored stock, and none is recorded; "
                        "see `yakbang stock receive`")
    taken = tuple(resolve_many(kb, taking))
    allergies = frozenset(_allergy_ids(kb, allergy))
    language = choose_lang(lang, text)
    present_ids, absent_ids = _split_ids(findings), _split_ids(absent)
    if not (present_ids or absent_ids or understood):
        raise UserError("give what is wrong with --text \"...\" or --findings id,...")
    if not (present_ids or absent_ids) and not any(u.present or u.absent for u in understood):
        raise UserError(f"nothing in the description {text!r} was understood as a symptom; "
                        "describe it in other words or give --findings id,...")
    evidence = evidence_from(kb, present_ids, absent_ids, understood)
    inp = TreatmentInput(patient, weight_kg=weight, pregnancy_weeks=pregnancy_weeks,
                         breastfeeding=breastfeeding, allergies=allergies, taking=taken)
    result, plan = advice(kb, evidence, inp, shelf, day, language)
    result["understood"] = understood_dict(kb, understood, language)
    result["from_description"] = filled.said(language)
    if database is not None and not no_save:
        result["record"] = _save_record(database, kb, result, plan, shelf_ids if dispense else {},
                                        day, area, weight, pregnancy_weeks)
    if as_json:
        print_json(result)
        return
    if understood:
        render_understood(console, result["understood"]["summary"], result["from_description"],
                          language)
    render_assessment(console, result, language)
    render_treatment(console, result["treatment"], language)
    if "record" in result:
        rec = result["record"]
        ko = language is Lang.KO
        line = f"{'기록함' if ko else 'record kept'}: {rec['id'][:13]}"
        if rec["dispensed"]:
            units = ", ".join(f"{d['units']:g}" for d in rec["dispensed"])
            line += f"; {'재고에서 내줌' if ko else 'given from the stock'}: {units}"
        if rec["give_by_hand"]:
            line += f"; {'손으로 내주기' if ko else 'give by hand'}: {', '.join(rec['give_by_hand'])}"
        console.print(line, markup=False)


def _save_record(database: Any, kb: KnowledgeBase, result: dict[str, Any], plan: Any,
                 shelf_ids: dict[int, str], day: date, area: str | None, weight: float | None,
                 pregnancy_weeks: int | None) -> dict[str, Any]:
    """Keep the consultation; with stock lines to give, move them in the same transaction."""
    from yakbang.storage.records import Dispensed, save_consultation
    from yakbang.storage.stock import dispense_item

    given: list[Dispensed] = []
    by_hand: list[str] = []
    for choice in (plan.given if plan is not None else []):
        item_id = shelf_ids.get(choice.stock_line or -1)
        units = choice.dose.course_units if choice.dose is not None else None
        if item_id is not None and units:
            given.append(Dispensed(item_id, float(units)))
        elif item_id is not None:  # as needed, or on the skin: no fixed course to count
            by_hand.append(choice.medicine)
    record_id = save_consultation(database, result, day, area, weight, pregnancy_weeks, given,
                                  lambda session, d, rid: dispense_item(database, session, d.medicine,
                                                                        d.quantity, day, rid))
    return {"id": record_id, "dispensed": [{"item": d.medicine, "units": d.quantity} for d in given],
            "give_by_hand": by_hand}


def _allergy_ids(kb: KnowledgeBase, text: str | None) -> set[str]:
    """Allergy names as medicine ids and classes: 'penicillin' is a class, 'amoxicillin' an id."""
    from yakbang.treatment import resolve_many

    classes = {c for m in kb.medicines.values() for c in m.classes}
    out: set[str] = set()
    for part in _split_ids(text):
        key = part.lower().replace(" ", "_")
        if key in classes:
            out.add(key)
        else:
            out.update(m for r in resolve_many(kb, part) for m in r.medicines)
    return out


@app.command()
def consult(
    lang: LangOption = None,
    max_questions: Annotated[int, typer.Option(
        "--max-questions", min=0, max=60, help="Ask at most this many questions.")] = 15,
    db: Annotated[str | None, typer.Option("--db", help="Database for records.")] = None,
    area: Annotated[str | None, typer.Option(
        "--area", help="A village or district label for the record (never an address).")] = None,
    no_save: Annotated[bool, typer.Option("--no-save", help="Do not keep a record.")] = False,
) -> None:
    """An interview in the terminal: who is ill, what is wrong, then a few questions.

    Example: yakbang consult --lang ko --area Hyesan
    """
    from yakbang.cli.interactive import run_consultation
    from yakbang.storage import in_use

    keep = None
    if in_use(db) and not no_save:
        from yakbang.cli.storage import open_db
        from yakbang.storage.records import check_area, save_consultation

        database, label = open_db(db), check_area(area)
        day = date.today()

        def keep(result: dict[str, Any]) -> str:
            return save_consultation(database, result, day, label)

    run_consultation(load_kb(), console, Lang.parse(lang) if lang else Lang.KO, max_questions, keep)


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="A JSON list of vignettes.")],
    mode: Annotated[str, typer.Option("--mode", help="static or interview.")] = "static",
    max_questions: Annotated[int, typer.Option("--max-questions", min=0, max=60,
                                               help="Interview question limit.")] = 15,
    as_json: JsonOption = False,
) -> None:
    """Diagnosis and triage accuracy on a vignette file.

    Example: yakbang eval vignettes/dev.json --mode interview
    """
    from yakbang.cli.eval_report import run_eval

    run_eval(load_kb(), file, mode, max_questions, as_json, console)


@app.command("eval-text")
def evaluate_text(
    files: Annotated[list[Path], typer.Argument(help="JSON lists of phrases with expected findings.")],
    errors: Annotated[bool, typer.Option("--errors", help="List every phrase not read exactly.")] = False,
    as_json: JsonOption = False,
) -> None:
    """How well free text is understood: precision, recall and negation accuracy, overall,
    by language and by tag.

    Example: yakbang eval-text textsets/*.json
    """
    from yakbang.cli.eval_report import run_eval_text

    run_eval_text(load_kb(), files, errors, as_json, console)


@app.command("eval-names")
def evaluate_names(
    files: Annotated[list[Path], typer.Argument(help="JSON lists of name queries (namesets/).")],
    errors: Annotated[bool, typer.Option("--errors", help="List every query not right at top-1.")] = False,
    as_json: JsonOption = False,
) -> None:
    """How well medicine names are identified: top-1 and top-3 accuracy, by script, kind and tag.

    Example: yakbang eval-names namesets/*.json
    """
    from yakbang.cli.eval_report import run_eval_names

    run_eval_names(load_kb(), files, errors, as_json, console)


@app.command("eval-pills")
def evaluate_pills(
    files: Annotated[list[Path], typer.Argument(help="JSON lists of appearance queries (pillsets/).")],
    errors: Annotated[bool, typer.Option("--errors", help="List misses in the top 3.")] = False,
    as_json: JsonOption = False,
) -> None:
    """How well tablets are found by their look: top-1 and top-3, by kind of noise.

    Example: yakbang eval-pills pillsets/*.json
    """
    from yakbang.cli.eval_report import run_eval_pills

    run_eval_pills(load_kb(), files, errors, as_json, console)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (default: this machine only).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    db: Annotated[str | None, typer.Option("--db", help="Database for records and stock.")] = None,
    login: Annotated[bool, typer.Option("--login", help="Ask for a login even on this machine.")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, max=16,
                                         help="Processes answering (one per core).")] = 1,
) -> None:
    """The web page, offline, on this machine (open http://127.0.0.1:8000 in a browser).

    Example: yakbang serve --port 8000
    """
    import ipaddress

    import uvicorn

    from yakbang.web.app import Settings, create_app
    from yakbang.web.login import load_users

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    users = load_users() if (login or not loopback) else None
    if users is not None and not users:
        raise UserError(f"serving on {host} lets others on the network in: first set up a login with "
                        "`yakbang web adduser NAME`")
    if workers == 1:
        uvicorn.run(create_app(Settings(db=db, users=users)), host=host, port=port, log_level="warning",
                    access_log=False)
        return
    import os

    if db:
        os.environ["YAKBANG_DB"] = db
    os.environ["YAKBANG_WEB_LOGIN"] = "1" if users is not None else "0"
    uvicorn.run("yakbang.web.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                log_level="warning", access_log=False)


@web_app.command("adduser")
def web_adduser(name: Annotated[str, typer.Argument(help="A user name.")]) -> None:
    """Set up (or change) a login for the web page; the password is asked twice (or taken from
    YAKBANG_WEB_PASSWORD) and only its argon2 hash is kept.

    Example: yakbang web adduser nurse1
    """
    import os

    from yakbang.web.login import add_user

    password = os.environ.get("YAKBANG_WEB_PASSWORD") or typer.prompt(
        "password", hide_input=True, confirmation_prompt=True)
    path = add_user(name, password)
    console.print(f"login for {name} kept in {path}", markup=False)


@app.command()
def bench(
    as_json: JsonOption = False,
    repeat: Annotated[int, typer.Option("--repeat", min=1, help="Runs per measurement.")] = 200,
) -> None:
    """Measure load time, advice and interview latency, and peak memory on this machine.

    Example: yakbang bench --repeat 500
    """
    from yakbang.bench import run_bench

    print_mapping(run_bench(repeat), as_json)


@kb_app.command("check")
def kb_check() -> None:
    """Validate every knowledge-base file; list every problem with file and key path.

    Example: yakbang kb check
    """
    from yakbang.kb.loader import DATA_DIR, load_kb_from

    try:
        kb = load_kb_from(DATA_DIR)
        kb.catalogue  # noqa: B018 - the name catalogue is loaded (and checked) on first use
    except KnowledgeBaseError as exc:
        for p in exc.problems:
            sys.stderr.write(f"{p}\n")
        sys.stderr.write(f"{len(exc.problems)} problem(s); nothing was loaded\n")
        raise typer.Exit(1) from None
    console.print(f"ok: {len(kb.findings)} findings, {len(kb.conditions)} conditions, "
                  f"{len(kb.rules)} danger rules, {len(kb.medicines)} medicines, {len(kb.substances)} "
                  f"substances, {len(kb.products)} products, {len(kb.pills)} tablets")


@kb_app.command("stats")
def kb_stats(as_json: JsonOption = False) -> None:
    """Counts of findings, conditions, rules, references and languages.

    Example: yakbang kb stats --json
    """
    from yakbang.kb.stats import kb_statistics

    print_mapping(kb_statistics(load_kb()), as_json)


@kb_app.command("docs")
def kb_docs(
    out: Annotated[Path, typer.Option("--out", help="Folder for the pages.")] = Path("docs/reference"),
    check: Annotated[bool, typer.Option("--check", help="Fail if the pages are stale.")] = False,
) -> None:
    """Write the knowledge-base reference pages (docs/reference/), or check they are current.

    Example: yakbang kb docs --check
    """
    from yakbang.kb.reference_docs import reference_pages

    pages = reference_pages(load_kb())
    stale = sorted(name for name, text in pages.items()
                   if not (out / name).exists() or (out / name).read_text(encoding="utf-8") != text)
    extra = sorted(p.name for p in out.glob("*.md") if p.name not in pages) if out.exists() else []
    if check:
        if stale or extra:
            raise UserError(f"reference pages in {out} are stale ({', '.join(stale + extra)}); "
                            "run `yakbang kb docs`")
        console.print(f"ok: {len(pages)} reference pages are current")
        return
    out.mkdir(parents=True, exist_ok=True)
    for name in extra:
        (out / name).unlink()
    for name in stale:
        (out / name).write_text(pages[name], encoding="utf-8")
    console.print(f"wrote {len(stale)} of {len(pages)} pages to {out}")


@kb_app.command("show")
def kb_show(
    entry_id: Annotated[str, typer.Argument(help="A finding, condition or rule id.")],
    as_json: JsonOption = False,
) -> None:
    """Show one entry of the knowledge base.

    Example: yakbang kb show pneumonia
    """
    kb = load_kb()
    found: list[tuple[str, Any]] = [
        (kind, entry) for kind, entry in (
            ("conditions", kb.conditions.get(entry_id)),
            ("findings", kb.findings.get(entry_id)),
            ("rules", next((r for r in kb.rules if r.id == entry_id), None)),
        ) if entry is not None
    ]
    if not found:
        raise UserError(f"no finding, condition or rule has the id {entry_id!r}; "
                        "see `yakbang kb stats`")
    data = [{"kind": kind, "file": kb.files.get(f"{kind}:{entry_id}"),
             **entry.model_dump(mode="json")} for kind, entry in found]
    if as_json:
        print_json(data[0] if len(data) == 1 else data)
    else:
        import yaml

        console.print(yaml.safe_dump_all(data, allow_unicode=True, sort_keys=False), markup=False)


def main() -> None:
    """Entry point: user errors print one line and exit 2; bugs show their traceback."""
    try:
        app()
    except UserError as exc:
        sys.stderr.write(f"error: {exc}\n")  # one line, never wrapped
        sys.exit(2)
    except KnowledgeBaseError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(1)
