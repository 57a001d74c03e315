"""Semantic passes over the raw model: problems the schema cannot see.

Each pass is a function from the model (and the reference index) to diagnostics; none
stops at the first problem.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..load.formats import check_formats
from ..model import Project
from ..resolve.refs import Index
from .arithmetic import check_scoring
from .citations import check_citations
from .consistency import check_consistency
from .coverage import check_coverage
from .docnumber import check_documents, check_resolved_numbers
from .layout import check_signature_page
from .marks import resolved_dates
from .notice import check_attachments, check_titles
from .text import lint_resolved, lint_sources
from .wording import check_wording
from .work import check_work


def check_project(project: Project, index: Index) -> list[Diagnostic]:
    """Every semantic problem in a raw project (before placeholders are rendered)."""
    found = check_documents(project)
    for doc in project.measures:
        found.extend(check_scoring(doc))
    found.extend(check_coverage(project, index))
    found.extend(lint_sources(project, index))
    found.extend(check_wording(project))
    found.extend(check_citations(project))
    found.extend(check_attachments(project))
    found.extend(check_work(project))
    found.extend(check_formats(project))
    return found


def check_resolved(project: Project) -> list[Diagnostic]:
    """Problems only visible once placeholders are rendered."""
    return (lint_resolved(project) + check_titles(project) + check_resolved_numbers(project)
            + check_signature_page(project) + resolved_dates(project)
            + check_consistency(project))
