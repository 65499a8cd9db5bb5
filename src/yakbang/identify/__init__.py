"""Identify medicines: names in any script, tablets by their look, and hidden duplicates."""

from yakbang.identify.names import BadQuery, Candidate, NameResult, Part, identify_name

__all__ = ["BadQuery", "Candidate", "NameResult", "Part", "identify_name"]
