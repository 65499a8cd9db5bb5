"""Hidden duplicates and dangers between products: `yakbang identify check 타이레놀 感冒灵`.

Each name is identified; then the products are compared for the same substance in more than
one (paracetamol in a painkiller and a cold remedy), for two substances of one risky class
(two NSAIDs, two sedating antihistamines), for the daily maximum they share, and for the
interactions the formulary records between their medicines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from yakbang.identify.names import Candidate, NameResult, identify_name
from yakbang.kb.catalogue import formulary_cover
from yakbang.kb.loader import KnowledgeBase
from yakbang.treatment.names import compositions
from yakbang.types import Lang

# Classes where two members together add up the same harm.
RISKY_CLASSES = ("nsaid", "sedating_antihistamine", "antihistamine_sedating", "tricyclic_antidepressant",
                 "benzodiazepine", "barbiturate", "opioid",
                 "decongestant", "sympathomimetic", "pyrazolone", "salicylate", "sulfonylurea",
                 "corticosteroid", "tetracycline", "fluoroquinolone", "macrolide", "ssri", "tricyclic",
                 "anticoagulant", "ace_inhibitor", "beta_blocker", "antipsychotic")


@dataclass(frozen=True)
class Duplicate:
    substance: str
    inn: str
    products: tuple[tuple[str, float | None, float | None], ...]  # (name, amount per unit, per_ml)
    max_daily_mg: float | None
    max_daily_source: str | None
    units_per_day: tuple[tuple[str, float], ...]  # name -> units that reach the maximum alone


@dataclass(frozen=True)
class SameClass:
    cls: str
    members: tuple[tuple[str, str], ...]  # (product name, inn)


@dataclass(frozen=True)
class InteractionHit:
    a: str
    b: str
    severity: str
    advice: str


@dataclass
class CheckResult:
    results: list[NameResult]
    duplicates: list[Duplicate] = field(default_factory=list)
    same_class: list[SameClass] = field(default_factory=list)
    interactions: list[InteractionHit] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _label(r: NameResult, c: Candidate) -> str:
    return f"{r.query} ({c.name_en})"


def _max_daily(kb: KnowledgeBase, sid: str) -> tuple[float | None, str | None]:
    """The adult daily maximum in mg: the formulary's when it doses the substance alone."""
    comps = compositions(kb)
    for mid, comp in comps.items():
        m = kb.medicines[mid]
        if comp == frozenset({sid}) and m.max_daily is not None and m.dose_unit == "mg":
            return m.max_daily, f"formulary: {m.references[0].source}"
    s = kb.substances.get(sid)
    if s is not None and s.max_daily is not None:
        factor = {"mg": 1.0, "g": 1000.0, "mcg": 0.001}.get(s.max_daily.unit)
        if factor is not None:
            return s.max_daily.amount * factor, s.max_daily.references[0].source
    return None, None


