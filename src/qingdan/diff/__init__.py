"""Diffing: two versions of a project compared as models, entry by entry and unit by unit,
each change classified, with its impact; the result as text, CSV and JSON."""
