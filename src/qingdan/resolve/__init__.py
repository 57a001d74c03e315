"""Resolving: the raw model -> the model one unit's documents print, every placeholder filled
(in Jinja's sandbox), references resolved, the unit's overlays applied."""
