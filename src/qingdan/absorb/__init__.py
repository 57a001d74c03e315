"""qingdan absorb: a list a unit edited in Word or WPS and sent back, turned into the
overlays (or base-list changes) that give it. See run.py for the stages."""
