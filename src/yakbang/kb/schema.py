"""The knowledge base schema: what a finding, a condition and a danger rule must hold.

Every entry is validated on load; see `loader.py`. Clinical numbers carry their source in
`references` (and `likelihood_source` for how P(finding | condition) was set).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yakbang.types import ICD10, AgeBand, Lang, Patient, Sex, Urgency

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
Identifier = Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
Probability = Annotated[float, Field(gt=0.0, lt=1.0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text a person reads, in English and Korean."""

    en: Annotated[str, Field(min_length=1)]
    ko: Annotated[str, Field(min_length=1)]

    def get(self, lang: Lang) -> str:
        return self.ko if lang is Lang.KO else self.en


class TextList(Strict):
    """Several texts (steps, warnings), in English and Korean, the same number in each."""

    en: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    ko: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)

    @model_validator(mode="after")
    def _same_length(self) -> TextList:
        if len(self.en) != len(self.ko):
            raise ValueError(
                f"expected as many Korean items as English ones (en has {len(self.en)}, "
                f"ko has {len(self.ko)})"
            )
        return self

    def get(self, lang: Lang) -> list[str]:
        return self.ko if lang is Lang.KO else self.en


class Synonyms(Strict):
    """Words people use for a finding or condition. Korean entries may be stems (토하)."""

    en: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=list)
    ko: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)

    def get(self, lang: Lang) -> list[str]:
        return self.ko if lang is Lang.KO else self.en


class Reference(Strict):
    source: Annotated[str, Field(min_length=3)]
    section: str | None = None
    note: str | None = None


class FindingKind(StrEnum):
    SYMPTOM = "symptom"
    SIGN = "sign"
    HISTORY = "history"
    EXPOSURE = "exposure"
    RISK_FACTOR = "risk_factor"


class AgeRange(Strict):
    """Inclusive range of ages in months; None means open-ended."""

    min_months: Annotated[int, Field(ge=0)] = 0
    max_months: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.max_months is not None and self.max_months < self.min_months:
            raise ValueError("expected max_months >= min_months")
        return self

    def contains(self, months: int) -> bool:
        return months >= self.min_months and (self.max_months is None or months <= self.max_months)


class Measure(Strict):
    """How a finding follows from a number the person said: a temperature reading, or how
    long another finding has lasted. "Fever for 3 days" makes `fever_7_days` absent;
    "39.5" makes `high_fever` present. A finding said outright in words keeps its polarity."""

    # The temperature (degrees Celsius) at or above which the finding is present.
    celsius_at_least: Annotated[float, Field(ge=30, le=45)] | None = None
    # How many days `of` must have lasted, or how many times it must have happened, for the
    # finding to be present ("diarrhoea ten times" is very frequent stools).
    of: Identifier | None = None
    days_at_least: Annotated[float, Field(gt=0)] | None = None
    times_at_least: Annotated[float, Field(gt=0)] | None = None
    # Weeks of pregnancy said ("38 weeks pregnant", "임신 9개월") at which it is present.
    pregnancy_weeks_at_least: Annotated[float, Field(gt=0, le=45)] | None = None
    # A blood pressure reading ("190/120", "혈압이 190에 110") with either number at or above.
    systolic_at_least: Annotated[float, Field(ge=60, le=300)] | None = None
    diastolic_at_least: Annotated[float, Field(ge=30, le=200)] | None = None
    # How `of` was said to begin or how bad it is ("suddenly confused": confusion_sudden;
    # "terrible headache that came on suddenly": severe_sudden_headache). Both must hold.
    onset: Literal["sudden", "gradual"] | None = None
    severity: Literal["mild", "moderate", "severe"] | None = None
    references: list[Reference] = Field(min_length=1)

    @property
    def by_blood_pressure(self) -> bool:
        return self.systolic_at_least is not None or self.diastolic_at_least is not None

    @model_validator(mode="after")
    def _one_kind(self) -> Measure:
        bp = self.systolic_at_least if self.systolic_at_least is not None else self.diastolic_at_least
        said = self.onset if self.onset is not None else self.severity
        kinds = [self.celsius_at_least, self.days_at_least, self.times_at_least,
                 self.pregnancy_weeks_at_least, bp, said]
        needs_of = self.days_at_least is not None or self.times_at_least is not None or said is not None
        if sum(k is not None for k in kinds) != 1 or needs_of != (self.of is not None):
            raise ValueError("expected celsius_at_least, pregnancy_weeks_at_least or the "
                             "systolic/diastolic pair alone, or of with days_at_least, "
                             "times_at_least or onset/severity")
        return self


