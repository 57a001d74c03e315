"""Building: the stages of one unit (pipeline.py), every unit on all cores and the writes
(run.py), the build's record (manifest.py) and what it lets the next build skip
(incremental.py). Named builder, not build: tools take a folder named build for their
own output and leave it out."""
