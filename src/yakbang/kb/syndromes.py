"""Syndromes for outbreak watch, with WHO EWARN-style case definitions.

A consultation counts for a syndrome when its leading condition is one of the syndrome's
conditions, or when its findings meet the case definition (all of `all_of`, and at least
`at_least` of `any_of`). `single_case_alert` marks syndromes where one case is an alert
(suspected cholera, acute flaccid paralysis, ...); `weekly_alert_cases` is a fixed EWARN alert
threshold: that many cases in one place within 7 days (bloody diarrhoea, acute jaundice).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from yakbang.kb.schema import AgeRange, Identifier, Reference, Strict, Text


class CaseDefinition(Strict):
    all_of: list[Identifier] = Field(default_factory=list)
    any_of: list[Identifier] = Field(default_factory=list)
    at_least: Annotated[int, Field(ge=0)] = 1

    @model_validator(mode="after")
    def _something(self) -> CaseDefinition:
        if not self.all_of and not self.any_of:
            raise ValueError("a case definition needs all_of or any_of findings")
        if self.any_of and self.at_least > len(self.any_of):
            raise ValueError("at_least is more than the any_of findings")
        return self


class Syndrome(Strict):
    id: Identifier
    name: Text
    case_definition: Text  # the EWARN wording, for people
    conditions: list[Identifier] = Field(default_factory=list)
    findings: list[CaseDefinition] = Field(default_factory=list)  # any one of these
    ages: AgeRange = Field(default_factory=AgeRange)
    single_case_alert: bool = False
    weekly_alert_cases: Annotated[int, Field(ge=2)] | None = None
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _mapped(self) -> Syndrome:
        if not self.conditions and not self.findings:
            raise ValueError("a syndrome needs conditions or finding rules to count consultations")
        if self.single_case_alert and self.weekly_alert_cases is not None:
            raise ValueError("a single-case alert syndrome needs no weekly threshold")
        return self