class ContextWords(Strict):
    """Plain words that name this finding only next to another ("diarrhoea, no blood":
    blood means blood in the stool; "pus from the ear, it doesn't hurt": ear pain)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    with_: Identifier = Field(alias="with")
    en: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=list)
    ko: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)

    def get(self, lang: Lang) -> list[str]:
        return self.ko if lang is Lang.KO else self.en


class Finding(Strict):
    id: Identifier
    name: Text
    question: Text
    synonyms: Synonyms = Field(default_factory=Synonyms)
    # Phrases that say the finding is absent without a negation ("feeds well": not unable
    # to drink; "temperature normal": no fever). Negated, they say it is present.
    absent_when_said: Synonyms = Field(default_factory=Synonyms)
    context: list[ContextWords] = Field(default_factory=list)
    kind: FindingKind
    ages: AgeRange = Field(default_factory=AgeRange)
    sexes: list[Sex] = Field(default_factory=lambda: [Sex.FEMALE, Sex.MALE], min_length=1)
    pregnancy_only: bool = False
    # Not asked of a woman known to be pregnant (a missed period says nothing new then).
    not_in_pregnancy: bool = False
    danger: bool = False
    parent: Identifier | None = None
    # P(finding) in a patient whose illness is not one that lists it: the leak term.
    base_rate: Probability
    measure: Measure | None = None
    references: list[Reference] = Field(default_factory=list)

    def applies_to(self, patient: Patient) -> bool:
        """Whether this finding can be asked of, and counted for, this patient."""
        return (
            self.ages.contains(patient.age.months)
            and patient.sex in self.sexes
            and (patient.pregnant or not self.pregnancy_only)
            and not (patient.pregnant and self.not_in_pregnancy)
        )

    @model_validator(mode="after")
    def _danger_has_source(self) -> Finding:
        if self.danger and not self.references:
            raise ValueError("a danger sign needs at least one reference (WHO IMCI, ETAT, ...)")
        if self.parent == self.id:
            raise ValueError("a finding cannot be its own parent")
        return self


class PregnancyScope(StrEnum):
    ANY = "any"
    REQUIRED = "required"  # only in pregnancy (or just after birth)
    EXCLUDED = "excluded"


class Condition(Strict):
    id: Identifier
    name: Text
    synonyms: Synonyms = Field(default_factory=Synonyms)
    icd10: list[str] = Field(min_length=1)
    urgency: Urgency
    # Expected cases per 1,000 primary-care consultations in each age band (0 = does not
    # occur in that band). Relative figures; see docs/knowledge-base.md for the anchors.
    prior: dict[AgeBand, Annotated[float, Field(ge=0.0)]]
    sexes: list[Sex] = Field(default_factory=lambda: [Sex.FEMALE, Sex.MALE], min_length=1)
    pregnancy: PregnancyScope = PregnancyScope.ANY
    findings: dict[Identifier, Probability] = Field(min_length=2)
    explanation: Text
    home_care: TextList
    go_now_if: TextList
    references: list[Reference] = Field(min_length=1)
    likelihood_source: Annotated[str, Field(min_length=3)]

    @field_validator("icd10")
    @classmethod
    def _codes(cls, codes: list[str]) -> list[str]:
        for code in codes:
            ICD10(code)  # raises ValueError with the expected shape
        return codes

    @field_validator("prior")
    @classmethod
    def _all_bands(cls, prior: dict[AgeBand, float]) -> dict[AgeBand, float]:
        missing = [b.value for b in AgeBand if b not in prior]
        if missing:
            raise ValueError(f"expected a prior for every age band; missing {', '.join(missing)}")
        if not any(v > 0 for v in prior.values()):
            raise ValueError("expected a prior above 0 in at least one age band")
        return prior

    @property
    def codes(self) -> list[ICD10]:
        return [ICD10(c) for c in self.icd10]


class DangerRule(Strict):
    """A rule that sets the urgency whatever the probabilities say (IMCI, ETAT)."""

    id: Identifier
    description: Text
    urgency: Urgency
    all_of: list[Identifier] = Field(default_factory=list)
    any_of: list[Identifier] = Field(default_factory=list)
    at_least: Annotated[int, Field(ge=1)] = 1  # how many of any_of must be present
    ages: AgeRange = Field(default_factory=AgeRange)
    pregnant: bool | None = None  # None: whether pregnant or not
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _has_findings(self) -> DangerRule:
        if not self.all_of and not self.any_of:
            raise ValueError("expected all_of or any_of to list at least one finding")
        if self.urgency is Urgency.SELF_CARE:
            raise ValueError("a danger rule must raise urgency: emergency, urgent or routine")
        if self.any_of and self.at_least > len(self.any_of):
            raise ValueError(f"expected at_least <= {len(self.any_of)} (the length of any_of)")
        return self


class Screening(Strict):
    """Danger-sign questions always asked first for an age group (IMCI general danger signs)."""

    id: Identifier
    ages: AgeRange
    findings: list[Identifier] = Field(min_length=1)
    references: list[Reference] = Field(min_length=1)


class AgeGroup(StrEnum):
    NEWBORN = "newborn"
    BABY = "baby"
    CHILD = "child"
    ADULT = "adult"
    ELDER = "elder"


class PersonWord(Strict):
    """Words for who is ill ("son", "할머니"), with the sex and age group they say."""

    words: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    sex: Sex | None = None
    group: AgeGroup | None = None
    # A pronoun ("he", "her"): used only when no other word says who is ill.
    weak: bool = False


class Lexicon(Strict):
    """Words the free-text reader needs for one language: negation cues, clause breaks, fillers."""

    lang: Lang
    negation_before: list[str] = Field(default_factory=list)
    negation_after: list[str] = Field(default_factory=list)
    # Phrases that look like negation but say the finding goes on ("doesn't stop").
    pseudo_negation: list[str] = Field(default_factory=list)
    clause_breaks: list[str] = Field(default_factory=list)
    # Connective endings that close a clause inside a word (아픈데: 아프 + ᆫ데), as the
    # Korean analyser writes them.
    clause_endings: list[str] = Field(default_factory=list)
    # Cues whose negation runs over a list ("denies cough, fever, night sweats"); a plain
    # "no cough, fever" is not read as no fever.
    list_negation: list[str] = Field(default_factory=list)
    # Predicates a negation after them belongs to ("아프지는 않아요"), not the finding before.
    own_predicates: list[str] = Field(default_factory=list)
    # "기침이나 콧물은 없어요": a finding joined to the next by one of these shares its negation.
    coordinators: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    # Particles that may follow a one-syllable Korean word ("열이", "배가"): such words are
    # matched as whole words only, never inside others ("열흘").
    particles: list[str] = Field(default_factory=list)
    # Words that keep a multi-word synonym exact (negations: "not drinking at all").
    exact_only: list[str] = Field(default_factory=list)
    # 다, 모두: before a negation they take in everything said in the clause.
    all_words: list[str] = Field(default_factory=list)
    # Dependent nouns (것, 때) that never carry a negation of their own.
    dependent_nouns: list[str] = Field(default_factory=list)
    # Words typed without their apostrophe, read as meant ("cant": "can't").
    respell: dict[str, str] = Field(default_factory=dict)
    # Words a loose multi-word match may skip in a synonym ("pain in the side" ~ "side pain").
    function_words: list[str] = Field(default_factory=list)
    # Numbers said as words ("three", "세", "다섯"); `numbers_glued` only count when a unit
    # follows with no space (Sino-Korean "삼일", "이주"), since alone they are other words.
    numbers: dict[str, float] = Field(default_factory=dict)
    numbers_glued: dict[str, float] = Field(default_factory=dict)
    # Units of time in days ("week": 7, "시간": 1/24) and words that are a number of days
    # by themselves ("fortnight", "사흘").
    time_units: dict[str, float] = Field(default_factory=dict)
    day_words: dict[str, float] = Field(default_factory=dict)
    # Words for a day in the past, as days ago ("yesterday": 1, "그제": 2), and weekdays
    # (Monday = 0) for "since Monday" counted from today.
    days_ago: dict[str, float] = Field(default_factory=dict)
    weekdays: dict[str, Annotated[int, Field(ge=0, le=6)]] = Field(default_factory=dict)
    # "since", "부터": a date after it starts a duration; "ago", "전": a duration before it.
    since: list[str] = Field(default_factory=list)
    # "every 10 minutes", "10분마다": a time that repeats, not how long it has lasted.
    every_before: list[str] = Field(default_factory=list)
    every_after: list[str] = Field(default_factory=list)
    ago: list[str] = Field(default_factory=list)
    # Count words ("times": 1 per number, "twice": 2) and what makes a count per day.
    times: dict[str, float] = Field(default_factory=dict)
    counters: list[str] = Field(default_factory=list)
    # Counting words for things ("열 명", "두 개", "세 알"): a number before one is an amount,
    # never a finding ("열" is also fever).
    classifiers: list[str] = Field(default_factory=list)
    per_day: list[str] = Field(default_factory=list)
    # Temperature units; `fahrenheit` lists the ones in degrees Fahrenheit. A bare whole
    # number counts as a temperature only right after one of `temperature_cues`.
    temperature_units: list[str] = Field(default_factory=list)
    fahrenheit: list[str] = Field(default_factory=list)
    temperature_cues: list[str] = Field(default_factory=list)
    # A reading like "190/120" is a blood pressure; "190 over 120" or "190에 110" only after
    # one of these.
    blood_pressure_cues: list[str] = Field(default_factory=list)
    # Qualifiers said next to a finding: how it began, how bad, where.
    onset: dict[str, list[str]] = Field(default_factory=dict)
    severity: dict[str, list[str]] = Field(default_factory=dict)
    body_parts: dict[Identifier, list[str]] = Field(default_factory=dict)
    # Who is ill: words for people, and units of age ("year-old": 12 months, "살": 12).
    persons: list[PersonWord] = Field(default_factory=list)
    age_units: dict[str, float] = Field(default_factory=dict)
    # Words that are an age by themselves, in months ("돌쟁이": 12), and words after which a
    # number or a time is an age ("aged 45", "생후 보름").
    age_words: dict[str, float] = Field(default_factory=dict)
    age_before: list[str] = Field(default_factory=list)
    # Words that say the person is pregnant ("pregnant", "임신"); a duration next to one is
    # how far along ("임신 7개월", "38 weeks pregnant"), not how long an illness lasted.
    pregnancy: list[str] = Field(default_factory=list)

    @field_validator("onset", "severity")
    @classmethod
    def _known_keys(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        allowed = {"sudden", "gradual", "mild", "moderate", "severe"}
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(f"unknown qualifier {', '.join(unknown)}; expected one of "
                             f"{', '.join(sorted(allowed))}")
        return value


_SPACES = re.compile(r"\s+")


def normalise_phrase(text: str) -> str:
    """Lower case, single spaces: how synonyms are compared."""
    return _SPACES.sub(" ", text.strip().lower())
