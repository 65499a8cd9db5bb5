"""The name catalogue: active substances by every name they go by, and things that are not medicines.

A *substance* is one active ingredient under its WHO INN (sulfamethoxazole, not co-trimoxazole),
with the names people and labels use for it in English, Korean (South and North), Chinese
(simplified, traditional and colloquial), Russian and Japanese. Products (formulary.py) are
made of substances. A *formulary* medicine that yakbang can dose is linked from its
substances, so that naming a product finds the dosing rules, warnings and interactions.

A *not-medicine* entry is a drink, food, cosmetic or supplement that people ask about as if it
were a medicine, so that the identifier can say what it is instead of guessing a medicine.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from yakbang.kb.schema import Identifier, Reference, Strict, Text

Name = Annotated[str, Field(min_length=1, max_length=80)]
Amount = Annotated[float, Field(gt=0.0)]


class Names(Strict):
    """Names by language. Korean holds South and North Korean spellings; Chinese both scripts."""

    en: list[Name] = Field(default_factory=list)
    ko: list[Name] = Field(default_factory=list)
    zh: list[Name] = Field(default_factory=list)
    ru: list[Name] = Field(default_factory=list)
    ja: list[Name] = Field(default_factory=list)
    la: list[Name] = Field(default_factory=list)

    def all(self) -> list[tuple[str, str]]:
        """(language, name) for every name."""
        return [(lang, n) for lang in ("en", "ko", "zh", "ru", "ja", "la")
                for n in getattr(self, lang)]


class DailyLimit(Strict):
    """The most an adult may take in a day, with its source (checked by `identify check`)."""

    amount: Amount
    unit: Literal["mg", "mcg", "g", "IU"] = "mg"
    references: list[Reference] = Field(min_length=1)


class Substance(Strict):
    id: Identifier  # the INN in snake case: acetylsalicylic_acid
    inn: Annotated[str, Field(min_length=2)]  # WHO INN in English, lower case
    names: Names
    atc: list[str] = Field(default_factory=list)
    # Groups used for duplicate and interaction checks: nsaid, sedating_antihistamine, ...
    classes: list[Identifier] = Field(default_factory=list)
    unit: Literal["mg", "mcg", "IU", "g"] = "mg"
    # Strengths per unit in which it is commonly sold, in `unit` (for reading bare numbers).
    strengths: list[Amount] = Field(default_factory=list)
    # International units in one mg (benzylpenicillin sodium: 1670), to read "80万单位".
    iu_per_mg: Amount | None = None
    max_daily: DailyLimit | None = None
    # The formulary medicine that doses it alone (set by the formulary's `substances`).
    note: Text | None = None
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _has_names(self) -> Substance:
        if not self.names.en:
            raise ValueError("expected at least one English name (the INN)")
        return self


NotMedicineKind = Literal["drink", "food", "cosmetic", "supplement", "household", "herbal", "poison", "other"]


class NotMedicine(Strict):
    """Something people ask about as a medicine that is not one (a drink, a sweet, a cream)."""

    id: Identifier
    kind: NotMedicineKind
    names: list[Name] = Field(min_length=1)
    what: Text  # one plain sentence: "an energy drink with caffeine and sugar"
    references: list[Reference] = Field(default_factory=list)


def formulary_cover(
    compositions: dict[str, frozenset[str]], substances: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The formulary medicines that make up these substances, and the substances left over.

    `compositions` maps each formulary medicine to the substances it is made of. The largest
    compositions are taken first, so sulfamethoxazole + trimethoprim is co-trimoxazole, not
    two medicines; a substance the formulary cannot dose is left over.
    """
    left = list(dict.fromkeys(substances))
    found: list[str] = []
    for medicine, comp in sorted(compositions.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if comp <= set(left):
            found.append(medicine)
            left = [s for s in left if s not in comp]
    return tuple(found), tuple(left)


class MedicineWords(Strict):
    """Words on packs and in questions that are not the medicine's name (identify/words.yaml).

    Longer phrases win over shorter ones (分散片 before 片). Every list is matched after NFKC
    folding and lower-casing.
    """

    # Form words -> a form kind value (tablet, capsule, ...), in every language.
    forms: dict[str, list[Name]]
    # Release and coating words that carry no identity (缓释, 肠溶, SR, retard, 연질).
    modifiers: list[Name] = Field(default_factory=list)
    # Salt and ester words printed next to the name (盐酸, hydrochloride, натрия, 염산염).
    salts: list[Name] = Field(default_factory=list)
    # Unit words -> mg, g, mcg, mL, L, IU, grain, 10k_IU (万单位), 1m_IU (百万单位).
    units: dict[str, list[Name]]
    # Words for a pack count that follow a number (粒, 袋, tabs, шт, 정).
    pack: list[Name] = Field(default_factory=list)
    # Number words before a pack count (두 알, 两盒).
    count_words: list[Name] = Field(default_factory=list)
    # Words that say nothing about what it is (规格, Tab., Rx, OTC, 处方药).
    noise: list[Name] = Field(default_factory=list)
    # Endings a name takes in a sentence or on a label: Russian adjectives and cases
    # (тетрациклиновая мазь, левомицетина), read as the name itself.
    inflections: list[Name] = Field(default_factory=list)
    # Words that say it is not a medicine (饮料, toothpaste, 음료, 奶糖).
    not_medicine: dict[str, list[Name]] = Field(default_factory=dict)
    # How tablets look: colour and shape words -> the table's values (흰색 -> white).
    colours: dict[str, list[Name]] = Field(default_factory=dict)
    shapes: dict[str, list[Name]] = Field(default_factory=dict)
    # Shade words before or after a colour that do not change it (light, 연, 淡, светло-).
    shades: list[Name] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)


PillShape = Literal["round", "oval", "oblong", "capsule", "triangle", "square", "rectangle",
                    "diamond", "pentagon", "hexagon", "octagon", "heart", "other"]
Colour = Literal["white", "yellow", "orange", "pink", "red", "brown", "green", "blue",
                 "purple", "grey", "black", "beige", "transparent"]
PillForm = Literal["tablet", "film-coated tablet", "sugar-coated tablet", "capsule", "soft capsule",
                   "chewable tablet", "dispersible tablet", "effervescent tablet"]
COLOURS: tuple[str, ...] = Colour.__args__  # type: ignore[attr-defined]
SHAPES: tuple[str, ...] = PillShape.__args__  # type: ignore[attr-defined]
PILL_FORMS: tuple[str, ...] = PillForm.__args__  # type: ignore[attr-defined]


class PillIngredient(Strict):
    substance: Identifier
    amount: Amount | None = None
    unit: Literal["mg", "mcg", "IU", "g"] = "mg"


class Pill(Strict):
    """How one tablet or capsule looks, like a row of Korea's pill-identification data.

    Imprints are written as printed, front then back; "" for a blank side. A capsule's
    two colours are cap then body. `score` is 0 none, 1 a line, 2 a cross.
    """

    id: Identifier
    name: Annotated[str, Field(min_length=1)]  # as on the pack: "Tylenol 500 mg (Korea)"
    product: Identifier | None = None
    ingredients: list[PillIngredient] = Field(min_length=1)
    form: PillForm
    imprint_front: str | None = None
    imprint_back: str | None = None
    shape: PillShape
    colours: list[Colour] = Field(min_length=1, max_length=2)
    score: Literal[0, 1, 2] = 0
    length_mm: Amount | None = None
    width_mm: Amount | None = None
    maker: str | None = None
    origin: str | None = None
    references: list[Reference] = Field(min_length=1)
