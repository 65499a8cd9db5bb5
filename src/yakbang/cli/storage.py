"""`yakbang stock ...`, `yakbang records ...`, `yakbang db ...`: the stored stock and records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from yakbang.cli.options import JsonOption, parse_today
from yakbang.errors import UserError
from yakbang.kb import load_kb

console = Console()
DbOption = Annotated[str | None, typer.Option(
    "--db", help="Database URL (default: YAKBANG_DB, else a SQLite file in the data directory).")]
TodayOption = Annotated[str | None, typer.Option("--today", help="Date, YYYY-MM-DD (default: today).")]
LocationOption = Annotated[str, typer.Option("--location", help="Where the stock is kept.")]

stock_app = typer.Typer(help="The stock: receive, dispense, adjust, list, expiring, import, export.\n\n"
                        "Example: yakbang stock receive amoxicillin \"dispersible tablet\" \"250 mg\" 100 "
                        "--expiry 2027-06-30", no_args_is_help=True)
records_app = typer.Typer(help="Consultation records (no names): list, show, export.\n\n"
                          "Example: yakbang records list --area Hyesan", no_args_is_help=True)
db_app = typer.Typer(help="The database itself.\n\nExample: yakbang db upgrade", no_args_is_help=True)


def open_db(db: str | None) -> Any:
    """Open the database; an encrypted one asks for its passphrase when none is set."""
    import os
    import sys

    from yakbang.storage import open_database
    from yakbang.storage.db import database_url, sqlite_path
    from yakbang.storage.keys import is_encrypted

    path = sqlite_path(database_url(db))
    if (path is not None and is_encrypted(path) and not os.environ.get("YAKBANG_PASSPHRASE")
            and sys.stdin.isatty()):
        return open_database(db, passphrase=typer.prompt("passphrase", hide_input=True))
    return open_database(db)


def _date(value: str, what: str) -> date:
    from yakbang.treatment.stock import parse_expiry

    try:
        return parse_expiry(value)
    except ValueError:
        raise UserError(f"{what} {value!r} is not a date like 2027-06-30 (or 2027-06)") from None


def _emit(text: str, file: Path | None) -> None:
    """Write an export to a file, or print it when no file is named."""
    if file is None:
        typer.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _balance_dict(b: Any) -> dict[str, Any]:
    return {"item": b.item.id, "name": b.item.name, "medicine": b.item.medicine, "form": b.item.form,
            "strength": b.item.strength, "expiry": b.item.expiry.isoformat(), "batch": b.item.batch,
            "location": b.location, "quantity": b.quantity}


@stock_app.command("receive")
def stock_receive(
    medicine: Annotated[str, typer.Argument(help="Any name: INN, brand, Chinese, Russian, Korean.")],
    form: Annotated[str, typer.Argument(help="tablet, dispersible tablet, capsule, syrup, ...")],
    strength: Annotated[str, typer.Argument(help="250 mg, 0.25g, 125 mg/5 mL, ...")],
    quantity: Annotated[float, typer.Argument(help="Units received (tablets, bottles, sachets).")],
    expiry: Annotated[str, typer.Option("--expiry", help="Expiry date, YYYY-MM-DD or YYYY-MM.")],
    batch: Annotated[str | None, typer.Option("--batch", help="Batch number on the pack.")] = None,
    location: LocationOption = "main",
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Record stock received (a new batch, or more of one).

    Example: yakbang stock receive amoxicillin "dispersible tablet" "250 mg" 100 --expiry 2027-06-30
    """
    from yakbang.storage.stock import balances, receive

    database = open_db(db)
    item = receive(database, load_kb(), medicine, form, strength, quantity, _date(expiry, "expiry"),
                   parse_today(today), batch, location)
    have = sum(b.quantity for b in balances(database, location) if b.item.id == item.id)
    console.print(f"received {quantity:g} {item.medicine} {item.form} {item.strength} (expires "
                  f"{item.expiry.isoformat()}); now {have:g} at {location}", markup=False)


