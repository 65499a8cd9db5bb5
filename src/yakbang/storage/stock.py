"""Stock as an append-only ledger: receive, dispense, adjust, expire, transfer.

A balance is the sum of an item's movements at a location; nothing is changed in place. Every
operation is one transaction that checks before it writes: dispensing more than the balance,
a negative or zero quantity, an unknown medicine, an expired batch, are refused with nothing
changed. Dispensing takes the batch that expires first (FEFO); expired stock is never offered.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yakbang.errors import UserError
from yakbang.kb.loader import KnowledgeBase
from yakbang.storage.db import Database, new_id, now
from yakbang.storage.models import StockItem, StockMovement
from yakbang.treatment.stock import FORM_WORDS, Stock, StockFileError, match_form, parse_expiry, read_stock
from yakbang.treatment.stock import HEADER as CSV_HEADER
from yakbang.treatment.stock import StockItem as ShelfItem

DEFAULT_LOCATION = "main"
KINDS = ("receive", "dispense", "adjust", "expire", "transfer")


class StockError(UserError):
    pass


@dataclass(frozen=True)
class Balance:
    item: StockItem
    location: str
    quantity: float

    def expired(self, today: date) -> bool:
        return self.item.expiry < today


def _positive(quantity: float, what: str) -> float:
    if not math.isfinite(quantity) or quantity <= 0:
        raise StockError(f"the quantity to {what} must be more than 0, not {quantity:g}")
    return quantity


def _item_fields(kb: KnowledgeBase, name: str, form_word: str, strength: str) -> tuple[str, str, str]:
    """Validate a medicine, form and strength as a stock file line would be; return them."""
    from yakbang.treatment.names import name_index

    try:
        resolved = name_index(kb).resolve(kb, name)
    except UserError as exc:
        raise StockError(str(exc)) from None
    if len(resolved.medicines) != 1 or resolved.other_ingredients:
        raise StockError(f"{name!r} is a combination product; yakbang keeps stock of single medicines "
                         "it can dose (give the ingredient, e.g. paracetamol)")
    kind = FORM_WORDS.get(form_word.strip().lower())
    if kind is None:
        raise StockError(f"the form {form_word!r} is not known; use words such as tablet, dispersible "
                         "tablet, capsule, syrup, oral powder")
    medicine = kb.medicines[resolved.medicines[0]]
    try:
        match_form(medicine, kind, strength)
    except ValueError as exc:
        raise StockError(str(exc)) from None
    return medicine.id, kind.value, strength.strip()


def _balance(session: Session, item_id: str, location: str) -> float:
    total = session.scalar(select(func.coalesce(func.sum(StockMovement.quantity), 0.0))
                           .where(StockMovement.item_id == item_id, StockMovement.location == location))
    return float(total or 0.0)


def _lock(session: Session, db: Database, item_ids: list[str]) -> None:
    """On PostgreSQL, lock the items so that two dispensers cannot both take the last tablets."""
    if not db.sqlite and item_ids:
        session.execute(select(StockItem.id).where(StockItem.id.in_(item_ids)).with_for_update())


def _move(session: Session, db: Database, item_id: str, location: str, kind: str, quantity: float,
          reason: str | None = None, consultation_id: str | None = None,
          transfer_id: str | None = None) -> str:
    movement = StockMovement(id=new_id(), device_id=db.device_id, created_at=now(), item_id=item_id,
                             location=location, kind=kind, quantity=quantity, reason=reason,
                             consultation_id=consultation_id, transfer_id=transfer_id)
    session.add(movement)
    session.flush()
    return movement.id


def _find_or_add_item(session: Session, db: Database, name: str, medicine: str, form: str,
                      strength: str, expiry: date, batch: str | None) -> StockItem:
    item = session.scalar(select(StockItem).where(
        StockItem.medicine == medicine, StockItem.form == form, StockItem.strength == strength,
        StockItem.expiry == expiry,
        StockItem.batch.is_(None) if batch is None else StockItem.batch == batch))
    if item is None:
        item = StockItem(id=new_id(), device_id=db.device_id, created_at=now(), name=name,
                         medicine=medicine, form=form, strength=strength, expiry=expiry, batch=batch)
        session.add(item)
        session.flush()
    return item


def receive(db: Database, kb: KnowledgeBase, name: str, form: str, strength: str, quantity: float,
            expiry: date, today: date, batch: str | None = None,
            location: str = DEFAULT_LOCATION) -> StockItem:
    _positive(quantity, "receive")
    if expiry < today:
        raise StockError(f"this batch expired on {expiry.isoformat()}; expired medicine must not be "
                         "stocked or given")
    medicine, form_value, strength_text = _item_fields(kb, name, form, strength)
    with db.transaction() as session:
        item = _find_or_add_item(session, db, name, medicine, form_value, strength_text, expiry, batch)
        _move(session, db, item.id, location, "receive", quantity)
    return item


def _usable_batches(session: Session, medicine: str, form: str | None, strength: str | None,
                    location: str, today: date) -> list[tuple[StockItem, float]]:
    query = select(StockItem).where(StockItem.medicine == medicine)
    if form is not None:
        query = query.where(StockItem.form == form)
    if strength is not None:
        query = query.where(StockItem.strength == strength)
    out = []
    for item in session.scalars(query.order_by(StockItem.expiry, StockItem.created_at)):
        left = _balance(session, item.id, location)
        if left > 0 and item.expiry >= today:
            out.append((item, left))
    return out


def dispense(db: Database, kb: KnowledgeBase, name: str, quantity: float, today: date,
             form: str | None = None, strength: str | None = None, location: str = DEFAULT_LOCATION,
             consultation_id: str | None = None, session: Session | None = None) -> list[str]:
    """Take `quantity` units of a medicine, first to expire first; movement ids.

    Pass `session` to dispense inside a transaction that is already open (a consultation).
    """
    _positive(quantity, "dispense")
    from yakbang.treatment.names import name_index

    try:
        resolved = name_index(kb).resolve(kb, name)
    except UserError as exc:
        raise StockError(str(exc)) from None
    if len(resolved.medicines) != 1:
        raise StockError(f"{name!r} is not one medicine yakbang keeps in stock")
    medicine = resolved.medicines[0]
    form_value = None
    if form is not None:
        kind = FORM_WORDS.get(form.strip().lower())
        if kind is None:
            raise StockError(f"the form {form!r} is not known")
        form_value = kind.value

    def run(s: Session) -> list[str]:
        ids = [i.id for i in s.scalars(select(StockItem).where(StockItem.medicine == medicine))]
        _lock(s, db, ids)
        batches = _usable_batches(s, medicine, form_value, strength, location, today)
        have = sum(left for _, left in batches)
        if have + 1e-9 < quantity:
            what = " ".join(x for x in (medicine, form_value, strength) if x)
            raise StockError(f"only {have:g} of {what} in stock at {location} (not expired); "
                             f"{quantity:g} asked; nothing was dispensed")
        moved, need = [], quantity
        for item, left in batches:
            take = min(left, need)
            moved.append(_move(s, db, item.id, location, "dispense", -take,
                               consultation_id=consultation_id))
            need -= take
            if need <= 1e-9:
                break
        return moved

    if session is not None:
        return run(session)
    with db.transaction() as s:
        return run(s)


def dispense_item(db: Database, session: Session, item_id: str, quantity: float, today: date,
                  consultation_id: str | None = None, location: str = DEFAULT_LOCATION) -> str:
    """Give from one batch inside an open transaction (a consultation's); refused if short."""
    _positive(quantity, "dispense")
    _lock(session, db, [item_id])
    item = _item(session, item_id)
    if item.expiry < today:
        raise StockError(f"{item.medicine} {item.strength} expired on {item.expiry.isoformat()}; "
                         "it must not be given; nothing was dispensed")
    left = _balance(session, item_id, location)
    if left + 1e-9 < quantity:
        raise StockError(f"only {left:g} of {item.medicine} {item.form} {item.strength} at {location}; "
                         f"{quantity:g} needed for the course; nothing was dispensed or recorded")
    return _move(session, db, item_id, location, "dispense", -quantity, consultation_id=consultation_id)


def _item(session: Session, item_id: str) -> StockItem:
    item = session.get(StockItem, item_id)
    if item is None:
        raise StockError(f"no stock item {item_id!r}; see `yakbang stock list`")
    return item


def adjust(db: Database, item_id: str, change: float, reason: str,
           location: str = DEFAULT_LOCATION) -> str:
    """Correct a count (broken, lost, counted again), with the reason; never below zero."""
    if not math.isfinite(change) or change == 0:
        raise StockError("an adjustment must change the count (e.g. -3 or +2)")
    if not reason.strip():
        raise StockError("an adjustment needs a reason (broken, lost, counted again, ...)")
    with db.transaction() as session:
        _lock(session, db, [item_id])
        _item(session, item_id)
        left = _balance(session, item_id, location)
        if left + change < -1e-9:
            raise StockError(f"only {left:g} at {location}; cannot take {-change:g}; nothing changed")
        return _move(session, db, item_id, location, "adjust", change, reason=reason.strip())


def transfer(db: Database, item_id: str, quantity: float, source: str, target: str) -> str:
    _positive(quantity, "transfer")
    if source == target:
        raise StockError("a transfer needs two different locations")
    with db.transaction() as session:
        _lock(session, db, [item_id])
        _item(session, item_id)
        left = _balance(session, item_id, source)
        if left + 1e-9 < quantity:
            raise StockError(f"only {left:g} at {source}; cannot move {quantity:g}; nothing changed")
        tid = new_id()
        _move(session, db, item_id, source, "transfer", -quantity, reason=f"to {target}", transfer_id=tid)
        _move(session, db, item_id, target, "transfer", quantity, reason=f"from {source}", transfer_id=tid)
        return tid


def write_off_expired(db: Database, today: date) -> list[tuple[StockItem, str, float]]:
    """Move every expired batch still counted out of stock (kind `expire`)."""
    out = []
    with db.transaction() as session:
        for b in _balances(session):
            if b.quantity > 0 and b.item.expiry < today:
                _move(session, db, b.item.id, b.location, "expire", -b.quantity, reason="expired")
                out.append((b.item, b.location, b.quantity))
    return out


def _balances(session: Session, location: str | None = None) -> list[Balance]:
    rows = session.execute(
        select(StockMovement.item_id, StockMovement.location, func.sum(StockMovement.quantity))
        .group_by(StockMovement.item_id, StockMovement.location)).all()
    items = {i.id: i for i in session.scalars(select(StockItem))}
    out = [Balance(items[item_id], loc, float(total)) for item_id, loc, total in rows
           if location is None or loc == location]
    return sorted(out, key=lambda b: (b.item.medicine, b.item.expiry, b.location))


def balances(db: Database, location: str | None = None) -> list[Balance]:
    with db.sessions() as session:
        return _balances(session, location)


def expiring(db: Database, today: date, days: int = 60) -> list[Balance]:
    """Counted stock that expires within `days` (or has expired), first to expire first."""
    limit = today + timedelta(days=days)
    return sorted((b for b in balances(db) if b.quantity > 0 and b.item.expiry <= limit),
                  key=lambda b: b.item.expiry)


def low(db: Database, today: date, below: float) -> dict[str, float]:
    """Medicines whose usable stock (all batches, not expired) is below `below` units."""
    totals: dict[str, float] = defaultdict(float)
    for b in balances(db):
        if not b.expired(today):
            totals[b.item.medicine] += max(b.quantity, 0.0)
    return {m: q for m, q in sorted(totals.items()) if q < below}


def as_shelf(db: Database, kb: KnowledgeBase, today: date,
             location: str = DEFAULT_LOCATION) -> tuple[Stock, dict[int, str]]:
    """The stored stock as the treatment planner's shelf, and shelf line -> stock item id."""
    lines: list[ShelfItem] = []
    ids: dict[int, str] = {}
    for n, b in enumerate((b for b in balances(db, location) if b.quantity > 0), start=1):
        medicine = kb.medicines.get(b.item.medicine)
        if medicine is None:
            continue  # a medicine the knowledge base no longer has: never dosed
        try:
            form = match_form(medicine, FORM_WORDS[b.item.form], b.item.strength)
        except (KeyError, ValueError):
            continue
        lines.append(ShelfItem(medicine.id, form, b.quantity, b.item.expiry, n, b.item.name))
        ids[n] = b.item.id
    return Stock(tuple(lines)), ids


def import_csv(db: Database, kb: KnowledgeBase, text: str, today: date,
               location: str = DEFAULT_LOCATION) -> tuple[int, list[str]]:
    """Receive every line of a stock file in one transaction; a bad line changes nothing."""
    try:
        shelf = read_stock(kb, text)
    except StockFileError as exc:
        raise StockError(str(exc)) from None
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
    with db.transaction() as session:
        for line in shelf.items:
            row = [c.strip() for c in rows[line.line - 1]]
            if line.quantity <= 0:
                continue
            if line.expiry < today:
                raise StockError(f"stock line {line.line}: expired on {line.expiry.isoformat()}; "
                                 "expired medicine must not be stocked; nothing was imported")
            item = _find_or_add_item(session, db, line.name, line.medicine, FORM_WORDS[row[1].lower()].value,
                                     row[2], parse_expiry(row[4]), None)
            _move(session, db, item.id, location, "receive", line.quantity, reason="import")
    return len(shelf.items), list(shelf.combinations)


def export_csv(db: Database, location: str | None = None) -> str:
    """Balances in the stock-file format, so that the file can be imported elsewhere."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for b in balances(db, location):
        if b.quantity > 0:
            writer.writerow([b.item.medicine, b.item.form, b.item.strength, f"{b.quantity:g}",
                             b.item.expiry.isoformat()])
    return buf.getvalue()
