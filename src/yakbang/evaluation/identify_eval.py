"""Score `identify name` on query sets (namesets/*.json) and `identify pill` on pill sets.

A name query is right at top-1 when the first candidate has exactly the expected
ingredients (by INN) and, where a strength is expected, that strength (liquids per 5 mL,
within 1 %). A query for something that is not a medicine, or for a made-up brand, is right
only when nothing is offered as a medicine. Forms are scored apart, by family (granules and
powder are one; so are tablets of every kind).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yakbang.errors import UserError
from yakbang.evaluation.vignettes import read_items
from yakbang.identify.names import Candidate, NameResult, identify_name
from yakbang.kb.catalogue import Pill
from yakbang.kb.loader import KnowledgeBase


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectedIngredient(_Model):
    inn: str
    strength_mg: float | None = None


class ExpectedName(_Model):
    ingredients: list[ExpectedIngredient] = Field(default_factory=list)
    form: str | None = None


class NameQuery(_Model):
    id: str
    query: str
    script: str
    expected: ExpectedName
    kind: Literal["single", "combination", "not_medicine", "unknown"]
    tags: list[str] = Field(default_factory=list)


FORM_FAMILY = {
    "tablet": "tablet", "dispersible tablet": "tablet", "chewable tablet": "tablet",
    "film-coated tablet": "tablet", "effervescent tablet": "tablet",
    "capsule": "capsule", "soft capsule": "capsule",
    "syrup": "liquid", "suspension": "liquid", "oral solution": "liquid", "oral drops": "liquid",
    "granules": "powder", "powder": "powder", "oral powder": "powder", "sachet": "powder",
    "ointment": "ointment", "eye ointment": "ointment", "cream": "cream", "gel": "cream",
    "injection": "injection", "inhaler": "inhaler", "suppository": "suppository",
    "pessary": "pessary", "eye drops": "eye drops", "ear drops": "ear drops",
}


@dataclass
class NameOutcome:
    query: NameQuery
    result: NameResult | None
    error: str | None
    top1: bool
    top3: bool
    form_right: bool | None  # None when no form was expected


@dataclass
class NameScores:
    queries: int = 0
    top1: int = 0
    top3: int = 0
    forms: int = 0
    forms_right: int = 0
    by: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def rate(self, right: int, n: int) -> float | None:
        return right / n if n else None


def load_name_queries(files: list[Path]) -> list[NameQuery]:
    items: list[NameQuery] = []
    for path in files:
        items += read_items(path, NameQuery, "name query")
    ids = [q.id for q in items]
    if len(ids) != len(set(ids)):
        raise UserError("name query ids must be unique across the files")
    return items


def _inn_key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def _matches(kb: KnowledgeBase, c: Candidate, expected: ExpectedName) -> bool:
    want = {_inn_key(i.inn): i.strength_mg for i in expected.ingredients}
    got: dict[str, Candidate | None] = {}
    amounts: dict[str, float | None] = {}
    for p in c.parts:
        s = kb.substances.get(p.substance)
        keys = {_inn_key(p.inn)} | ({_inn_key(n) for n in s.names.en} if s is not None else set())
        key = next((k for k in keys if k in want), _inn_key(p.inn))
        got[key] = c
        # Liquids by 5 mL; an injection by its ampoule or vial.
        injection = c.form is not None and c.form.value == "injection"
        amount = p.per_5ml() if p.per_ml and not injection else p.amount
        if amount is not None and p.unit == "mcg":
            amount /= 1000.0
        elif amount is not None and p.unit == "g":
            amount *= 1000.0
        amounts[key] = amount
    if set(got) != set(want):
        return False
    for inn, strength in want.items():
        if strength is None:
            continue
        amount = amounts.get(inn)
        if amount is None or not math.isclose(amount, strength, rel_tol=0.01):
            return False
    return True


def score_name_query(kb: KnowledgeBase, q: NameQuery) -> NameOutcome:
    try:
        result = identify_name(kb, q.query)
    except UserError as exc:
        return NameOutcome(q, None, str(exc), False, False, None)
    if q.kind in ("not_medicine", "unknown"):
        right = result.status in ("unknown", "not_medicine")
        return NameOutcome(q, result, None, right, right, None)
    cands = list(result.candidates)
    top1 = bool(cands) and _matches(kb, cands[0], q.expected)
    top3 = any(_matches(kb, c, q.expected) for c in cands[:3])
    form_right = None
    if q.expected.form is not None:
        got = cands[0].form.value if cands and cands[0].form else None
        form_right = got is not None and FORM_FAMILY.get(got) == FORM_FAMILY.get(q.expected.form)
    return NameOutcome(q, result, None, top1, top3, form_right)


def evaluate_names(kb: KnowledgeBase, queries: list[NameQuery]) -> tuple[list[NameOutcome], NameScores]:
    outcomes = [score_name_query(kb, q) for q in queries]
    scores = NameScores()
    for o in outcomes:
        scores.queries += 1
        scores.top1 += o.top1
        scores.top3 += o.top3
        if o.form_right is not None:
            scores.forms += 1
            scores.forms_right += o.form_right
        for group in (f"script:{o.query.script}", f"kind:{o.query.kind}",
                      *(f"tag:{t}" for t in o.query.tags)):
            scores.by[group][0] += 1
            scores.by[group][1] += o.top1
    return outcomes, scores


class PillQueryItem(_Model):
    imprint: str | None = None
    colour: str | None = None
    shape: str | None = None
    score: int | None = None


class PillCase(_Model):
    id: str
    query: PillQueryItem
    expected: str  # the pill id in the table, or "none" for a tablet that is not in it
    noise: list[str] = Field(default_factory=list)


@dataclass
class PillScores:
    queries: int = 0
    top1: int = 0
    top3: int = 0
    by: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    wrong: list[tuple[PillCase, list[str]]] = field(default_factory=list)


def load_pill_cases(files: list[Path]) -> list[PillCase]:
    items: list[PillCase] = []
    for path in files:
        items += read_items(path, PillCase, "pill query")
    return items


def _look(p: Pill, canonical: Callable[[str], str]) -> tuple[str, str, str, tuple[str, ...]]:
    return (canonical(p.imprint_front or ""), canonical(p.imprint_back or ""), p.shape, tuple(p.colours))


def evaluate_pills(kb: KnowledgeBase, cases: list[PillCase]) -> PillScores:
    """Top-1 and top-3: the expected row, or a row that looks the same and holds the same."""
    from yakbang.identify.pills import PillQuery, canonical, parse_colours, parse_shape, search_pills

    def same(a: str, b: str) -> bool:
        if a == b:
            return True
        pa, pb = kb.pills.get(a), kb.pills.get(b)
        if pa is None or pb is None:
            return False
        return bool(_look(pa, canonical) == _look(pb, canonical)
                    and {(i.substance, i.amount) for i in pa.ingredients}
                    == {(i.substance, i.amount) for i in pb.ingredients})

    scores = PillScores()
    for case in cases:
        q = case.query
        try:
            result = search_pills(kb, PillQuery(q.imprint, parse_colours(kb, q.colour),
                                                parse_shape(kb, q.shape), q.score))
            ids = [c.pill.id for c in result.candidates]
        except UserError:
            ids, result = [], None
        if case.expected == "none":
            # Not in the table: right when nothing is called identified.
            top1 = top3 = result is None or result.status != "identified"
        else:
            top1 = bool(ids) and same(ids[0], case.expected)
            top3 = any(same(i, case.expected) for i in ids[:3])
        scores.queries += 1
        scores.top1 += top1
        scores.top3 += top3
        for tag in case.noise or ["none"]:
            scores.by[tag][0] += 1
            scores.by[tag][1] += top1
            scores.by[tag][2] += top3
        if not top3:
            scores.wrong.append((case, ids[:3]))
    return scores
