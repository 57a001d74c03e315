"""LibreOffice, found and driven one way for every command that needs it.

find.py finds soffice and a Python that can `import uno`; pool.py keeps workers
(bridge.py, started by launch.py without network and tied to qingdan's life) that convert
.docx to PDF and old formats to .docx in a private profile (profile.py: no links loaded,
the font profile of fonts.py); topdf.py converts a batch to PDF, each failure an E422;
pdfnorm.py makes PDFs byte-stable; scratch.py gives folders a killed run does not leave
behind; links.py finds and strips what a package would make LibreOffice load. Part of
the core: it imports no feature.
"""

from .find import (
    ENV_PYTHON,
    ENV_SOFFICE,
    INSTALL_HINT,
    Office,
    OfficeError,
    find_office,
    reported,
    require_office,
)
from .pool import DOCX, ENV_TIMEOUT, PDF, Converter, Failure, Job, converter, kept_open, timeout
from .topdf import convert_to_pdf

__all__ = ["DOCX", "ENV_PYTHON", "ENV_SOFFICE", "ENV_TIMEOUT", "INSTALL_HINT", "PDF",
           "Converter", "Failure", "Job", "Office", "OfficeError", "convert_to_pdf", "converter",
           "find_office",
           "kept_open", "reported", "require_office", "timeout"]
