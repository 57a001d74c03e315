"""Page layout computed in Python: line breaks and pages on the GB/T 9704 grid (grid.py),
and where a notice's signature falls (notice.py). Used by rendering and by checks."""
