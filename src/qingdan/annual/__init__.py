"""The annual cycle: next year's edition, drafts with blanks, the yearly work notice.

- drafts.py    values still to be fixed (待定): how they print, the warnings, --final
- schedule.py  a work notice's 时间安排: dates and ranges read, checked and written out
- work.py      the yearly work notice (kind: work): sections, the units assessed
- edition.py   the edition's year and the previous edition (for `qingdan diff`)
- newyear.py   `qingdan new-year`: tag or copy the current edition, advance the sources
"""
