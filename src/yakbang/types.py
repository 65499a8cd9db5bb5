"""Validated value types shared by the core: sex, age, urgency, codes, languages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from yakbang.errors import InvalidPatient, UnsupportedLanguage


class Lang(StrEnum):
    EN = "en"
    KO = "ko"

    @classmethod
    def parse(cls, value: str) -> Lang:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise UnsupportedLanguage(
                f"language {value!r} is not supported; use 'ko' or 'en'"
            ) from None


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"

    @classmethod
    def parse(cls, value: str) -> Sex:
        v = value.strip().lower()
        aliases = {"f": "female", "m": "male", "여": "female", "남": "male",
                   "woman": "female", "man": "male", "girl": "female", "boy": "male"}
        v = aliases.get(v, v)
        try:
            return cls(v)
        except ValueError:
            raise InvalidPatient(f"sex {value!r} is not understood; use 'female' or 'male'") from None


class AgeBand(StrEnum):
    """Age bands used for priors, as IMCI and WHO split care."""

    UNDER_2M = "under_2m"
    M2_59 = "m2_59"
    Y5_14 = "y5_14"
    Y15_64 = "y15_64"
    Y65_PLUS = "y65_plus"


class Urgency(StrEnum):
    """Internal urgency levels, most urgent first."""

    EMERGENCY = "emergency"
    URGENT = "urgent"  # see a health worker today
    ROUTINE = "routine"  # see a health worker within days
    SELF_CARE = "self_care"

    @property
    def rank(self) -> int:
        """0 for self-care up to 3 for emergency."""
        return _URGENCY_RANK[self]

    @property
    def triage(self) -> Triage:
        """The three-level output used by evaluation and simple displays."""
        if self is Urgency.EMERGENCY:
            return Triage.EMERGENCY
        if self is Urgency.SELF_CARE:
            return Triage.SELF_CARE
        return Triage.NON_EMERGENCY


_URGENCY_RANK = {
    Urgency.SELF_CARE: 0,
    Urgency.ROUTINE: 1,
    Urgency.URGENT: 2,
    Urgency.EMERGENCY: 3,
}


class Triage(StrEnum):
    EMERGENCY = "emergency"
    NON_EMERGENCY = "non_emergency"
    SELF_CARE = "self_care"

    @property
    def rank(self) -> int:
        return {Triage.SELF_CARE: 0, Triage.NON_EMERGENCY: 1, Triage.EMERGENCY: 2}[self]


MAX_AGE_MONTHS = 120 * 12


@dataclass(frozen=True, order=True)
class Age:
    """An age in whole months (newborns are 0). Never a bare float across modules."""

    months: int

    def __post_init__(self) -> None:
        if self.months < 0:
            raise InvalidPatient(f"age {self.months} months is negative; give an age of 0 or more")
        if self.months > MAX_AGE_MONTHS:
            raise InvalidPatient(
                f"age {self.months / 12:g} years is over 120; give the age in years (e.g. 45)"
            )

    @classmethod
    def from_years(cls, years: float) -> Age:
        if years != years or years < 0:  # NaN or negative
            raise InvalidPatient(f"age {years} years is impossible; give an age of 0 or more")
        if years > 120:
            raise InvalidPatient(f"age {years:g} years is over 120; give a real age in years")
        return cls(round(years * 12) if years < 1 else int(years * 12))

    @property
    def years(self) -> float:
        return self.months / 12

    @property
    def band(self) -> AgeBand:
        if self.months < 2:
            return AgeBand.UNDER_2M
        if self.months < 60:
            return AgeBand.M2_59
        if self.months < 180:
            return AgeBand.Y5_14
        if self.months < 65 * 12:
            return AgeBand.Y15_64
        return AgeBand.Y65_PLUS


_ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")


@dataclass(frozen=True)
class ICD10:
    """An ICD-10 code such as J18.9 (WHO ICD-10)."""

    code: str

    def __post_init__(self) -> None:
        if not _ICD10.match(self.code):
            raise ValueError(f"{self.code!r} is not an ICD-10 code (expected like 'J18' or 'J18.9')")

    @property
    def compact(self) -> str:
        return self.code.replace(".", "")

    def matches(self, other: str) -> bool:
        """Equal, or one a prefix of the other, dots ignored ("J02" matches "J02.0")."""
        a, b = self.compact, other.replace(".", "").strip().upper()
        return bool(b) and (a.startswith(b) or b.startswith(a))

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Patient:
    """Who is ill. Validated: a male cannot be pregnant, nor a young child."""

    age: Age
    sex: Sex
    pregnant: bool = False

    def __post_init__(self) -> None:
        if self.pregnant and self.sex is Sex.MALE:
            raise InvalidPatient("a male patient cannot be pregnant; drop --pregnant or use --sex female")
        if self.pregnant and not (10 * 12 <= self.age.months <= 60 * 12):
            raise InvalidPatient(
                f"pregnancy at age {self.age.years:g} years is not plausible; check --age and --pregnant"
            )
