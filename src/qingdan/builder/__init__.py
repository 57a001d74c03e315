"""Building: the stages of one unit (pipeline.py), every unit on all cores and the writes
(run.py), and what lets the next build skip what did not change (incremental.py)."""
