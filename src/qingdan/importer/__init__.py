"""qingdan import: existing documents (.docx, .doc/.wps, .txt, .html) -> a project.

The stages, one module each: read.py turns a file into paragraphs that remember where
they were; clean.py strips web-page furniture, normalises punctuation and cuts a file
into documents; labels.py recognises numbering labels; structure.py, notice.py and
scoring.py recognise each kind of document; ids.py makes stable pinyin ids; emit.py
writes the YAML a clerk would write; project.py runs them and checks the result with
qingdan's own loader.
"""
