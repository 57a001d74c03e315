"""JSON Schemas of the source formats, for validation and for editors."""
