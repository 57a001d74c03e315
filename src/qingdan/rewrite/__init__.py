"""The commands that rewrite sources in place when asked: fmt (punctuation) and upgrade (to
the current format). A feature: imports only the core."""
