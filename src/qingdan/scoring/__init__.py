"""Assessment scoring: the sentences generated from the scoring numbers (text.py)."""
