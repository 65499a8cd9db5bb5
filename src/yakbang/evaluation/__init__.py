"""Evaluation of the engine on vignettes (`yakbang eval`)."""
