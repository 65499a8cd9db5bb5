"""Free text (Korean or English) to findings present and absent. One matcher for every caller."""

from yakbang.text.matcher import Mention, Understanding, understand

__all__ = ["Mention", "Understanding", "understand"]
