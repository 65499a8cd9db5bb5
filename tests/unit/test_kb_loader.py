"""The loader validates everything and refuses a broken knowledge base whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yakbang.errors import KnowledgeBaseError
from yakbang.kb import load_kb_from

from ..conftest import FIXTURES


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "kb"
    shutil.copytree(FIXTURES / "mini_kb", dest)
    return dest


def problems_of(base: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb_from(base)
    return [str(p) for p in info.value.problems]


def test_mini_kb_loads(kb_copy: Path) -> None:
    kb = load_kb_from(kb_copy)
    assert set(kb.conditions) >= {"cold", "pneumonia", "meningitis"}
    assert kb.findings["blood_in_stool"].parent == "diarrhoea"


def test_missing_korean_text_names_file_key_and_expectation(kb_copy: Path) -> None:
    path = kb_copy / "findings" / "all.yaml"
    path.write_text(path.read_text().replace("name: {en: Cough, ko: 기침}", "name: {en: Cough}"))
    problems = problems_of(kb_copy)
    assert any("findings/all.yaml" in p and "(id=cough).name.ko" in p and "required" in p.lower()
               for p in problems), problems


def test_probability_out_of_range_is_reported(kb_copy: Path) -> None:
    path = kb_copy / "conditions" / "all.yaml"
    path.write_text(path.read_text().replace("runny_nose: 0.9", "runny_nose: 1.5"))
    problems = problems_of(kb_copy)
    assert any("(id=cold).findings.runny_nose" in p and "less than 1" in p for p in problems)


def test_unknown_finding_in_condition_is_reported(kb_copy: Path) -> None:
    path = kb_copy / "conditions" / "all.yaml"
    path.write_text(path.read_text().replace("runny_nose: 0.9", "sneezes: 0.9"))
    assert any("findings.sneezes" in p and "known finding" in p for p in problems_of(kb_copy))


def test_child_without_parent_in_condition_is_reported(kb_copy: Path) -> None:
    path = kb_copy / "conditions" / "all.yaml"
    path.write_text(path.read_text().replace(
        "{diarrhoea: 0.98, blood_in_stool: 0.9, fever: 0.6}", "{blood_in_stool: 0.9, fever: 0.6}"))
    assert any("(id=dysentery).findings.blood_in_stool" in p and "parent" in p
               for p in problems_of(kb_copy))


def test_one_synonym_for_two_findings_is_reported(kb_copy: Path) -> None:
    path = kb_copy / "findings" / "all.yaml"
    path.write_text(path.read_text().replace("[cough, coughing]", "[cough, coughing, feverish]"))
    assert any("'feverish'" in p for p in problems_of(kb_copy))


def test_bad_icd10_code_is_reported(kb_copy: Path) -> None:
    path = kb_copy / "conditions" / "all.yaml"
    path.write_text(path.read_text().replace("icd10: [J00]", "icd10: [cold]"))
    assert any("(id=cold).icd10" in p and "ICD-10" in p for p in problems_of(kb_copy))


def test_duplicate_ids_across_files_are_reported(kb_copy: Path) -> None:
    extra = kb_copy / "conditions" / "more.yaml"
    text = (kb_copy / "conditions" / "all.yaml").read_text()
    start = text.index("  - id: cold")
    end = text.index("  - id: pneumonia")
    extra.write_text("conditions:\n" + text[start:end])
    assert any("unique id" in p for p in problems_of(kb_copy))


def test_invalid_yaml_names_the_line_and_loads_nothing(kb_copy: Path) -> None:
    (kb_copy / "rules" / "rules.yaml").write_text("rules:\n  - id: x\n   bad: [unclosed\n")
    problems = problems_of(kb_copy)
    assert any(p.startswith("rules/rules.yaml: line") for p in problems), problems


def test_every_problem_is_listed_not_only_the_first(kb_copy: Path) -> None:
    path = kb_copy / "conditions" / "all.yaml"
    text = path.read_text().replace("icd10: [J00]", "icd10: [bad]")
    text = text.replace("urgency: urgent", "urgency: whenever", 1)
    path.write_text(text)
    problems = problems_of(kb_copy)
    assert any("(id=cold).icd10" in p for p in problems)
    assert any("(id=pneumonia).urgency" in p for p in problems)


def test_yaml_booleans_are_not_taken_for_words(kb_copy: Path) -> None:
    path = kb_copy / "lexicon" / "en.yaml"
    path.write_text(path.read_text().replace('["no", "not"', '[no, "not"'))
    assert any("negation_before[0]" in p for p in problems_of(kb_copy))


def _catalogue_problems(base: Path) -> list[str]:
    kb = load_kb_from(base)  # the catalogue is read on first use
    with pytest.raises(KnowledgeBaseError) as info:
        kb.catalogue  # noqa: B018
    return [str(p) for p in info.value.problems]


def test_catalogue_references_and_names_are_checked(kb_copy: Path) -> None:
    (kb_copy / "substances").mkdir()
    (kb_copy / "substances" / "s.yaml").write_text(
        "substances:\n"
        "  - {id: paracetamol, inn: paracetamol, names: {en: [paracetamol, panadol]},"
        " references: [{source: test}]}\n"
        "  - {id: ibuprofen, inn: ibuprofen, names: {en: [ibuprofen, panadol]},"
        " references: [{source: test}]}\n", encoding="utf-8")
    (kb_copy / "products").mkdir()
    (kb_copy / "products" / "p.yaml").write_text(
        "products:\n"
        "  - id: cold_mix\n    name: {en: Cold mix, ko: 감기약}\n    names: [Coldmix, ibuprofen]\n"
        "    form: tablet\n    ingredients: [{substance: paracetamol, amount: 500}, {substance: codeine}]\n"
        "    references: [{source: test}]\n", encoding="utf-8")
    problems = _catalogue_problems(kb_copy)
    assert any("(id=cold_mix).ingredients[1]" in p and "'codeine'" in p for p in problems), problems
    assert any("'panadol'" in p and "one substance" in p for p in problems), problems
    assert any("(id=cold_mix).names" in p and "'ibuprofen'" in p for p in problems), problems


def test_a_variant_needs_one_amount_per_substance(kb_copy: Path) -> None:
    (kb_copy / "products").mkdir()
    (kb_copy / "products" / "p.yaml").write_text(
        "products:\n"
        "  - id: cotri\n    name: {en: Cotri, ko: 코트리}\n    form: tablet\n"
        "    ingredients: [{substance: sulfamethoxazole, amount: 400},\n"
        "                  {substance: trimethoprim, amount: 80}]\n"
        "    variants: [{says: [DS], amounts: [800]}]\n    references: [{source: test}]\n", encoding="utf-8")
    problems = _catalogue_problems(kb_copy)
    assert any("(id=cotri)" in p and "expected 2 amounts" in p for p in problems), problems


def test_the_json_copy_of_a_file_is_used_and_follows_edits(kb_copy: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("YAKBANG_CACHE", str(cache))
    first = load_kb_from(kb_copy)
    copies = sorted(cache.glob("*.json"))
    assert copies, "parsed files are kept as JSON"
    again = load_kb_from(kb_copy)
    assert again.findings == first.findings and again.conditions == first.conditions
    path = kb_copy / "findings" / "all.yaml"
    path.write_text(path.read_text().replace("name: {en: Cough, ko: 기침}", "name: {en: A cough, ko: 기침}"))
    edited = load_kb_from(kb_copy)
    assert edited.findings["cough"].name.en == "A cough"
    assert len(sorted(cache.glob("*.json"))) == len(copies), "the stale copy is replaced, not kept"
