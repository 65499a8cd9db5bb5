"""docs/reference/ is generated from the knowledge base and must never go stale."""

from __future__ import annotations

from yakbang.kb import KnowledgeBase
from yakbang.kb.reference_docs import reference_pages

from ..conftest import ROOT


def test_reference_pages_are_current(kb: KnowledgeBase) -> None:
    folder = ROOT / "docs" / "reference"
    pages = reference_pages(kb)
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    stale = sorted(n for n in pages if on_disk.get(n) != pages[n])
    assert not stale, f"run `yakbang kb docs`: stale pages {stale}"
    assert set(on_disk) == set(pages)


def test_every_condition_appears_with_its_sources(kb: KnowledgeBase) -> None:
    text = "\n".join(reference_pages(kb).values())
    for c in kb.conditions.values():
        assert f"`{c.id}`" in text and c.references[0].source in text
