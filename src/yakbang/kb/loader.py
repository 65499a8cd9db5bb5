"""Load the knowledge base from YAML, validate all of it, and refuse it whole if broken.

Problems are collected across every file (schema errors and cross-references) so that
`yakbang kb check` can list them all at once, each with file, key path and expectation.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from yakbang.errors import KBProblem, KnowledgeBaseError
from yakbang.kb.catalogue import MedicineWords, NotMedicine, Pill, Substance
from yakbang.kb.formulary import Medicine, Product, TreatmentPlan
from yakbang.kb.schema import (
    Condition,
    DangerRule,
    Finding,
    Lexicon,
    Screening,
    normalise_phrase,
)
from yakbang.kb.syndromes import Syndrome
from yakbang.types import Lang

DATA_DIR = Path(__file__).parent / "data"

M = TypeVar("M", bound=BaseModel)

# libyaml's safe loader is ten times faster than the pure-Python one; same safety.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, eq=False)  # hashed by identity: compiled models are cached per KB
class KnowledgeBase:
    findings: dict[str, Finding]
    conditions: dict[str, Condition]
    rules: list[DangerRule]
    screening: list[Screening] = field(default_factory=list)
    lexicons: dict[Lang, Lexicon] = field(default_factory=dict)
    medicines: dict[str, Medicine] = field(default_factory=dict)
    treatments: dict[str, TreatmentPlan] = field(default_factory=dict)
    syndromes: dict[str, Syndrome] = field(default_factory=dict)
    # "findings:fever" -> the file it came from. Ids are unique within a kind, so a finding
    # and a condition may share one (head_injury the event, head_injury the diagnosis).
    files: dict[str, str] = field(default_factory=dict)
    # Where the name catalogue (substances, products, not-medicines, pills) is read from, on
    # first use: `advise` without a shelf never needs it, and it is a third of the load time.
    base: Path | None = None

    def synonym_index(self, lang: Lang) -> dict[str, str]:
        """Every normalised name and synonym in a language -> the finding id it names."""
        return _synonym_index(self, lang)

    @cached_property
    def catalogue(self) -> Catalogue:
        """The name catalogue, loaded and checked once; KnowledgeBaseError if it is broken."""
        return _load_catalogue(self)

    @property
    def products(self) -> dict[str, Product]:
        return self.catalogue.products

    @property
    def substances(self) -> dict[str, Substance]:
        return self.catalogue.substances

    @property
    def not_medicines(self) -> dict[str, NotMedicine]:
        return self.catalogue.not_medicines

    @property
    def pills(self) -> dict[str, Pill]:
        return self.catalogue.pills

    @property
    def medicine_words(self) -> MedicineWords | None:
        return self.catalogue.words


@dataclass(frozen=True)
class Catalogue:
    substances: dict[str, Substance] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    not_medicines: dict[str, NotMedicine] = field(default_factory=dict)
    pills: dict[str, Pill] = field(default_factory=dict)
    words: MedicineWords | None = None


def _load_catalogue(kb: KnowledgeBase) -> Catalogue:
    if kb.base is None:
        return Catalogue()
    base = kb.base
    problems: list[KBProblem] = []
    files = kb.files
    substances = _collect(base / "substances", "substances", Substance, problems, files, base)
    products = _collect(base / "products", "products", Product, problems, files, base)
    not_medicines = _collect(base / "not_medicines", "not_medicines", NotMedicine, problems, files, base)
    pills = _collect(base / "pills", "pills", Pill, problems, files, base)
    words: MedicineWords | None = None
    words_path = base / "identify" / "words.yaml"
    if words_path.exists():
        parsed = _parse_entries(words_path, "words", MedicineWords, problems,
                                str(words_path.relative_to(base)), single=True)
        words = parsed[0] if parsed else None
    catalogue = Catalogue({s.id: s for s in substances}, {p.id: p for p in products},
                          {n.id: n for n in not_medicines}, {p.id: p for p in pills}, words)
    if not any(p.message.startswith(("not valid YAML", "expected a mapping")) for p in problems):
        _cross_check_catalogue(kb, catalogue, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    return catalogue


def _synonym_index(kb: KnowledgeBase, lang: Lang) -> dict[str, str]:
    index: dict[str, str] = {}
    for f in kb.findings.values():
        for phrase in [f.name.get(lang), *f.synonyms.get(lang)]:
            index.setdefault(normalise_phrase(phrase), f.id)
    return index


def _key_path(prefix: str, loc: Iterable[int | str]) -> str:
    path = prefix
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _cache_dir() -> Path | None:
    """Where parsed knowledge-base files are kept as JSON (YAKBANG_CACHE=off: nowhere)."""
    setting = os.environ.get("YAKBANG_CACHE")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    import platformdirs

    return Path(platformdirs.user_cache_dir("yakbang", appauthor=False)) / "kb"


def _cached(path: Path) -> tuple[Path | None, Any]:
    """The JSON copy of a YAML file when one matches its path, size and modification time.

    Parsing YAML is most of the start-up time (0.5 s of it for the name catalogue); JSON reads
    twenty times faster. The copy is only data, validated like the YAML it stands for.
    """
    folder = _cache_dir()
    if folder is None:
        return None, None
    stat = path.stat()
    where = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    when = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    copy = folder / f"{where}-{when}.json"
    try:
        with copy.open(encoding="utf-8") as fh:
            return copy, json.load(fh)
    except (OSError, ValueError):
        return copy, None


def _keep(copy: Path | None, data: Any) -> None:
    """Write the JSON copy, only when JSON gives back exactly what YAML read."""
    if copy is None:
        return
    try:
        text = json.dumps(data, ensure_ascii=False)
        if json.loads(text) != data:
            return  # a date or a number used as a key: JSON would change it
        copy.parent.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(copy)
        for stale in copy.parent.glob(f"{copy.name.split('-')[0]}-*.json"):
            if stale != copy:  # an older copy of the same file
                stale.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        return  # no cache (read-only disk, odd values): YAML next time too


def _read_yaml(path: Path, rel: str, problems: list[KBProblem]) -> Any:
    copy, data = _cached(path)
    if data is not None:
        return data
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_SafeLoader)
        _keep(copy, data)
        return data
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problems.append(KBProblem(rel, where, f"not valid YAML: {exc}"))
    except UnicodeDecodeError:
        problems.append(KBProblem(rel, "", "expected UTF-8 text"))
    return None


def _parse_entries(
    path: Path, key: str, model: type[M], problems: list[KBProblem], rel: str,
    single: bool = False,
) -> list[M]:
    raw = _read_yaml(path, rel, problems)
    if raw is None:
        if not any(p.file == rel for p in problems):
            problems.append(KBProblem(rel, "", f"expected a mapping with a '{key}' list; file is empty"))
        return []
    want = dict if single else list
    if not isinstance(raw, dict) or set(raw) != {key} or not isinstance(raw[key], want):
        kind = "mapping" if single else "list"
        problems.append(KBProblem(rel, "", f"expected a mapping with only a '{key}' {kind}"))
        return []
    entries: list[M] = []
    for i, item in enumerate([raw[key]] if single else raw[key]):
        ident = item.get("id") if isinstance(item, dict) else None
        prefix = f"{key}[{i}]" + (f" (id={ident})" if ident else "")
        try:
            entries.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                expected = err["msg"].removeprefix("Value error, ")
                problems.append(KBProblem(rel, _key_path(prefix, err["loc"]), expected))
    return entries


def _cross_check(kb: KnowledgeBase, problems: list[KBProblem]) -> None:
    findings = kb.findings
    for f in findings.values():
        if f.parent is not None and f.parent not in findings:
            problems.append(KBProblem(kb.files[f"findings:{f.id}"], f"findings (id={f.id}).parent",
                                      f"expected a known finding id, got {f.parent!r}"))
        for ctx in f.context:
            if ctx.with_ not in findings:
                problems.append(KBProblem(kb.files[f"findings:{f.id}"], f"findings (id={f.id}).context",
                                          f"expected a known finding id, got {ctx.with_!r}"))
        if f.measure is not None and f.measure.of is not None and f.measure.of not in findings:
            problems.append(KBProblem(kb.files[f"findings:{f.id}"], f"findings (id={f.id}).measure.of",
                                      f"expected a known finding id, got {f.measure.of!r}"))
    # Parents must not form a cycle.
    for f in findings.values():
        seen = {f.id}
        node = f
        while node.parent is not None and node.parent in findings:
            if node.parent in seen:
                problems.append(KBProblem(kb.files[f"findings:{f.id}"], f"findings (id={f.id}).parent",
                                          "expected no cycle of parents"))
                break
            seen.add(node.parent)
            node = findings[node.parent]
    for c in kb.conditions.values():
        for fid in c.findings:
            if fid not in findings:
                problems.append(KBProblem(kb.files[f"conditions:{c.id}"],
                                          f"conditions (id={c.id}).findings.{fid}",
                                          "expected a known finding id"))
                continue
            parent = findings[fid].parent
            if parent is not None and parent not in c.findings:
                problems.append(KBProblem(
                    kb.files[f"conditions:{c.id}"], f"conditions (id={c.id}).findings.{fid}",
                    f"expected its parent {parent!r} listed too (a child's probability is "
                    "conditional on the parent)"))
    references = [(r.id, "rules", [*r.all_of, *r.any_of]) for r in kb.rules]
    references += [(s.id, "screening", s.findings) for s in kb.screening]
    for ident, key, ids in references:
        for fid in ids:
            if fid not in findings:
                problems.append(KBProblem(kb.files[f"{key}:{ident}"], f"{key} (id={ident})",
                                          f"expected a known finding id, got {fid!r}"))
    _cross_check_formulary(kb, problems)
    for syn in kb.syndromes.values():
        where = kb.files[f"syndromes:{syn.id}"]
        for cid in syn.conditions:
            if cid not in kb.conditions:
                problems.append(KBProblem(where, f"syndromes (id={syn.id}).conditions",
                                          f"expected a known condition id, got {cid!r}"))
        for rule in syn.findings:
            for fid in [*rule.all_of, *rule.any_of]:
                if fid not in findings:
                    problems.append(KBProblem(where, f"syndromes (id={syn.id}).findings",
                                              f"expected a known finding id, got {fid!r}"))
    for lang in Lang:
        owner: dict[str, str] = {}
        for f in findings.values():
            for phrase in {normalise_phrase(p) for p in [f.name.get(lang), *f.synonyms.get(lang)]}:
                other = owner.setdefault(phrase, f.id)
                if other != f.id:
                    problems.append(KBProblem(
                        kb.files[f"findings:{f.id}"], f"findings (id={f.id}).synonyms.{lang.value}",
                        f"expected each phrase to name one finding; {phrase!r} also names {other!r}"))
        for f in findings.values():
            for phrase in {normalise_phrase(p) for p in f.absent_when_said.get(lang)}:
                if phrase in owner:
                    problems.append(KBProblem(
                        kb.files[f"findings:{f.id}"], f"findings (id={f.id}).absent_when_said.{lang.value}",
                        f"{phrase!r} is a synonym of {owner[phrase]!r}; a phrase cannot say a "
                        "finding is present and another absent"))


def _cross_check_formulary(kb: KnowledgeBase, problems: list[KBProblem]) -> None:
    classes = {c for m in kb.medicines.values() for c in m.classes}

    def bad(key: str, ident: str, path: str, message: str) -> None:
        problems.append(KBProblem(kb.files[f"{key}:{ident}"], f"{key} (id={ident}){path}", message))

    for m in kb.medicines.values():
        ci = m.contraindications
        for cid in ci.conditions:
            if cid not in kb.conditions:
                bad("medicines", m.id, ".contraindications.conditions",
                    f"expected a known condition id, got {cid!r}")
        for fid in ci.findings:
            if fid not in kb.findings:
                bad("medicines", m.id, ".contraindications.findings",
                    f"expected a known finding id, got {fid!r}")
        for ix in m.interactions:
            other = ix.with_
            known = (other.removeprefix("class:") in classes if other.startswith("class:")
                     else other in kb.medicines or other == "alcohol")
            if not known:
                bad("medicines", m.id, ".interactions",
                    f"expected a known medicine id, class:NAME or 'alcohol', got {other!r}")
    for plan in kb.treatments.values():
        if plan.id not in kb.conditions:
            bad("treatments", plan.id, ".id", "expected the id of a known condition")
        for step in plan.steps:
            for fid in step.when_present:
                if fid not in kb.findings:
                    bad("treatments", plan.id, f".steps.{step.id}.when_present",
                        f"expected a known finding id, got {fid!r}")
            for opt in step.options:
                med = kb.medicines.get(opt.medicine)
                if med is None:
                    bad("treatments", plan.id, f".steps.{step.id}.options",
                        f"expected a known medicine id, got {opt.medicine!r}")
                elif not med.recommend:
                    bad("treatments", plan.id, f".steps.{step.id}.options",
                        f"{opt.medicine!r} is marked recommend: false")
                elif med.regimen(opt.regimen) is None:
                    bad("treatments", plan.id, f".steps.{step.id}.options",
                        f"expected a regimen of {opt.medicine!r} "
                        f"({', '.join(r.id for r in med.regimens)}), got {opt.regimen!r}")
    owner: dict[str, str] = {}
    for ident, entry in kb.medicines.items():
        for name in _names_of(entry):
            other = owner.setdefault(name, ident)
            if other != ident:
                bad("medicines", ident, ".names", f"expected each name to name one medicine; {name!r} "
                    f"also names {other}")


def _cross_check_catalogue(kb: KnowledgeBase, cat: Catalogue, problems: list[KBProblem]) -> None:
    """Substances named by products, pills and the formulary exist; a name names one substance,
    and a product never goes by the name of a substance it is not made of."""
    from yakbang.identify.catalogue import fold

    def bad(key: str, ident: str, path: str, message: str) -> None:
        problems.append(KBProblem(kb.files[f"{key}:{ident}"], f"{key} (id={ident}){path}", message))

    for m in kb.medicines.values():
        for sid in m.composition:
            if sid not in cat.substances:
                bad("medicines", m.id, ".substances", f"expected a known substance id, got {sid!r}")
    for p in cat.products.values():
        for n, used in enumerate(i.substance for i in p.ingredients):
            if used is not None and used not in cat.substances:
                bad("products", p.id, f".ingredients[{n}]", f"expected a known substance id, got {used!r}")
    for pill in cat.pills.values():
        if pill.product is not None and pill.product not in cat.products:
            bad("pills", pill.id, ".product", f"expected a known product id, got {pill.product!r}")
        for sid in (i.substance for i in pill.ingredients):
            if sid not in cat.substances:
                bad("pills", pill.id, ".ingredients", f"expected a known substance id, got {sid!r}")
    named: dict[str, str] = {}
    for s in cat.substances.values():
        for _, name in [*s.names.all(), ("en", s.inn)]:
            key = fold(name)
            other = named.setdefault(key, s.id)
            if other != s.id:
                bad("substances", s.id, ".names", f"expected each name to name one substance; {name!r} "
                    f"also names {other!r}")
    for p in cat.products.values():
        for name in p.names:
            same = named.get(fold(name))
            if same is not None and frozenset(p.substances) != {same}:
                bad("products", p.id, ".names", f"{name!r} is the name of the substance {same!r}, which "
                    "this product is not (only); use the product's own name")


def _names_of(entry: Medicine | Product) -> set[str]:
    if isinstance(entry, Medicine):
        raw = [entry.id, entry.inn, entry.name.en, entry.name.ko, *entry.synonyms.en, *entry.synonyms.ko]
    else:
        raw = [entry.name.en, entry.name.ko, *entry.names]
    return {normalise_phrase(n) for n in raw}


def _collect(
    directory: Path, key: str, model: type[M], problems: list[KBProblem],
    files: dict[str, str], base: Path,
) -> list[M]:
    out: list[M] = []
    for path in sorted(directory.glob("*.yaml")):
        rel = str(path.relative_to(base))
        for entry in _parse_entries(path, key, model, problems, rel):
            ident: str = getattr(entry, "id")  # noqa: B009 - every model here has an id
            qualified = f"{key}:{ident}"
            if qualified in files:
                problems.append(KBProblem(rel, f"{key} (id={ident})",
                                          f"expected a unique id; already defined in {files[qualified]}"))
                continue
            files[qualified] = rel
            out.append(entry)
    return out


def load_kb_from(base: Path) -> KnowledgeBase:
    """Load and validate every file under `base`; raise KnowledgeBaseError listing all problems."""
    problems: list[KBProblem] = []
    files: dict[str, str] = {}
    findings = _collect(base / "findings", "findings", Finding, problems, files, base)
    conditions = _collect(base / "conditions", "conditions", Condition, problems, files, base)
    rules = _collect(base / "rules", "rules", DangerRule, problems, files, base)
    screening = _collect(base / "screening", "screening", Screening, problems, files, base)
    medicines = _collect(base / "medicines", "medicines", Medicine, problems, files, base)
    treatments = _collect(base / "treatments", "treatments", TreatmentPlan, problems, files, base)
    syndromes = _collect(base / "syndromes", "syndromes", Syndrome, problems, files, base)
    lexicons: dict[Lang, Lexicon] = {}
    for path in sorted((base / "lexicon").glob("*.yaml")):
        rel = str(path.relative_to(base))
        for lex in _parse_entries(path, "lexicon", Lexicon, problems, rel):
            if lex.lang in lexicons:
                problems.append(KBProblem(rel, "lexicon", f"expected one lexicon for {lex.lang}"))
            lexicons[lex.lang] = lex
    for sub in ("findings", "conditions"):
        if not any((base / sub).glob("*.yaml")):
            problems.append(KBProblem(f"{sub}/", "", f"expected at least one {sub} file"))
    kb = KnowledgeBase(
        findings={f.id: f for f in findings},
        conditions={c.id: c for c in conditions},
        rules=rules,
        screening=screening,
        lexicons=lexicons,
        medicines={m.id: m for m in medicines},
        treatments={t.id: t for t in treatments},
        syndromes={s.id: s for s in syndromes},
        files=files,
        base=base,
    )
    # Cross-references are only meaningful once every file parsed; otherwise one broken
    # findings file would drown its real error in "unknown finding" noise.
    if not any(p.message.startswith(("not valid YAML", "expected a mapping")) for p in problems):
        _cross_check(kb, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    return kb


@cache
def load_kb() -> KnowledgeBase:
    """The knowledge base shipped in the package, loaded once per process."""
    return load_kb_from(DATA_DIR)
