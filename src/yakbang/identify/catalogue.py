"""The name catalogue as an index: every name of every substance, product and not-medicine.

Names are folded (NFKC, lower case, no spaces or punctuation) so that "No-Spa", "Но-шпа",
"Ноу шпа" and "黄 连 素" meet their entries. Exact look-ups are dictionary hits; near misses
(typos, truncated names) go through per-script buckets so that a catalogue padded to 50,000
names still answers in a few milliseconds.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from yakbang.kb.loader import KnowledgeBase

TargetKind = Literal["substance", "product", "not_medicine"]
Script = Literal["latin", "cyrillic", "hangul", "kana", "han", "other"]

_DROP = re.compile(r"[\s\-_.,·'’‘\"“”()\[\]/:;!?+*&#%\u3000、，。・「」『』【】（）]+")


_TRAILING_STRENGTH = re.compile(r"[\s\-]*\d+(?:[.,]\d+)?\s*(?:mg|мг|g|г|mcg|ml|мл|밀리그램)?\s*$")


def normalise(text: str) -> str:
    """NFKC (full-width letters, half-width katakana), lower case, ё as е."""
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")


def fold(text: str) -> str:
    """The key a name is looked up by: normalised, without spaces and punctuation."""
    return _DROP.sub("", normalise(text))


def script_of(ch: str) -> Script:
    o = ord(ch)
    if ch.isascii():
        return "latin" if ch.isalpha() else "other"
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if 0x3040 <= o <= 0x30FF:
        return "kana"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return "han"
    if ch.isalpha():  # accented Latin (compresse, comprimés)
        return "latin"
    return "other"


def main_script(key: str) -> Script:
    counts: dict[Script, int] = defaultdict(int)
    for ch in key:
        counts[script_of(ch)] += 1
    counts.pop("other", None)
    return max(counts, key=lambda s: counts[s]) if counts else "other"


def spaced(script: Script) -> bool:
    """Scripts whose words are separated by spaces (a name must start and end on a boundary)."""
    return script in ("latin", "cyrillic")


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    id: str
    lang: str  # the language the name was listed under ("brand" for product names)
    name: str  # the name as listed


@dataclass
class NameIndex:
    exact: dict[str, list[Target]] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)  # distinct key lengths, longest first
    # For near misses: script -> key length -> keys; and sorted keys for prefix look-ups.
    buckets: dict[Script, dict[int, list[str]]] = field(default_factory=dict)
    sorted_keys: list[str] = field(default_factory=list)
    # First words of names of several words ("настойка" of "настойка опия"): a whole word,
    # not a name cut short, so never completed to the longer name.
    heads: set[str] = field(default_factory=set)

    def add(self, name: str, target: Target) -> None:
        key = fold(name)
        if len(key) < 2 or (len(key) < 3 and spaced(main_script(key))) or key.isdigit():
            return  # one letter, or a bare number, names nothing safely
        words = normalise(name).split()
        if len(words) > 1 and spaced(main_script(key)):
            self.heads.add(fold(words[0]))
        hits = self.exact.setdefault(key, [])
        if all((t.kind, t.id) != (target.kind, target.id) for t in hits):
            hits.append(target)

    def freeze(self) -> NameIndex:
        self.lengths = sorted({len(k) for k in self.exact}, reverse=True)
        buckets: dict[Script, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for key in self.exact:
            buckets[main_script(key)][len(key)].append(key)
        self.buckets = {s: dict(b) for s, b in buckets.items()}
        self.sorted_keys = sorted(self.exact)
        return self

    def near(self, segment: str, script: Script) -> list[tuple[str, float, str]]:
        """Keys close to a segment that is not a name: (key, score 0-1, how)."""
        n = len(segment)
        out: list[tuple[str, float, str]] = []
        by_len = self.buckets.get(script, {})
        if script == "hangul" and n >= 3:
            # Korean spellings differ by a letter inside a syllable (떼뜨라찌클린, 테트라찌클린):
            # compare the letters (jamo), not the syllables.
            jamo = unicodedata.normalize("NFD", segment)
            allowed = max(1, len(jamo) // 7)
            for length in (n - 1, n, n + 1):
                for key in by_len.get(length, ()):
                    kj = unicodedata.normalize("NFD", key)
                    d = Levenshtein.distance(jamo, kj, score_cutoff=allowed)
                    if d <= allowed:
                        out.append((key, min(0.68, 1.0 - d / len(kj)), "typo"))
        elif script in ("han", "kana"):
            # Short words: one wrong character in three or more (甲消唑, アセトアミノフェソ).
            if n >= 3:
                for length in (n - 1, n, n + 1):
                    for key in by_len.get(length, ()):
                        d = Levenshtein.distance(segment, key, score_cutoff=1)
                        if d <= 1:  # a guess: at most "possible"
                            out.append((key, min(0.65, 1.0 - 1.0 / max(n, length) - 0.1), "typo"))
        elif n >= 5:
            cands = [k for length in range(max(3, n - 2), n + 3) for k in by_len.get(length, ())]
            # Close by ratio first, then at most one edit (two in a long word): Flagil, Asprin.
            allowed = 1 if n < 10 else 2
            for key, score, _ in process.extract(segment, cands, scorer=fuzz.ratio,
                                                 score_cutoff=72.0, limit=8):
                d = Levenshtein.distance(segment, key)
                if d <= allowed:
                    # One letter wrong in a long word is very likely that word; short words and
                    # two letters wrong stay guesses.
                    cap = 0.8 if n >= 8 and d == 1 else 0.68
                    out.append((key, min(cap, score / 100.0 - 0.05), "typo"))
        # A truncated name (левомиц, アモキシ, 阿莫西, amoxi): a prefix of known names.
        min_prefix = 3 if script in ("han", "kana", "hangul") else 5
        if script == "han":
            min_prefix = 2
        if n >= min_prefix and segment not in self.heads:
            i = bisect.bisect_left(self.sorted_keys, segment)
            completions: list[str] = []
            while i < len(self.sorted_keys) and self.sorted_keys[i].startswith(segment):
                completions.append(self.sorted_keys[i])
                i += 1
                if len(completions) > 40:
                    break
            for key in completions:
                if key != segment and len(segment) / len(key) >= 0.5:
                    out.append((key, min(0.65, 0.45 + 0.3 * len(segment) / len(key)), "prefix"))
        best: dict[str, tuple[str, float, str]] = {}
        for key, score, how in out:
            if key not in best or score > best[key][1]:
                best[key] = (key, score, how)
        return sorted(best.values(), key=lambda x: -x[1])


def build_index(kb: KnowledgeBase) -> NameIndex:
    index = NameIndex()
    for s in kb.substances.values():
        for lang, name in s.names.all():
            index.add(name, Target("substance", s.id, lang, name))
        index.add(s.inn, Target("substance", s.id, "en", s.inn))
    strip = _name_stripper(kb)
    for p in kb.products.values():
        for name in p.names:
            index.add(name, Target("product", p.id, "brand", name))
            # "Бисептол 480", "부루펜정", "Zinc 20 mg dispersible": the bare name names it too.
            bare = strip(name)
            generic = any(t.kind == "substance" for t in index.exact.get(bare, ()))
            long_enough = len(bare) >= 3 or (len(bare) >= 2 and not spaced(main_script(bare)))
            if bare != fold(name) and long_enough and not generic:  # 布洛芬 stays ibuprofen
                index.add(bare, Target("product", p.id, "brand", bare))
        index.add(p.name.en, Target("product", p.id, "en", p.name.en))
        index.add(p.name.ko, Target("product", p.id, "ko", p.name.ko))
    for n in kb.not_medicines.values():
        for name in n.names:
            index.add(name, Target("not_medicine", n.id, "brand", name))
    return index.freeze()


def _name_stripper(kb: KnowledgeBase) -> Callable[[str], str]:
    """Fold a listed name without its strength, pack size and trailing form words."""
    from yakbang.identify.query import read_query

    words = kb.medicine_words
    if words is None:
        return fold
    tails_set = ({fold(w) for ws in words.forms.values() for w in ws}
                 | {fold(w) for w in [*words.modifiers, *words.salts]}) - {""}
    # Suffixes glued to a Chinese, Japanese or Korean name (부루펜정, 阿莫西林胶囊), by length.
    glued = {t for t in tails_set if not spaced(main_script(t))}
    lengths = sorted({len(t) for t in glued}, reverse=True)

    def strip(name: str) -> str:
        text = read_query(words, name).text if any(ch.isdigit() for ch in name) else normalise(name)
        tokens = text.split()
        # Whole trailing words first ("Zinc dispersible", "Brufen tablets").
        while len(tokens) > 1 and fold(tokens[-1]) in tails_set:
            tokens.pop()
        key = fold(" ".join(tokens))
        changed = True
        while changed:
            changed = False
            for n in lengths:
                rest = key[:-n]
                if len(rest) >= 2 and key[-n:] in glued and not spaced(main_script(rest)):
                    key = rest
                    changed = True
                    break
        return key

    return strip


@cache
def name_catalogue(kb: KnowledgeBase) -> NameIndex:
    return build_index(kb)
