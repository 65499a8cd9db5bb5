"""The aid group's own appearance table: what it ships, recorded and shared as CSV.

`yakbang identify register` adds a row; `--import FILE` and `--export FILE` move rows in and
out with the header below. The register lives in the user's data directory
(`YAKBANG_HOME` overrides it) as a CSV file, so that it can be read without yakbang. Every
row is validated like the shipped table; a bad row names its line and nothing is written.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import platformdirs
from pydantic import ValidationError

from yakbang.errors import UserError
from yakbang.identify.catalogue import fold
from yakbang.identify.names import identify_name
from yakbang.identify.pills import BadPillQuery, parse_colours, parse_shape
from yakbang.kb.catalogue import Pill
from yakbang.kb.loader import KnowledgeBase

HEADER = ("id", "name", "ingredients", "form", "imprint_front", "imprint_back", "shape",
          "colours", "score", "length_mm", "width_mm", "maker", "origin", "source")
_INGREDIENT = re.compile(r"^\s*(?P<name>.+?)\s+(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>mg|mcg|g|IU)?\s*$", re.I)


class RegisterError(UserError):
    pass


def register_path() -> Path:
    home = os.environ.get("YAKBANG_HOME")
    base = Path(home) if home else Path(platformdirs.user_data_dir("yakbang", appauthor=False))
    return base / "pills.csv"


def _ingredients(kb: KnowledgeBase, text: str, where: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for part in re.split(r"[;+]", text):
        if not part.strip():
            continue
        m = _INGREDIENT.match(part)
        name, amount, unit = (m["name"], float(m["amount"]), (m["unit"] or "mg")) if m else (part, None, "mg")
        sid = name.strip().replace(" ", "_").lower()
        if sid not in kb.substances:
            result = identify_name(kb, name)
            best = result.best
            if result.status != "identified" or best is None or len(best.parts) != 1:
                raise RegisterError(f"{where}: the ingredient {name.strip()!r} is not a known substance; "
                                    "write its INN (e.g. paracetamol 500)")
            sid = best.parts[0].substance
        out.append({"substance": sid, "amount": amount, "unit": unit if unit != "iu" else "IU"})
    if not out:
        raise RegisterError(f"{where}: no ingredient given; write e.g. 'paracetamol 500; caffeine 65'")
    return out


def row_to_pill(kb: KnowledgeBase, row: dict[str, str], where: str) -> Pill:
    """One CSV row (or command-line entry) as a validated pill."""
    def get(key: str) -> str:
        return (row.get(key) or "").strip()

    front, back = get("imprint_front"), get("imprint_back")
    if not front and not back and get("imprint_front").lower() != "blank":
        raise RegisterError(f"{where}: no imprint; write the letters or numbers on the tablet, or "
                            "'blank' for a tablet with nothing printed on it")
    try:
        colours = parse_colours(kb, get("colours"))
        shape = parse_shape(kb, get("shape"))
    except BadPillQuery as exc:
        raise RegisterError(f"{where}: {exc}") from None
    if not colours:
        raise RegisterError(f"{where}: no colour given")
    if shape is None:
        raise RegisterError(f"{where}: no shape given")
    name = get("name")
    slug = re.sub(r"[^a-z0-9]+", "_", fold(f"{name}_{front}_{back}").lower()).strip("_")
    ident = get("id") or f"reg_{slug}"
    data = {
        "id": ident[:60] if re.match(r"^[a-z]", ident) else f"reg_{ident}"[:60],
        "name": name or front,
        "ingredients": _ingredients(kb, get("ingredients"), where),
        "form": get("form") or "tablet",
        "imprint_front": "" if front.lower() == "blank" else front,
        "imprint_back": back,
        "shape": shape,
        "colours": list(colours),
        "score": int(get("score") or 0),
        "length_mm": float(get("length_mm")) if get("length_mm") else None,
        "width_mm": float(get("width_mm")) if get("width_mm") else None,
        "maker": get("maker") or None,
        "origin": get("origin") or None,
        "references": [{"source": get("source") or "registered by the user", "note": "user register"}],
    }
    try:
        return Pill.model_validate(data)
    except (ValidationError, ValueError) as exc:
        msg = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
        field = ".".join(str(x) for x in msg["loc"])
        raise RegisterError(f"{where}: {field}: {msg['msg']}") from None


def pill_to_row(p: Pill) -> dict[str, str]:
    def num(x: float | None) -> str:
        return "" if x is None else f"{x:g}"

    return {
        "id": p.id, "name": p.name,
        "ingredients": "; ".join(
            f"{i.substance.replace('_', ' ')} {num(i.amount)}{'' if i.unit == 'mg' else ' ' + i.unit}".strip()
            for i in p.ingredients),
        "form": p.form, "imprint_front": p.imprint_front or "", "imprint_back": p.imprint_back or "",
        "shape": p.shape, "colours": "/".join(p.colours), "score": str(p.score),
        "length_mm": num(p.length_mm), "width_mm": num(p.width_mm), "maker": p.maker or "",
        "origin": p.origin or "", "source": p.references[0].source,
    }


def read_rows(kb: KnowledgeBase, text: str, name: str) -> list[Pill]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple((h or "").strip() for h in (reader.fieldnames or ()))
    missing = [h for h in ("name", "ingredients", "imprint_front", "shape", "colours") if h not in header]
    if missing:
        raise RegisterError(f"{name}: the header lacks {', '.join(missing)}; expected {','.join(HEADER)}")
    pills = []
    for row in reader:
        if not any((v or "").strip() for v in row.values()):
            continue
        cells = {k.strip(): v for k, v in row.items() if k}
        pills.append(row_to_pill(kb, cells, f"{name} line {reader.line_num}"))
    return pills


def load_register(kb: KnowledgeBase, path: Path | None = None) -> list[Pill]:
    path = path or register_path()
    if not path.exists():
        return []
    return read_rows(kb, path.read_text(encoding="utf-8"), str(path))


def write_rows(pills: list[Pill]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for p in pills:
        writer.writerow(pill_to_row(p))
    return buf.getvalue()


def save_register(pills: list[Pill], path: Path | None = None) -> Path:
    """Write the whole register at once (to a temporary file, then renamed)."""
    path = path or register_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = [p.id for p in pills]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise RegisterError(f"the register would hold the id {sorted(dup)[0]!r} twice; give another id")
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text(write_rows(pills), encoding="utf-8")
    tmp.replace(path)
    return path
