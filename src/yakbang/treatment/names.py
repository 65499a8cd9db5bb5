"""Resolve what a person calls a medicine (INN, Korean, brand, Chinese, Russian) to the formulary.

Names are compared after folding case, spaces and punctuation ("Amoxicillin", "아목시 실린",
"Бисептол" all fold). A name that is not found exactly is matched with rapidfuzz when it is
long enough for a typo to be told from another word; nothing shorter is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from yakbang.errors import UserError
from yakbang.kb.catalogue import formulary_cover
from yakbang.kb.formulary import Product
from yakbang.kb.loader import KnowledgeBase

FUZZY_MIN_LENGTH = 5
FUZZY_MIN_SCORE = 88.0
_FOLD = re.compile(r"[\s\-_.,·'’()/]+")


class UnknownMedicine(UserError):
    pass


def fold(name: str) -> str:
    return _FOLD.sub("", unicodedata.normalize("NFKC", name).casefold())


@dataclass(frozen=True)
class Resolved:
    """A name resolved to formulary medicines, through a product when it named one."""

    name: str
    medicines: tuple[str, ...]  # formulary ids of the active ingredients it contains
    product: Product | None = None
    # Ingredients the formulary does not know (herbal extracts, creosote), by name.
    other_ingredients: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name as the person wrote it."""
        return self.name


@dataclass(frozen=True)
class NameIndex:
    medicines: dict[str, str]  # folded name -> medicine id
    products: dict[str, str]  # folded name -> product id

    def resolve(self, kb: KnowledgeBase, name: str) -> Resolved:
        key = fold(name)
        if not key:
            raise UnknownMedicine("an empty medicine name was given")
        hit = self._exact(key)
        if hit is None and len(key) >= FUZZY_MIN_LENGTH:
            choices = {**self.medicines, **self.products}
            best = process.extractOne(key, list(choices), scorer=fuzz.ratio,
                                      score_cutoff=FUZZY_MIN_SCORE)
            if best is not None:
                hit = self._exact(best[0])
        if hit is None:
            return _from_catalogue(kb, name)
        kind, ident = hit
        if kind == "medicine":
            return Resolved(name=name, medicines=(ident,))
        product = kb.products[ident]
        medicines, left = formulary_cover(compositions(kb), product.substances)
        return Resolved(
            name=name,
            medicines=medicines,
            product=product,
            other_ingredients=tuple(i.label for i in product.ingredients
                                    if i.substance is None or i.substance in left),
        )

    def _exact(self, key: str) -> tuple[str, str] | None:
        if key in self.medicines:
            return "medicine", self.medicines[key]
        if key in self.products:
            return "product", self.products[key]
        return None


def _from_catalogue(kb: KnowledgeBase, name: str) -> Resolved:
    """A name the formulary does not list, through the identifier's catalogue (any script)."""
    from yakbang.identify.names import BadQuery, identify_name

    try:
        result = identify_name(kb, name)
    except BadQuery:
        result = None
    best = result.best if result is not None else None
    if result is None or best is None or result.status != "identified":
        raise UnknownMedicine(
            f"the medicine {name!r} is not known to yakbang; check the spelling or give "
            "the name of its active ingredient (for example paracetamol)")
    substances = tuple(part.substance for part in best.parts)
    medicines, left = formulary_cover(compositions(kb), substances)
    other = tuple(part.inn for part in best.parts if part.substance in left) + best.other
    product = kb.products.get(best.id) if best.kind == "product" and best.id else None
    return Resolved(name=name, medicines=medicines, product=product, other_ingredients=other)


@cache
def compositions(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Formulary medicine id -> the catalogue substances it is made of."""
    return {m.id: m.composition for m in kb.medicines.values()}


@cache
def name_index(kb: KnowledgeBase) -> NameIndex:
    medicines: dict[str, str] = {}
    for m in kb.medicines.values():
        for n in (m.id, m.inn, m.name.en, m.name.ko, *m.synonyms.en, *m.synonyms.ko):
            medicines.setdefault(fold(n), m.id)
    products: dict[str, str] = {}
    for p in kb.products.values():
        for n in (p.id, p.name.en, p.name.ko, *p.names):
            products.setdefault(fold(n), p.id)
    return NameIndex(medicines, products)


def resolve_many(kb: KnowledgeBase, text: str | None) -> list[Resolved]:
    """Names separated by commas, semicolons or '、' ("感冒灵, 타이레놀")."""
    if not text:
        return []
    index = name_index(kb)
    return [index.resolve(kb, part.strip()) for part in re.split(r"[,;、，]", text) if part.strip()]
