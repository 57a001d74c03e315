"""qingdan proof: the documents build would write, printed by LibreOffice and checked page
by page against GB/T 9704 (run.py holds the stages; checks.py the page checks). A
feature: it imports only the core; the OFD pages come in from the CLI as a function."""
