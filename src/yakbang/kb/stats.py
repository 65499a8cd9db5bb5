"""Counts that describe the knowledge base (`yakbang kb stats`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from yakbang.kb.loader import KnowledgeBase


def kb_statistics(kb: KnowledgeBase) -> dict[str, Any]:
    urgency = Counter(c.urgency.value for c in kb.conditions.values())
    return {
        "conditions": len(kb.conditions),
        "findings": len(kb.findings),
        "danger_findings": sum(f.danger for f in kb.findings.values()),
        "danger_rules": len(kb.rules),
        "conditions_by_urgency": dict(sorted(urgency.items())),
        "conditions_with_icd10": sum(bool(c.icd10) for c in kb.conditions.values()),
        "conditions_with_references": sum(bool(c.references) for c in kb.conditions.values()),
        "likelihoods": sum(len(c.findings) for c in kb.conditions.values()),
        "synonyms_en": sum(len(f.synonyms.en) for f in kb.findings.values()),
        "synonyms_ko": sum(len(f.synonyms.ko) for f in kb.findings.values()),
        "medicines": len(kb.medicines),
        "substances": len(kb.substances),
        "substance_names": sum(len(s.names.all()) for s in kb.substances.values()),
        "substances_with_max_daily": sum(s.max_daily is not None for s in kb.substances.values()),
        "products": len(kb.products),
        "products_by_origin": dict(sorted(Counter(p.origin or "?" for p in kb.products.values()).items())),
        "product_names": sum(len(p.names) for p in kb.products.values()),
        "not_medicines": len(kb.not_medicines),
        "pills": len(kb.pills),
    }
