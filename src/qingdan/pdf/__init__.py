"""build --pdf: a PDF beside every .docx the build wrote (a feature: imports only the core)."""