@stock_app.command("dispense")
def stock_dispense(
    medicine: Annotated[str, typer.Argument(help="Any name of the medicine.")],
    quantity: Annotated[float, typer.Argument(help="Units to give.")],
    form: Annotated[str | None, typer.Option("--form", help="Only this form.")] = None,
    strength: Annotated[str | None, typer.Option("--strength", help="Only this strength.")] = None,
    location: LocationOption = "main",
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Give stock out, first to expire first; refused (nothing changed) when there is not enough.

    Example: yakbang stock dispense amoxicillin 10 --form "dispersible tablet"
    """
    from yakbang.storage.stock import dispense

    moved = dispense(open_db(db), load_kb(), medicine, quantity, parse_today(today), form, strength,
                     location)
    batches = f"{len(moved)} batch{'es' if len(moved) > 1 else ''}"
    console.print(f"dispensed {quantity:g} ({batches})", markup=False)


@stock_app.command("adjust")
def stock_adjust(
    item: Annotated[str, typer.Argument(help="The stock item id (see `stock list`).")],
    change: Annotated[float, typer.Argument(help="+2 or -3: the correction.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: broken, lost, counted again, ...")],
    location: LocationOption = "main",
    db: DbOption = None,
) -> None:
    """Correct a count, with the reason (the ledger keeps both the old count and the correction).

    Example: yakbang stock adjust 01a2... -3 --reason "broken in transport"
    """
    from yakbang.storage.stock import adjust

    database = open_db(db)
    adjust(database, _full_item(database, item), change, reason, location)
    console.print(f"adjusted by {change:+g} ({reason})", markup=False)


def _full_item(database: Any, prefix: str) -> str:
    """An item id from its first characters, as `stock list` shows them."""
    from yakbang.storage.stock import balances

    ids = {b.item.id for b in balances(database)}
    found = [i for i in ids if i.startswith(prefix)]
    if len(found) != 1:
        raise UserError(f"no single stock item starts with {prefix!r}; see `yakbang stock list`")
    return found[0]


@stock_app.command("transfer")
def stock_transfer(
    item: Annotated[str, typer.Argument(help="The stock item id (see `stock list`).")],
    quantity: Annotated[float, typer.Argument(help="Units to move.")],
    to: Annotated[str, typer.Option("--to", help="Where the stock goes.")],
    source: Annotated[str, typer.Option("--from", help="Where it is now.")] = "main",
    db: DbOption = None,
) -> None:
    """Move stock between places (two movements with one transfer id).

    Example: yakbang stock transfer 01a2... 50 --to village-2
    """
    from yakbang.storage.stock import transfer

    database = open_db(db)
    transfer(database, _full_item(database, item), quantity, source, to)
    console.print(f"moved {quantity:g} from {source} to {to}", markup=False)


@stock_app.command("expire")
def stock_expire(db: DbOption = None, today: TodayOption = None) -> None:
    """Take every expired batch still counted out of stock (so that it is never given).

    Example: yakbang stock expire
    """
    from yakbang.storage.stock import write_off_expired

    done = write_off_expired(open_db(db), parse_today(today))
    for item, location, quantity in done:
        console.print(f"expired: {quantity:g} {item.medicine} {item.form} {item.strength} "
                      f"({item.expiry.isoformat()}) [{location}]", markup=False)
    if not done:
        console.print("nothing expired is still counted", markup=False)


@stock_app.command("list")
def stock_list(
    location: Annotated[str | None, typer.Option("--location", help="Only this place.")] = None,
    low: Annotated[float, typer.Option("--low", help="Warn below this many units.")] = 20,
    db: DbOption = None,
    today: TodayOption = None,
    as_json: JsonOption = False,
) -> None:
    """Balances by batch, with expired and low stock marked.

    Example: yakbang stock list --json
    """
    from yakbang.storage.stock import balances
    from yakbang.storage.stock import low as low_stock

    database = open_db(db)
    day = parse_today(today)
    rows = [b for b in balances(database, location) if b.quantity > 0]
    short = low_stock(database, day, low)
    if as_json:
        _json({"balances": [_balance_dict(b) | {"expired": b.expired(day)} for b in rows], "low": short})
        return
    for b in rows:
        mark = "  EXPIRED: do not give" if b.expired(day) else ""
        console.print(f"{b.item.id[:13]}  {b.item.medicine} {b.item.form} {b.item.strength}  "
                      f"{b.quantity:g}  exp {b.item.expiry.isoformat()}  [{b.location}]{mark}", markup=False)
    for medicine, quantity in short.items():
        console.print(f"low: {medicine} ({quantity:g} left)", markup=False)
    if not rows:
        console.print("no stock recorded", markup=False)


@stock_app.command("expiring")
def stock_expiring(
    days: Annotated[int, typer.Option("--days", min=0, help="Within how many days.")] = 60,
    db: DbOption = None,
    today: TodayOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stock that expires soon (or has expired), first to expire first.

    Example: yakbang stock expiring --days 90
    """
    from yakbang.storage.stock import expiring

    day = parse_today(today)
    rows = expiring(open_db(db), day, days)
    if as_json:
        _json([_balance_dict(b) | {"expired": b.expired(day)} for b in rows])
        return
    for b in rows:
        when = "EXPIRED" if b.expired(day) else f"in {(b.item.expiry - day).days} days"
        console.print(f"{b.item.medicine} {b.item.form} {b.item.strength}: {b.quantity:g} expire "
                      f"{b.item.expiry.isoformat()} ({when}) [{b.location}]", markup=False)
    if not rows:
        console.print(f"nothing expires within {days} days", markup=False)


@stock_app.command("import")
def stock_import(
    file: Annotated[Path, typer.Argument(help="CSV: medicine,form,strength,quantity,expiry.")],
    location: LocationOption = "main",
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Receive every line of a stock file at once; a bad line (named) changes nothing.

    Example: yakbang stock import shelf.csv
    """
    from yakbang.storage.stock import import_csv

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {file}: {exc}") from None
    count, skipped = import_csv(open_db(db), load_kb(), text, parse_today(today), location)
    console.print(f"imported {count} lines" + (f"; combination products not stocked: {', '.join(skipped)}"
                                               if skipped else ""), markup=False)


@stock_app.command("export")
def stock_export(
    file: Annotated[Path | None, typer.Argument(help="Where to write (default: print).")] = None,
    location: Annotated[str | None, typer.Option("--location", help="Only this place.")] = None,
    db: DbOption = None,
) -> None:
    """Balances as a stock file (the import format).

    Example: yakbang stock export shelf.csv
    """
    from yakbang.storage.stock import export_csv

    _emit(export_csv(open_db(db), location), file)


@records_app.command("list")
def records_list(
    area: Annotated[str | None, typer.Option("--area", help="Only this area label.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date, YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100000)] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The latest consultations (age, sex, area, urgency, first condition; never a name).

    Example: yakbang records list --area Hyesan --since 2026-11-01
    """
    from yakbang.storage.records import list_records

    rows = list_records(open_db(db), limit, area, _date(since, "--since") if since else None)
    if as_json:
        _json(rows)
        return
    for r in rows:
        console.print(f"{r['id'][:13]}  {r['consulted_on']}  {r['area'] or '-'}  {r['age_months']} mo "
                      f"{r['sex']}  {r['urgency']}  {r['top_condition'] or ''}", markup=False)
    if not rows:
        console.print("no records", markup=False)


@records_app.command("show")
def records_show(
    record: Annotated[str, typer.Argument(help="A record id, or its first 8 characters or more.")],
    db: DbOption = None,
) -> None:
    """One consultation in full, with the stock it moved.

    Example: yakbang records show 01a2275d
    """
    from yakbang.storage.records import show_record

    _json(show_record(open_db(db), record))


@records_app.command("export")
def records_export(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    file: Annotated[Path | None, typer.Argument(help="Where to write (default: print).")] = None,
    db: DbOption = None,
) -> None:
    """Every consultation, for a hub or a spreadsheet.

    Example: yakbang records export --format json records.json
    """
    from yakbang.storage.records import export_records

    _emit(export_records(open_db(db), fmt), file)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the database to the newest schema (also done on every opening).

    Example: yakbang db upgrade --db postgresql+psycopg://yakbang@hub/yakbang
    """

    database = open_db(db)
    console.print(f"up to date: {database.url}", markup=False)


@db_app.command("init")
def db_init(
    encrypt: Annotated[bool, typer.Option("--encrypt", help="Encrypt it with a passphrase "
                                          "(SQLCipher, key by argon2id).")] = False,
    db: DbOption = None,
) -> None:
    """Create the database (with --encrypt: encrypted; the passphrase is asked twice, or taken
    from YAKBANG_PASSPHRASE). Lose the passphrase and the records are gone.

    Example: yakbang db init --encrypt
    """
    import os

    from yakbang.storage.db import create_encrypted

    if not encrypt:
        database = open_db(db)
        console.print(f"ready: {database.url}", markup=False)
        return
    passphrase = os.environ.get("YAKBANG_PASSPHRASE") or typer.prompt(
        "new passphrase", hide_input=True, confirmation_prompt=True)
    database = create_encrypted(db, passphrase)
    console.print(f"encrypted database ready: {database.url} (keep the passphrase safe; it cannot "
                  "be recovered)", markup=False)


def wipe_command(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (for scripts).")] = False,
    db: DbOption = None,
) -> None:
    """Destroy every record, the stock ledger and the key, after a confirmation.

    Example: yakbang wipe
    """
    from yakbang.storage.db import database_url, wipe

    target = database_url(db)
    if not yes:
        answer = typer.prompt(f"This destroys all records and stock in {target}. Type WIPE to go on")
        if answer.strip() != "WIPE":
            raise UserError("not wiped (the answer was not WIPE)")
    gone = wipe(db)
    console.print(f"wiped: {', '.join(str(p) for p in gone) or target}", markup=False)
