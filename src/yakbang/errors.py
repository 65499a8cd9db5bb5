"""One exception hierarchy for yakbang.

    YakbangError
     ├── UserError            bad input from a person; the CLI prints one line, exits 2
     │    ├── InvalidPatient   impossible age, a pregnant male, ...
     │    ├── UnknownFinding   a finding id the knowledge base does not know
     │    ├── ContradictoryAnswers
     │    ├── UnsupportedLanguage
     │    └── VignetteFileError
     └── KnowledgeBaseError   the knowledge base data is broken (file, key path, expected)

Anything else is a bug and shows its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class YakbangError(Exception):
    """Base of every error yakbang raises on purpose."""


class UserError(YakbangError):
    """Input from a person that cannot be used; say what and how to fix it."""


class InvalidPatient(UserError):
    pass


class UnknownFinding(UserError):
    pass


class ContradictoryAnswers(UserError):
    pass


class UnsupportedLanguage(UserError):
    pass


class VignetteFileError(UserError):
    pass


@dataclass(frozen=True)
class KBProblem:
    """One problem in a knowledge-base file."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class KnowledgeBaseError(YakbangError):
    """The knowledge base failed validation; nothing of it was loaded."""

    def __init__(self, problems: list[KBProblem]) -> None:
        self.problems = problems
        head = f"knowledge base has {len(problems)} problem(s)"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))
