"""What is on the shelf: a stock list read from CSV and validated line by line.

The accepted file has the header `medicine,form,strength,quantity,expiry`, e.g.
`amoxicillin,dispersible tablet,250 mg,100,2027-06-30`. The medicine is an INN or product
name; the form is in plain words; the strength like `250 mg`, `0.25g`, `125 mg/5 mL`,
`100000 IU` or `1%`. Any line that cannot be used exactly is an error naming the line: a
wrong dose is worse than no advice. Expired lines are kept, marked, and never offered.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from yakbang.errors import UserError
from yakbang.kb.formulary import Form, FormKind, Medicine
from yakbang.kb.loader import KnowledgeBase
from yakbang.treatment.names import fold, name_index

HEADER = ("medicine", "form", "strength", "quantity", "expiry")


class StockFileError(UserError):
    pass


# Plain words for forms in the languages on labels and lists.
FORM_WORDS: dict[str, FormKind] = {
    "tablet": FormKind.TABLET, "tablets": FormKind.TABLET, "tab": FormKind.TABLET,
    "tabs": FormKind.TABLET, "정": FormKind.TABLET, "알약": FormKind.TABLET, "정제": FormKind.TABLET,
    "片": FormKind.TABLET, "таблетки": FormKind.TABLET, "таблетка": FormKind.TABLET,
    "dispersible tablet": FormKind.DISPERSIBLE_TABLET, "dispersible": FormKind.DISPERSIBLE_TABLET,
    "dt": FormKind.DISPERSIBLE_TABLET, "dispersible tablets": FormKind.DISPERSIBLE_TABLET,
    "분산정": FormKind.DISPERSIBLE_TABLET, "chewable tablet": FormKind.CHEWABLE_TABLET,
    "씹어먹는 정": FormKind.CHEWABLE_TABLET, "capsule": FormKind.CAPSULE,
    "capsules": FormKind.CAPSULE, "cap": FormKind.CAPSULE, "caps": FormKind.CAPSULE,
    "캡슐": FormKind.CAPSULE, "胶囊": FormKind.CAPSULE, "капсулы": FormKind.CAPSULE,
    "syrup": FormKind.SYRUP, "시럽": FormKind.SYRUP, "물약": FormKind.SYRUP, "糖浆": FormKind.SYRUP,
    "сироп": FormKind.SYRUP, "suspension": FormKind.SUSPENSION, "susp": FormKind.SUSPENSION,
    "oral suspension": FormKind.SUSPENSION, "현탁액": FormKind.SUSPENSION,
    "суспензия": FormKind.SUSPENSION, "混悬液": FormKind.SUSPENSION,
    "drops": FormKind.ORAL_DROPS, "oral drops": FormKind.ORAL_DROPS,
    "oral solution": FormKind.ORAL_SOLUTION, "solution": FormKind.ORAL_SOLUTION,
    "oral powder": FormKind.ORAL_POWDER, "powder": FormKind.ORAL_POWDER,
    "sachet": FormKind.ORAL_POWDER, "sachets": FormKind.ORAL_POWDER,
    "granules": FormKind.ORAL_POWDER, "가루약": FormKind.ORAL_POWDER, "산제": FormKind.ORAL_POWDER,
    "颗粒": FormKind.ORAL_POWDER, "порошок": FormKind.ORAL_POWDER,
    "inhaler": FormKind.INHALER, "흡입기": FormKind.INHALER, "cream": FormKind.CREAM,
    "크림": FormKind.CREAM, "ointment": FormKind.OINTMENT, "연고": FormKind.OINTMENT,
    "мазь": FormKind.OINTMENT, "gel": FormKind.GEL, "lotion": FormKind.LOTION,
    "shampoo": FormKind.SHAMPOO, "skin solution": FormKind.SKIN_SOLUTION,
    "eye ointment": FormKind.EYE_OINTMENT, "눈연고": FormKind.EYE_OINTMENT,
    "eye drops": FormKind.EYE_DROPS, "안약": FormKind.EYE_DROPS, "점안액": FormKind.EYE_DROPS,
    "ear drops": FormKind.EAR_DROPS, "pessary": FormKind.PESSARY, "질정": FormKind.PESSARY,
    "vaginal tablet": FormKind.PESSARY, "suppository": FormKind.SUPPOSITORY,
    "좌약": FormKind.SUPPOSITORY, "injection": FormKind.INJECTION, "주사": FormKind.INJECTION,
    "주사약": FormKind.INJECTION, "ampoule": FormKind.INJECTION, "vial": FormKind.INJECTION,
}
FORM_WORDS.update({k.value: k for k in FormKind})

_UNIT_FACTORS = {"mg": ("mg", 1.0), "g": ("mg", 1000.0), "mcg": ("mcg", 1.0),
                 "µg": ("mcg", 1.0), "μg": ("mcg", 1.0), "ug": ("mcg", 1.0),
                 "iu": ("IU", 1.0), "ml": ("mL", 1.0), "l": ("mL", 1000.0)}
_STRENGTH = re.compile(
    r"^(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>mg|g|mcg|µg|μg|ug|iu|ml|l)?"
    r"(?:\s*(?:/|per)\s*(?P<vol>\d+(?:\.\d+)?)?\s*(?P<volunit>ml|l))?$")


@dataclass(frozen=True)
class Strength:
    amount: float
    unit: str  # mg, mcg, IU or mL, or "%" for a label
    per_ml: float | None = None
    label: str | None = None


def parse_strength(text: str) -> Strength:
    raw = text.strip().lower().replace(",", "").replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?%", raw):
        return Strength(float(raw[:-1]), "%", label=raw)
    m = _STRENGTH.match(raw)
    if m is None or m["unit"] is None:
        raise ValueError(f"strength {text!r} is not understood; write it like '250 mg', "
                         "'125 mg/5 mL', '100000 IU' or '1%'")
    unit, factor = _UNIT_FACTORS[m["unit"]]
    per_ml = None
    if m["volunit"]:
        per_ml = float(m["vol"] or 1) * (1000.0 if m["volunit"] == "l" else 1.0)
    return Strength(float(m["amount"]) * factor, unit, per_ml)


@dataclass(frozen=True)
class StockItem:
    medicine: str
    form: Form
    quantity: float
    expiry: date
    line: int
    name: str  # as written in the file

    def usable(self, today: date) -> bool:
        return self.quantity > 0 and self.expiry >= today and self.form.lay_use


@dataclass(frozen=True)
class Stock:
    items: tuple[StockItem, ...]
    # Lines naming a combination product: on the shelf, but never dosed by yakbang.
    combinations: tuple[str, ...] = ()

    def for_medicine(self, medicine: str, today: date) -> list[StockItem]:
        """Usable items of a medicine, first to expire first."""
        return sorted((i for i in self.items if i.medicine == medicine and i.usable(today)),
                      key=lambda i: i.expiry)

    def expired(self, today: date) -> list[StockItem]:
        return [i for i in self.items if i.expiry < today]


def _convert(amount: float, unit: str, medicine: Medicine) -> float | None:
    want = medicine.dose_unit
    if unit == want:
        return amount
    if unit == "mg" and want == "mcg":
        return amount * 1000.0
    if unit == "mcg" and want == "mg":
        return amount / 1000.0
    return None


def match_form(medicine: Medicine, kind: FormKind, strength_text: str) -> Form:
    """The formulary form this stock line is, or a conservative form for an unlisted strength."""
    same_kind = [f for f in medicine.forms if f.kind is kind]
    wanted = fold(strength_text)
    for f in same_kind:
        if wanted in {fold(a) for a in f.aliases} or (f.label and fold(f.label) == wanted):
            return f
    s = parse_strength(strength_text)
    if s.unit == "%":
        for f in same_kind:
            if f.label and fold(f.label) == fold(s.label or ""):
                return f
        if kind.category == "topical":
            return Form(kind=kind, label=s.label)
        raise ValueError(f"a percentage strength does not fit a {kind.value}")
    amount = _convert(s.amount, s.unit, medicine)
    if amount is None:
        raise ValueError(f"the unit of {strength_text!r} does not fit {medicine.inn} "
                         f"(measured in {medicine.dose_unit})")
    category = kind.category
    if category == "liquid" and s.per_ml is None:
        raise ValueError(f"a {kind.value} needs a strength per volume, like '125 mg/5 mL'")
    if category != "liquid" and s.per_ml is not None:
        raise ValueError(f"a {kind.value} has a strength per unit, like '250 mg', not per mL")
    for f in same_kind:
        if f.strength is None:
            continue
        if category == "liquid":
            if f.per_ml and s.per_ml and math.isclose(f.strength / f.per_ml, amount / s.per_ml):
                return f
        elif math.isclose(f.strength, amount):
            return f
    if kind is FormKind.INJECTION:
        return Form(kind=kind, strength=amount, lay_use=False)
    # Not in the formulary: usable, but a tablet is never split when nobody knows it is scored.
    return Form(kind=kind, strength=amount, per_ml=s.per_ml)


def parse_expiry(text: str) -> date:
    t = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}", t):  # month only: good to the end of that month
        y, m = int(t[:4]), int(t[5:])
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date.fromisoformat(t)


def read_stock(kb: KnowledgeBase, text: str) -> Stock:
    """Parse stock CSV text; raise StockFileError naming the first bad line."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise StockFileError("the stock file is empty; expected the header "
                             f"{','.join(HEADER)}")
    header = tuple(c.strip().lower() for c in rows[0])
    if header != HEADER:
        raise StockFileError(f"the stock file's header is {','.join(header)!r}; expected "
                             f"{','.join(HEADER)}")
    index = name_index(kb)
    items: list[StockItem] = []
    combinations: list[str] = []
    for n, row in enumerate(rows[1:], start=2):
        where = f"stock line {n}"
        if len(row) != len(HEADER):
            raise StockFileError(f"{where}: expected 5 fields ({','.join(HEADER)}), got {len(row)}")
        name, form_word, strength, quantity, expiry = (c.strip() for c in row)
        try:
            resolved = index.resolve(kb, name)
        except UserError as exc:
            raise StockFileError(f"{where}: {exc}") from None
        kind = FORM_WORDS.get(form_word.lower())
        if kind is None:
            raise StockFileError(f"{where}: the form {form_word!r} is not known; use words such "
                                 "as tablet, dispersible tablet, capsule, syrup, oral powder")
        try:
            qty = float(quantity)
        except ValueError:
            raise StockFileError(f"{where}: quantity {quantity!r} is not a number") from None
        if not math.isfinite(qty) or qty < 0:
            raise StockFileError(f"{where}: quantity {quantity!r} must be 0 or more")
        try:
            expires = parse_expiry(expiry)
        except ValueError:
            raise StockFileError(f"{where}: expiry {expiry!r} is not a date like 2027-06-30") from None
        if len(resolved.medicines) != 1 or resolved.other_ingredients:
            combinations.append(name)
            continue
        medicine = kb.medicines[resolved.medicines[0]]
        try:
            form = match_form(medicine, kind, strength)
        except ValueError as exc:
            raise StockFileError(f"{where}: {exc}") from None
        items.append(StockItem(medicine.id, form, qty, expires, n, name))
    return Stock(tuple(items), tuple(combinations))


def load_stock(kb: KnowledgeBase, path: Path, today: date) -> Stock:
    """Read a stock file; a file with nothing usable (all expired or empty) is an error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StockFileError(f"cannot read the stock file {str(path)!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise StockFileError(f"the stock file {str(path)!r} is not UTF-8 text") from None
    stock = read_stock(kb, text)
    if stock.items and not any(i.usable(today) for i in stock.items):
        expired = stock.expired(today)
        if expired:
            lines = ", ".join(str(i.line) for i in expired)
            raise StockFileError(
                f"nothing in the stock file can be used: every item has expired "
                f"(lines {lines}); expired medicine must not be given")
    return stock
