"""The annual cycle's command: `qingdan new-year` (newyear.py) tags or copies the current
edition and advances the sources to next year's drafts. A feature: it imports only the
core, where the yearly work notice, drafts and schedule dates live like any document kind.
"""
