"""Identification results as plain data (JSON for the command line and the web page)."""

from __future__ import annotations

from typing import Any

from yakbang.identify.names import Candidate, NameResult
from yakbang.kb.catalogue import formulary_cover
from yakbang.kb.loader import KnowledgeBase
from yakbang.treatment.names import compositions
from yakbang.types import Lang

ADVICE = {
    "identified": (
        "Check the pack against this before giving it. Give a medicine only for what it treats, "
        "at the dose for the person's age and weight.",
        "주기 전에 포장이 이것과 맞는지 확인하십시오. "
        "약은 그 약이 고치는 병에만, 나이와 몸무게에 맞는 량으로 주십시오."),
    "possible": (
        "Not sure. It may be the medicine below, but the name did not match exactly. Compare the "
        "pack (name in other letters, ingredients, strength) before giving it; if it does not match, "
        "do not take it.",
        "확실하지 않습니다. 아래 약일 수 있지만 이름이 꼭 맞지 않았습니다. "
        "주기 전에 포장 (다른 글자로 쓴 이름, 성분, 함량)을 맞춰 보십시오. 맞지 않으면 먹지 마십시오."),
    "unknown": (
        "yakbang does not know this name. Do not take a medicine nobody can identify. Look on the "
        "pack for the ingredient list (成分, Состав, 성분, Ingredients) and its strength, or a name in "
        "Latin letters, and try again; or ask a health worker.",
        "약방은 이 이름을 모릅니다. 무엇인지 모르는 약은 먹지 마십시오. 포장에서 성분 (成分, Состав, 성분, "
        "Ingredients)과 함량, 또는 라틴 글자로 쓴 이름을 찾아 다시 물어보거나 보건 일군에게 물어보십시오."),
    "not_medicine": (
        "This is not a medicine. It does not treat illness; do not use it instead of one.",
        "이것은 약이 아닙니다. 병을 고치지 못하니 약 대신 쓰지 마십시오."),    "poison": (
        "This is a poison, not a medicine. If anyone swallowed it, breathed it in or got it on the skin "
        "or in the eyes, go to a health worker or hospital now and take the pack with you. Do not make "
        "the person vomit.",
        "이것은 독이고 약이 아닙니다. 누가 먹었거나 들이마셨거나 살갗이나 눈에 묻었으면 곧 보건 일군이나 "
        "병원에 가고 포장을 가지고 가십시오. 토하게 하지 마십시오."),
}

NOT_MEDICINE_KIND = {
    "drink": ("a drink", "음료"), "food": ("a food or sweet", "먹는 것 (과자, 사탕)"),
    "cosmetic": ("a cosmetic or toiletry", "화장품이나 생활용품"),
    "supplement": ("a supplement", "건강 보조 식품"), "household": ("a household product", "생활용품"),
    "herbal": ("a herbal product", "한약재 제품"), "poison": ("a poison", "독"),
    "other": ("not a medicine", "약이 아닌 것"),
}


def _t(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang is Lang.KO else pair[0]


def _substance_name(kb: KnowledgeBase, sid: str, inn: str, lang: Lang) -> str:
    s = kb.substances.get(sid)
    if lang is Lang.KO and s is not None and s.names.ko:
        return s.names.ko[0]
    return inn


def candidate_dict(kb: KnowledgeBase, c: Candidate, lang: Lang) -> dict[str, Any]:
    product = kb.products.get(c.id) if c.kind == "product" and c.id else None
    out: dict[str, Any] = {
        "kind": c.kind,
        "id": c.id,
        "name": c.name_ko if lang is Lang.KO else c.name_en,
        "ingredients": [
            {"substance": p.substance, "inn": p.inn, "name": _substance_name(kb, p.substance, p.inn, lang),
             "amount": p.amount, "unit": p.unit, **({"per_ml": p.per_ml} if p.per_ml else {})}
            for p in c.parts],
        "other_ingredients": list(c.other),
        "form": c.form.value if c.form else None,
        "confidence": c.confidence,
        "reasons": [r.ko if lang is Lang.KO else r.en for r in c.reasons],
    }
    notes: list[str] = []
    if product is not None and product.note is not None:
        notes.append(product.note.get(lang))
    for p in c.parts:
        s = kb.substances.get(p.substance)
        if s is not None and s.note is not None:
            notes.append(f"{_substance_name(kb, p.substance, p.inn, lang)}: {s.note.get(lang)}")
    # What the formulary warns of for these medicines on the market (metamizole, dexamethasone).
    medicines, _ = formulary_cover(compositions(kb), tuple(p.substance for p in c.parts))
    for mid in medicines:
        warning = kb.medicines[mid].market_warning
        if warning is not None:
            notes.append(warning.get(lang))
    if c.other:
        notes.append(_t((f"Also contains what yakbang does not know: {', '.join(c.other)}.",
                         f"약방이 모르는 성분도 들어 있습니다: {', '.join(c.other)}."), lang))
    out["notes"] = notes
    return out


def name_result_dict(kb: KnowledgeBase, r: NameResult, lang: Lang) -> dict[str, Any]:
    data: dict[str, Any] = {
        "query": r.query,
        "status": r.status,
        "advice": _t(ADVICE["poison" if r.not_medicine_kind == "poison" else r.status], lang),
        "candidates": [candidate_dict(kb, c, lang) for c in r.candidates],
        "strengths_read": [q.text.strip() for q in r.quantities],
        "not_understood": list(r.unread),
    }
    if r.status == "not_medicine":
        kind = NOT_MEDICINE_KIND.get(r.not_medicine_kind or "other", NOT_MEDICINE_KIND["other"])
        what = r.not_medicine.what.get(lang) if r.not_medicine is not None else _t(kind, lang)
        data["not_medicine"] = {"id": r.not_medicine.id if r.not_medicine else None,
                                "kind": r.not_medicine_kind, "what": what}
    return data
