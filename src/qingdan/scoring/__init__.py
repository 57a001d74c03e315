"""Assessment scoring: the sentences generated from the scoring numbers (text.py), and the
yearly run of an assessment: scoring workbooks out (workbook.py), filled ones read back
(read.py), graded (grade.py), and the results written (results.py); run.py holds the stages.
"""
