"""The engine: posterior over conditions, triage, interview and explanation. Pure, no I/O."""

from yakbang.engine.assess import Assessment, RankedCondition, assess
from yakbang.engine.evidence import Answer, Evidence
from yakbang.engine.interview import Question, next_question

__all__ = [
    "Answer",
    "Assessment",
    "Evidence",
    "Question",
    "RankedCondition",
    "assess",
    "next_question",
]
