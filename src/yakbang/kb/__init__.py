"""The knowledge base: schema, loader and the YAML data files."""

from yakbang.kb.loader import KnowledgeBase, load_kb, load_kb_from

__all__ = ["KnowledgeBase", "load_kb", "load_kb_from"]
