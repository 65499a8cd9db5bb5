"""The formulary schema: medicines, products on the shelf, and treatment plans per condition.

A *medicine* is one active ingredient (or a fixed WHO combination such as co-trimoxazole)
with the forms people find, absolute dose limits, named dose regimens, contraindications and
interactions. A *product* is a named thing on a shelf (感冒灵, 타이레놀, бисептол) mapped to
its ingredients. A *treatment plan* says, per condition, what to give in which order of
preference, and what to do without medicine. Every number carries its source.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from yakbang.kb.schema import AgeRange, Identifier, Reference, Strict, Synonyms, Text, TextList

Amount = Annotated[float, Field(gt=0.0)]
ATC_PATTERN = re.compile(r"^[A-Z]\d\d[A-Z]{0,2}(\d\d)?$")


class FormKind(StrEnum):
    """Dosage forms in plain words, as a stock list or a label says them."""

    TABLET = "tablet"
    DISPERSIBLE_TABLET = "dispersible tablet"
    CHEWABLE_TABLET = "chewable tablet"
    CAPSULE = "capsule"
    SYRUP = "syrup"
    SUSPENSION = "suspension"
    ORAL_DROPS = "oral drops"
    ORAL_SOLUTION = "oral solution"
    ORAL_POWDER = "oral powder"
    INHALER = "inhaler"
    CREAM = "cream"
    OINTMENT = "ointment"
    GEL = "gel"
    LOTION = "lotion"
    SHAMPOO = "shampoo"
    SKIN_SOLUTION = "skin solution"
    EYE_OINTMENT = "eye ointment"
    EYE_DROPS = "eye drops"
    EAR_DROPS = "ear drops"
    PESSARY = "pessary"
    SUPPOSITORY = "suppository"
    INJECTION = "injection"

    @property
    def category(self) -> Literal["solid", "liquid", "powder", "inhaler", "topical", "injection"]:
        return _CATEGORY[self]

    @property
    def child_friendly(self) -> bool:
        """Forms a young child can take: dispersible tablets and liquids (WHO EML children)."""
        return self in _CHILD_FRIENDLY


_CATEGORY: dict[FormKind, Literal["solid", "liquid", "powder", "inhaler", "topical", "injection"]] = {
    FormKind.TABLET: "solid", FormKind.DISPERSIBLE_TABLET: "solid",
    FormKind.CHEWABLE_TABLET: "solid", FormKind.CAPSULE: "solid",
    FormKind.PESSARY: "solid", FormKind.SUPPOSITORY: "solid",
    FormKind.SYRUP: "liquid", FormKind.SUSPENSION: "liquid", FormKind.ORAL_DROPS: "liquid",
    FormKind.ORAL_SOLUTION: "liquid",
    FormKind.ORAL_POWDER: "powder",
    FormKind.INHALER: "inhaler",
    FormKind.CREAM: "topical", FormKind.OINTMENT: "topical", FormKind.GEL: "topical",
    FormKind.LOTION: "topical", FormKind.SHAMPOO: "topical", FormKind.SKIN_SOLUTION: "topical",
    FormKind.EYE_OINTMENT: "topical", FormKind.EYE_DROPS: "topical", FormKind.EAR_DROPS: "topical",
    FormKind.INJECTION: "injection",
}
_CHILD_FRIENDLY = {FormKind.DISPERSIBLE_TABLET, FormKind.SYRUP, FormKind.SUSPENSION,
                   FormKind.ORAL_DROPS, FormKind.ORAL_SOLUTION, FormKind.ORAL_POWDER,
                   FormKind.CHEWABLE_TABLET}

DoseUnit = Literal["mg", "mcg", "IU", "mL"]


class Form(Strict):
    """One form and strength of a medicine.

    `strength` is the amount of the medicine (in the medicine's dose unit) in one unit: one
    tablet, one puff, one sachet, or `per_ml` millilitres of a liquid. Topical forms carry a
    `label` ("1%") instead. `split` is 2 or 4 only when the tablet is scored for it.
    """

    kind: FormKind
    strength: Amount | None = None
    per_ml: Amount | None = None
    label: str | None = None
    split: Literal[1, 2, 4] = 1
    # A sachet of oral powder made up with this much water (ORS: 1000 mL).
    makes_ml: Amount | None = None
    # Other ways a label or stock list writes this strength ("20.5 g", "1 L", "200 mg/5 mL").
    aliases: list[str] = Field(default_factory=list)
    lay_use: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Form:
        cat = self.kind.category
        if cat in ("solid", "liquid", "inhaler") and self.strength is None:
            raise ValueError(f"a {self.kind.value} needs a strength")
        if cat == "liquid" and self.per_ml is None:
            raise ValueError(f"a {self.kind.value} needs per_ml (e.g. strength 125, per_ml 5)")
        if cat != "liquid" and self.per_ml is not None:
            raise ValueError("per_ml is only for liquids")
        if cat == "topical" and self.strength is None and self.label is None:
            raise ValueError("a topical form needs a strength or a label such as '1%'")
        if self.split != 1 and cat != "solid":
            raise ValueError("split is only for tablets")
        if self.kind is FormKind.INJECTION and self.lay_use:
            raise ValueError("an injection must have lay_use: false (not given by lay people)")
        return self

    @property
    def per_unit(self) -> float | None:
        """Amount of medicine in one counted unit (tablet, puff, sachet) or in 1 mL of liquid."""
        if self.strength is None:
            return None
        return self.strength / self.per_ml if self.per_ml else self.strength

    def describe(self, unit: str = "mg") -> str:
        if self.label:
            return f"{self.kind.value} {self.label}"
        if self.per_ml:
            return f"{self.kind.value} {_num(self.strength)} {unit}/{_num(self.per_ml)} mL"
        return f"{self.kind.value} {_num(self.strength)} {unit}"


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


class DoseBand(Strict):
    """A fixed dose for a weight band (kg, lower bound inclusive, upper exclusive) or age band."""

    min_kg: Annotated[float, Field(ge=0)] | None = None
    max_kg: Amount | None = None
    min_months: Annotated[int, Field(ge=0)] | None = None
    max_months: Annotated[int, Field(gt=0)] | None = None
    dose: Amount

    @model_validator(mode="after")
    def _has_bounds(self) -> DoseBand:
        by_weight = self.min_kg is not None or self.max_kg is not None
        by_age = self.min_months is not None or self.max_months is not None
        if by_weight == by_age:
            raise ValueError("expected a band by weight (min_kg/max_kg) or by age (min/max_months)")
        return self

    def contains(self, weight_kg: float, age_months: int) -> bool:
        if self.min_kg is not None or self.max_kg is not None:
            return (self.min_kg is None or weight_kg >= self.min_kg) and (
                self.max_kg is None or weight_kg < self.max_kg)
        return (self.min_months is None or age_months >= self.min_months) and (
            self.max_months is None or age_months < self.max_months)


Schedule = Literal["fixed", "as_needed", "per_event", "once"]


class Regimen(Strict):
    """How much, how often, how long, for one indication.

    The dose per dose is either `per_kg` (times the weight, capped at `max_dose`) or a fixed
    dose from `bands`. After rounding to what the product allows, the dose must lie within
    [`min_per_kg`, `max_per_kg`] x weight (defaults: 80 % and 110 % of the target) and never
    above the medicine's absolute limits.
    """

    id: Identifier
    indication: Text
    route: Literal["oral", "inhaled", "skin", "eye", "ear", "vaginal", "rectal", "injection"] = "oral"
    per_kg: Amount | None = None
    min_per_kg: Amount | None = None
    max_per_kg: Amount | None = None
    bands: list[DoseBand] = Field(default_factory=list)
    max_dose: Amount | None = None
    schedule: Schedule = "fixed"
    times_per_day: Annotated[int, Field(ge=1, le=8)] = 1
    min_hours_apart: Annotated[float, Field(gt=0)] | None = None
    days: Amount | None = None
    # A course whose dose changes by day, as fractions of the dose: chloroquine [1, 1, 0.5]
    # (10, 10, 5 mg/kg). Its length is the number of days.
    day_factors: list[Annotated[float, Field(gt=0, le=1)]] | None = None
    ages: AgeRange = Field(default_factory=AgeRange)
    instructions: Text | None = None
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _dose_given(self) -> Regimen:
        if self.day_factors is not None and (self.days is None or len(self.day_factors) != self.days):
            raise ValueError("expected days equal to the number of day_factors")
        if self.route in ("skin", "eye", "ear"):
            if self.per_kg is not None or self.bands:
                raise ValueError("a regimen applied to skin, eye or ear has no per_kg or bands")
            return self
        if (self.per_kg is None) == (not self.bands):
            raise ValueError("expected exactly one of per_kg or bands")
        if self.per_kg is not None:
            lo = self.min_per_kg if self.min_per_kg is not None else self.per_kg * 0.8
            hi = self.max_per_kg if self.max_per_kg is not None else self.per_kg * 1.1
            if not lo <= self.per_kg <= hi:
                raise ValueError("expected min_per_kg <= per_kg <= max_per_kg")
        return self

    @property
    def applied(self) -> bool:
        """Applied to the skin, eye or ear: no dose to compute."""
        return self.route in ("skin", "eye", "ear")


Safety = Literal["ok", "caution", "avoid"]


class Pregnancy(Strict):
    """Safety by trimester (WHO Model Formulary, BNF appendix). Unknown trimester: the worst."""

    first: Safety = "ok"
    second: Safety = "ok"
    third: Safety = "ok"
    note: Text | None = None


class Contraindications(Strict):
    min_age_months: Annotated[int, Field(ge=0)] | None = None
    pregnancy: Pregnancy = Field(default_factory=Pregnancy)
    breastfeeding: Safety = "ok"
    breastfeeding_note: Text | None = None
    # Condition ids (known illness or the likely one) and finding ids (present now) that
    # forbid the medicine: ibuprofen with peptic_ulcer, aspirin with bleeding.
    conditions: list[Identifier] = Field(default_factory=list)
    findings: list[Identifier] = Field(default_factory=list)
    note: Text | None = None


class Interaction(Strict):
    """With another medicine (its id) or a class (`class:nsaid`) or alcohol (`alcohol`)."""

    with_: Annotated[str, Field(alias="with", pattern=r"^(class:)?[a-z][a-z0-9_]*$")]
    severity: Literal["avoid", "caution"]
    advice: Text
    references: list[Reference] = Field(default_factory=list)


class Medicine(Strict):
    id: Identifier
    inn: str
    name: Text
    synonyms: Synonyms = Field(default_factory=Synonyms)
    atc: list[str] = Field(default_factory=list)
    # Pharmacological classes for allergy and interaction checks: penicillin, nsaid, ...
    classes: list[Identifier] = Field(default_factory=list)
    # Catalogue substances it is made of, when not just its own id (aspirin:
    # [acetylsalicylic_acid]; cotrimoxazole: [sulfamethoxazole, trimethoprim]).
    substances: list[Identifier] = Field(default_factory=list)
    antibiotic: bool = False
    dose_unit: DoseUnit = "mg"
    # What the dose counts when it is not the whole product ("trimethoprim", "artemether").
    dose_basis: Text | None = None
    forms: list[Form] = Field(min_length=1)
    regimens: list[Regimen] = Field(default_factory=list)
    # Absolute limits whatever the regimen, in dose_unit.
    max_dose: Amount | None = None
    max_daily: Amount | None = None
    max_daily_per_kg: Amount | None = None
    contraindications: Contraindications = Field(default_factory=Contraindications)
    interactions: list[Interaction] = Field(default_factory=list)
    side_effects: TextList
    warnings: TextList | None = None
    storage: Text
    # False for medicines never to be recommended by yakbang (hospital-only, or dangerous
    # market practice: metamizole, opium). `market_warning` is shown whenever it is named.
    recommend: bool = True
    market_warning: Text | None = None
    references: list[Reference] = Field(min_length=1)

    @field_validator("atc")
    @classmethod
    def _atc(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not ATC_PATTERN.match(code):
                raise ValueError(f"expected an ATC code like J01CA04, got {code!r}")
        return codes

    @model_validator(mode="after")
    def _regimens(self) -> Medicine:
        if self.recommend and not self.regimens:
            raise ValueError("a medicine that may be recommended needs at least one regimen")
        ids = [r.id for r in self.regimens]
        if len(ids) != len(set(ids)):
            raise ValueError("expected unique regimen ids")
        for r in self.regimens:
            if r.per_kg is not None and r.max_dose is None and self.max_dose is None:
                raise ValueError(f"regimen {r.id}: a per_kg dose needs max_dose (regimen or medicine)")
            for cap in (r.max_dose, *(b.dose for b in r.bands)):
                if cap is not None and self.max_dose is not None and cap > self.max_dose:
                    raise ValueError(f"regimen {r.id}: a dose of {cap} is above the medicine's "
                                     f"max_dose {self.max_dose}")
        return self

    @property
    def composition(self) -> frozenset[str]:
        return frozenset(self.substances or [self.id])

    def regimen(self, ident: str) -> Regimen | None:
        return next((r for r in self.regimens if r.id == ident), None)


class Ingredient(Strict):
    """An active ingredient of a product: a catalogue substance, or only a name (herbal parts)."""

    substance: Identifier | None = None
    name: str | None = None  # as the label writes it; required when there is no substance
    amount: Amount | None = None
    unit: Literal["mg", "mcg", "IU", "g", "%", "mL"] = "mg"

    @model_validator(mode="after")
    def _named(self) -> Ingredient:
        if self.substance is None and not self.name:
            raise ValueError("expected a substance id, or a name for an ingredient outside the catalogue")
        return self

    @property
    def label(self) -> str:
        return self.name or (self.substance or "").replace("_", " ")


class Variant(Strict):
    """Another strength sold under the same name: Bactrim DS, Augmentin 625, Бисептол 120.

    `says` holds what a label or a person writes to mean it ("480", "DS", "forte", "400/80");
    `amounts` gives one amount per substance ingredient, in the product's order.
    """

    says: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    amounts: list[Amount] = Field(min_length=1)
    form: FormKind | None = None
    per_ml: Amount | None = None


class Product(Strict):
    """A named thing on a shelf: generic or brand, single or combination."""

    id: Identifier
    name: Text
    # Names in any script as written on packs: 感冒灵, 感冒靈, Ganmaoling, бисептол.
    names: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    form: FormKind
    ingredients: list[Ingredient] = Field(min_length=1)
    # For a liquid, the amounts are in this many mL (5 for "120 mg/5 mL").
    per_ml: Amount | None = None
    variants: list[Variant] = Field(default_factory=list)
    origin: str | None = None
    note: Text | None = None
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        counted = [i for i in self.ingredients if i.substance is not None]
        for v in self.variants:
            if len(v.amounts) != len(counted):
                raise ValueError(f"variant {v.says[0]!r}: expected {len(counted)} amounts, one per "
                                 "substance ingredient in order")
        if self.form.category == "liquid" and self.per_ml is None and any(
                i.amount for i in self.ingredients):
            raise ValueError("a liquid with amounts needs per_ml (amounts in how many mL)")
        return self

    @property
    def substances(self) -> tuple[str, ...]:
        return tuple(i.substance for i in self.ingredients if i.substance is not None)


class Option(Strict):
    medicine: Identifier
    regimen: Identifier
    note: Text | None = None


class Step(Strict):
    """One thing to give (an antibiotic, something for fever, ORS), first choice first."""

    id: Identifier
    purpose: Text
    options: list[Option] = Field(min_length=1)
    # Only when one of these findings is present (fever -> paracetamol).
    when_present: list[Identifier] = Field(default_factory=list)
    ages: AgeRange = Field(default_factory=AgeRange)
    # Also given on the way when the person must go to hospital now.
    pre_referral: bool = False


class TreatmentPlan(Strict):
    id: Identifier  # the condition id
    steps: list[Step] = Field(default_factory=list)
    care: TextList
    # Why no antibiotic is given, where people would expect one (colds, most diarrhoea).
    no_antibiotic: Text | None = None
    refer: Text | None = None
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_steps(self) -> TreatmentPlan:
        ids = [s.id for s in self.steps]
        if len(ids) != len(set(ids)):
            raise ValueError("expected unique step ids")
        return self
