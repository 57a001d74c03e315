"""Assessment scoring, the yearly run of an assessment: scoring workbooks out (workbook.py),
filled ones read back (read.py), graded (grade.py), and the results written (results.py);
run.py holds the stages. An assessment's numbers in words are the core's
(words/assessment.py): its documents print them too.
"""
