"""Loading: YAML text -> data with a span for every key and value, validated against the
schemas, built into the raw model; a project's config and sources found and read."""
