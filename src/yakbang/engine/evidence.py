"""What is known about the patient's findings: yes, no, or don't know.

Parent and child findings imply each other: a child present (blood in stool) means its
parent is present (diarrhoea); a parent absent makes its children irrelevant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from yakbang.errors import ContradictoryAnswers, UnknownFinding
from yakbang.kb.loader import KnowledgeBase


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Evidence:
    """Answers by finding id. Build with `Evidence.build` to validate and close over parents."""

    answers: Mapping[str, Answer] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        kb: KnowledgeBase,
        present: Iterable[str] = (),
        absent: Iterable[str] = (),
        unknown: Iterable[str] = (),
    ) -> Evidence:
        answers: dict[str, Answer] = {}
        for ids, answer in ((present, Answer.YES), (absent, Answer.NO), (unknown, Answer.UNKNOWN)):
            for fid in ids:
                if fid not in kb.findings:
                    raise UnknownFinding(
                        f"finding {fid!r} is not in the knowledge base; "
                        "see `yakbang kb stats` or `yakbang kb show ID` for known ids"
                    )
                previous = answers.get(fid)
                if previous is not None and previous is not answer:
                    raise ContradictoryAnswers(
                        f"finding {fid!r} is given as both {previous.value} and {answer.value}; "
                        "give it once"
                    )
                answers[fid] = answer
        return cls(answers).closed(kb)

    def closed(self, kb: KnowledgeBase) -> Evidence:
        """Add parents implied by present children; refuse a child present under an absent parent."""
        answers = dict(self.answers)
        for fid, answer in self.answers.items():
            if answer is not Answer.YES:
                continue
            node = kb.findings[fid]
            while node.parent is not None:
                parent_answer = answers.get(node.parent)
                if parent_answer is Answer.NO:
                    raise ContradictoryAnswers(
                        f"finding {node.id!r} is present but its parent {node.parent!r} is absent; "
                        f"correct one of them"
                    )
                answers[node.parent] = Answer.YES
                node = kb.findings[node.parent]
        return Evidence(answers)

    def with_answer(self, kb: KnowledgeBase, finding_id: str, answer: Answer) -> Evidence:
        if finding_id not in kb.findings:
            raise UnknownFinding(f"finding {finding_id!r} is not in the knowledge base")
        answers = dict(self.answers)
        answers[finding_id] = answer
        return Evidence(answers).closed(kb)

    def get(self, finding_id: str) -> Answer | None:
        return self.answers.get(finding_id)

    @property
    def present(self) -> list[str]:
        return [f for f, a in self.answers.items() if a is Answer.YES]

    @property
    def absent(self) -> list[str]:
        return [f for f, a in self.answers.items() if a is Answer.NO]

    def asked(self) -> set[str]:
        return set(self.answers)
