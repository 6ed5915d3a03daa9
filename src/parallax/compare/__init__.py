"""Comparing articles of one story: claim alignment, relations, the dossier."""