def check_products(kb: KnowledgeBase, names: list[str], lang: Lang = Lang.EN) -> CheckResult:
    results = [identify_name(kb, n) for n in names]
    out = CheckResult(results)
    chosen: list[tuple[NameResult, Candidate]] = []
    for r in results:
        if r.best is None or r.status not in ("identified", "possible"):
            out.unknown.append(r.query)
        else:
            chosen.append((r, r.best))
    by_substance: dict[str, list[tuple[str, float | None, float | None]]] = {}
    for r, c in chosen:
        for p in c.parts:
            by_substance.setdefault(p.substance, []).append((_label(r, c), p.amount, p.per_ml))
    for sid, where in by_substance.items():
        if len(where) < 2:
            continue
        limit, source = _max_daily(kb, sid)
        units: list[tuple[str, float]] = []
        if limit is not None:
            for name, amount, per_ml in where:
                if amount and not per_ml:
                    units.append((name, math.floor(limit / amount * 10) / 10))
        s = kb.substances.get(sid)
        out.duplicates.append(Duplicate(sid, s.inn if s else sid, tuple(where), limit, source, tuple(units)))
    members: dict[str, list[tuple[str, str]]] = {}
    for r, c in chosen:
        for p in c.parts:
            s = kb.substances.get(p.substance)
            for cls in (s.classes if s else []):
                if cls in RISKY_CLASSES:
                    members.setdefault(cls, []).append((_label(r, c), p.substance))
    for cls, ms in members.items():
        if len({sid for _, sid in ms}) >= 2 and len({n for n, _ in ms}) >= 2:
            out.same_class.append(SameClass(cls, tuple((n, kb.substances[sid].inn) for n, sid in ms)))
    # Interactions the formulary records, between medicines of different products.
    comps = compositions(kb)
    meds = [(r, c, formulary_cover(comps, tuple(p.substance for p in c.parts))[0]) for r, c in chosen]
    seen: set[tuple[str, str]] = set()
    for i, (ra, ca, ma) in enumerate(meds):
        for rb, cb, mb in meds[i + 1:]:
            for x in ma:
                for y in mb:
                    for first, second in ((x, y), (y, x)):
                        med = kb.medicines[first]
                        other = kb.medicines[second]
                        for ix in med.interactions:
                            hit = ix.with_ == second or (ix.with_.startswith("class:")
                                                         and ix.with_[6:] in other.classes)
                            key = (min(first, second), max(first, second))
                            if hit and key not in seen:
                                seen.add(key)
                                out.interactions.append(InteractionHit(
                                    _label(ra, ca), _label(rb, cb), ix.severity, ix.advice.get(lang)))
    return out


def check_dict(kb: KnowledgeBase, res: CheckResult, lang: Lang) -> dict[str, object]:
    ko = lang is Lang.KO
    warnings: list[str] = []
    for d in res.duplicates:
        names = ", ".join(n for n, _, _ in d.products)
        if ko:
            line = f"같은 성분 {d.inn}이(가) {len(d.products)}가지 약에 들어 있습니다: {names}."
            if d.max_daily_mg:
                line += f" 모두 합쳐 하루 {d.max_daily_mg:g} mg을 넘지 마십시오."
        else:
            line = f"{d.inn} is in {len(d.products)} of these: {names}."
            if d.max_daily_mg:
                line += f" Together they must stay under {d.max_daily_mg:g} mg a day."
        warnings.append(line)
    for s in res.same_class:
        names = ", ".join(f"{n}: {inn}" for n, inn in s.members)
        warnings.append(f"같은 종류의 약 ({s.cls}) 두 가지: {names}. 함께 먹지 마십시오." if ko
                        else f"two medicines of one kind ({s.cls}): {names}. Do not take them together.")
    for ix in res.interactions:
        warnings.append(f"{ix.a} + {ix.b}: {ix.advice}")
    for q in res.unknown:
        warnings.append(f"'{q}'은(는) 무엇인지 몰라 확인할 수 없습니다. 모르는 약은 함께 먹지 마십시오." if ko
                        else f"'{q}' could not be identified, so it could not be checked; do not combine "
                        "an unknown medicine with others.")
    return {
        "products": [{"query": r.query, "status": r.status,
                      "name": (r.best.name_ko if ko else r.best.name_en) if r.best else None,
                      "ingredients": [{"inn": p.inn, "amount": p.amount, "unit": p.unit,
                                       **({"per_ml": p.per_ml} if p.per_ml else {})}
                                      for p in (r.best.parts if r.best else ())]}
                     for r in res.results],
        "duplicates": [{"substance": d.substance, "inn": d.inn,
                        "in": [{"name": n, "amount": a, **({"per_ml": v} if v else {})}
                               for n, a, v in d.products],
                        "max_daily_mg": d.max_daily_mg, "max_daily_source": d.max_daily_source,
                        "units_to_reach_max": {n: u for n, u in d.units_per_day}}
                       for d in res.duplicates],
        "same_class": [{"class": s.cls, "members": [{"name": n, "inn": i} for n, i in s.members]}
                       for s in res.same_class],
        "interactions": [{"a": i.a, "b": i.b, "severity": i.severity, "advice": i.advice}
                         for i in res.interactions],
        "unknown": res.unknown,
        "warnings": warnings,
        "safe_to_combine": not (res.duplicates or res.same_class or res.unknown
                                or any(i.severity == "avoid" for i in res.interactions)),
    }
