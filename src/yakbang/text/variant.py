"""Another way of writing a description, with each character traced back to the original."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """The description rewritten (Korean words as stems, English typos corrected), so that
    the same synonyms match it; matches are reported in the original's characters."""

    text: str
    origin: tuple[int, ...]  # for each character of `text`, its index in the original
    # Original character ranges that were corrected guesses (typos), not just re-spelt.
    guessed: tuple[tuple[int, int], ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original characters behind text[start:end]."""
        return self.origin[start], self.origin[end - 1] + 1

    def is_guess(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.guessed)
