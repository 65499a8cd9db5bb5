"""Options several commands share, defined once so every command spells them the same."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from yakbang.errors import UserError

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", help="Language of questions and advice: ko or en "
                 "(default: ko when the text is Korean, else en)."),
]
AgeYearsOption = Annotated[
    float | None, typer.Option("--age", help="Age in years; fractions allowed (0.5 = six months).")
]
AgeMonthsOption = Annotated[int | None, typer.Option("--age-months", help="Age in months.")]
SexOption = Annotated[str | None, typer.Option("--sex", help="female or male.")]
PregnantOption = Annotated[bool, typer.Option("--pregnant", help="The patient is pregnant.")]


def parse_today(value: str | None) -> date:
    """A --today option: the date given, or today."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"--today {value!r} is not a date like 2026-11-29") from None
