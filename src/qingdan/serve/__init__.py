"""qingdan serve: a live preview in the browser while the sources are edited.

preview.py checks and renders the project in memory (the build's own stages, no file
written) and keeps the last good pages; pages.py makes LibreOffice page images in the
background; diffs.py compares with an earlier version; app.py is the web application
(read-only, escaped, bound to this computer); server.py binds the port, watches the
sources and stops cleanly on Ctrl-C.
"""
