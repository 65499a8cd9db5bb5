"""Read what a medicine query says besides the name: strengths, form words, pack sizes.

"阿莫西林胶囊 0.25g*24粒" is amoxicillin, a capsule, 250 mg each, 24 in the pack;
"Бисептол 480" carries a strength code; "美林 100ml:2g" a liquid's strength; "80万单位" a
penicillin's units. The words come from the knowledge base (identify/words.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from yakbang.identify.catalogue import normalise
from yakbang.kb.catalogue import MedicineWords

_TEN_THOUSAND = re.compile(r"((?:万|萬|만|百万|백만)) +(?=单位|單位|단위|単位|u|iu)")
_NUM = r"(\d{1,3}(?:,\d{3}){2,}(?![\d.,])|\d+(?:[.,]\d+)?)"  # 1,000,000 or 0,25 or 0.5


@dataclass(frozen=True)
class Quantity:
    """A strength as written: an amount in a unit, maybe per a volume, maybe a pair (400/80)."""

    amounts: tuple[float, ...]  # one, or several for "400/80" and "20/120"
    unit: str | None  # mg, g, mcg, IU, %, or None for a bare number
    per_ml: float | None = None
    text: str = ""

    def in_mg(self) -> tuple[float, ...] | None:
        factor = {"mg": 1.0, "g": 1000.0, "mcg": 0.001, "grain": 65.0}.get(self.unit or "")
        return None if factor is None else tuple(a * factor for a in self.amounts)


@dataclass
class Reading:
    text: str  # the query, normalised, with strengths and pack sizes taken out
    quantities: list[Quantity] = field(default_factory=list)
    pack: list[str] = field(default_factory=list)  # "24粒", "№10"
    codes: list[str] = field(default_factory=list)  # "#3", "no.3"


def _number(text: str) -> float:
    t = text
    if t.count(",") > 1:
        return float(t.replace(",", ""))
    if "," in t:
        head, _, tail = t.partition(",")
        t = f"{head}{tail}" if head != "0" and len(tail) == 3 else f"{head}.{tail}"
    return float(t)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(normalise(w)) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    liquid_cn: re.Pattern[str]
    per_volume: re.Pattern[str]
    pair: re.Pattern[str]
    mass: re.Pattern[str]
    percent: re.Pattern[str]
    pack: re.Pattern[str]
    bracket: re.Pattern[str]
    code: re.Pattern[str]
    unit_of: dict[str, str]


_COMPILED: dict[int, tuple[MedicineWords, _Patterns]] = {}


def _patterns(words: MedicineWords) -> _Patterns:
    """The compiled patterns for one word list (kept while the word list lives)."""
    hit = _COMPILED.get(id(words))
    if hit is None or hit[0] is not words:
        hit = (words, _compile(words))
        _COMPILED[id(words)] = hit
    return hit[1]


def _compile(words: MedicineWords) -> _Patterns:
    unit_of = {normalise(w): unit for unit, ws in words.units.items() for w in ws}
    mass_units = _alternation([w for u, ws in words.units.items() if u not in ("mL", "L") for w in ws])
    ml = _alternation(words.units["mL"] + words.units.get("L", []))
    mass_only = _alternation([w for u, ws in words.units.items() if u in ("mg", "g", "mcg") for w in ws])
    pack_words = _alternation(words.pack)
    count_words = _alternation(words.count_words) or "(?!)"
    # A unit must not run on into a word (g in "gel", мг is fine before a space or a digit).
    end = r"(?![a-zа-я])"
    return _Patterns(
        liquid_cn=re.compile(rf"{_NUM}\s*(?P<v>{ml}){end}\s*[:：]\s*{_NUM}\s*(?P<u>{mass_only}){end}"),
        per_volume=re.compile(rf"{_NUM}\s*(?P<u>{mass_units})\s*(?:/|per|в|에|당)\s*{_NUM}?\s*(?P<v>{ml}){end}"),
        pair=re.compile(rf"(?<![\d.,]){_NUM}\s*(?P<u1>{mass_only})?\s*[/+]\s*{_NUM}\s*(?P<u2>{mass_only})?{end}(?![\d/])"),
        mass=re.compile(rf"(?<![\d.,]){_NUM}\s*(?P<u>{mass_units}){end}"),
        percent=re.compile(rf"(?<![\d.,]){_NUM}\s*%"),
        pack=re.compile(rf"(?:(?:{count_words})\s*(?:{pack_words})(?=$|[\s,;)）])|(?:\*|(?<![a-zа-я])[x×х])\s*\d+\s*(?:{pack_words})?|(?:№|n°|(?<![a-zа-я])no\.?\s*(?=\d{{2}}))\s*\d+|\d+\s*(?:{pack_words})(?=$|[\s,;)）]))"),
        bracket=re.compile(r"「[^」]*」|『[^』]*』|【[^】]*】"),
        # Codes, not strengths: "#3", "No. 3", and hours of action ("24HR", "8시간", "12小时").
        code=re.compile(r"#\s*\d+|(?<![a-zа-я])no\.?\s*\d(?!\d)"
                        r"|\d+\s*(?:hr|hrs|hour|hours|h|시간|小时|小時|時間|часов|час)(?![a-zа-я])"),
        unit_of=unit_of,
    )


def read_query(words: MedicineWords, query: str,
               is_name: Callable[[str], bool] | None = None) -> Reading:
    """Take strengths, pack sizes and codes out of a query; `is_name` keeps "Postinor-2" whole."""
    p = _patterns(words)
    text = normalise(query)
    text = p.bracket.sub(" ", text)  # 「サワイ」: the maker, not the medicine
    text = _TEN_THOUSAND.sub(r"\1", text)  # "80万 单位", "80만 단위" as one unit word
    reading = Reading(text="")
    spans: list[tuple[int, int]] = []

    def take(m: re.Match[str]) -> bool:
        if any(a < m.end() and m.start() < b for a, b in spans):
            return False
        spans.append((m.start(), m.end()))
        return True

    for m in p.liquid_cn.finditer(text):
        if take(m):
            volume = _number(m[1]) * (1000.0 if p.unit_of[m["v"]] == "L" else 1.0)
            reading.quantities.append(Quantity((_number(m[3]),), p.unit_of[m["u"]], volume, m[0]))
    for m in p.per_volume.finditer(text):
        if take(m):
            volume = _number(m[3]) if m[3] else 1.0
            if p.unit_of[m["v"]] == "L":
                volume *= 1000.0
            reading.quantities.append(Quantity((_number(m[1]),), _unit(p, m["u"]), volume, m[0]))
    for m in p.pack.finditer(text):
        if take(m):
            reading.pack.append(m[0].strip())
    for m in p.pair.finditer(text):
        if take(m):
            unit = m["u2"] or m["u1"]
            reading.quantities.append(Quantity((_number(m[1]), _number(m[3])),
                                               _unit(p, unit) if unit else None, text=m[0]))
    for m in p.mass.finditer(text):
        if take(m):
            unit = _unit(p, m["u"])
            amount = _number(m[1])
            if unit == "10k_IU":
                unit, amount = "IU", amount * 10_000
            elif unit == "1m_IU":
                unit, amount = "IU", amount * 1_000_000
            reading.quantities.append(Quantity((amount,), unit, text=m[0]))
    for m in p.percent.finditer(text):
        if take(m):
            reading.quantities.append(Quantity((_number(m[1]),), "%", text=m[0]))
    for m in p.code.finditer(text):
        if take(m):
            reading.codes.append(m[0].replace(" ", ""))
    # Bare numbers last: "Бисептол 480", "Levomycetin 0.5"; but not a number that is part of
    # a name ("Postinor-2", "ガスター10", "Gaster10").
    for m in re.finditer(rf"(?<![\d.,]){_NUM}(?![\d.,])(?!\s*[号號호])", text):  # 2号: a model
        word = re.search(r"([^\W\d_]+)[\s\-]?$", text[:m.start()])
        if word is not None and is_name is not None and is_name(word[1] + m[0]):
            continue
        if take(m):
            reading.quantities.append(Quantity((_number(m[1]),), None, text=m[0]))
    spans.sort()
    kept: list[str] = []
    last = 0
    for a, b in spans:
        kept.append(text[last:a])
        kept.append(" ")
        last = b
    kept.append(text[last:])
    reading.text = "".join(kept)
    reading.quantities.sort(key=lambda q: text.find(q.text))
    return reading


def _unit(p: _Patterns, word: str) -> str:
    return p.unit_of.get(word, word)
