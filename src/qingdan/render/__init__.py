"""Rendering: a resolved model in, document bytes out. Never reads YAML."""
