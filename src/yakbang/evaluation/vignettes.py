"""Vignette files: the format `yakbang eval` reads, validated with clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from yakbang.errors import VignetteFileError
from yakbang.types import Age, Patient, Sex, Triage

M = TypeVar("M", bound=BaseModel)


class Expected(BaseModel):
    model_config = ConfigDict(extra="ignore")
    icd10: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    triage: Triage
    diagnosis: str | None = None


class Vignette(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: Annotated[str, Field(min_length=1)]
    age_years: Annotated[float, Field(ge=0, le=120)]
    sex: Literal["female", "male"]
    pregnant: bool = False
    language: Literal["en", "ko"] = "en"
    complaint: str = ""
    present: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    history: list[str] = Field(default_factory=list)
    expected: Expected

    def patient(self) -> Patient:
        return Patient(Age.from_years(self.age_years), Sex(self.sex), self.pregnant)


def read_items(path: Path, model: type[M], what: str) -> list[M]:
    """A JSON file holding a non-empty list, each item validated, with errors that name the
    file, the item and the field; ids must be unique."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VignetteFileError(f"{what} file {path} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VignetteFileError(f"{path}: not valid JSON ({exc}); expected a JSON list") from None
    if not isinstance(raw, list) or not raw:
        raise VignetteFileError(f"{path}: expected a non-empty JSON list of {what}s")
    out: list[M] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        try:
            one = model.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            raise VignetteFileError(f"{path}: {what} {i + 1}: {where}: {err['msg']}") from None
        ident = str(getattr(one, "id", i))
        if ident in seen:
            raise VignetteFileError(f"{path}: {what} {i + 1}: id {ident!r} is used twice")
        seen.add(ident)
        out.append(one)
    return out


def load_vignettes(path: Path) -> list[Vignette]:
    out = read_items(path, Vignette, "vignette")
    for v in out:
        if v.pregnant and v.sex == "male":
            raise VignetteFileError(f"{path}: vignette {v.id}: a male cannot be pregnant")
    return out
