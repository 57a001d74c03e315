"""The document model: frozen dataclasses that every later stage reads.

Source text here may still hold placeholders ({{ unit.name }}); resolve/ resolves them
into a model of the same shape whose text is final.
"""

from .documents import (
    KNOWN_BODIES,
    ROLE_NAMES,
    STANDARD_ROLES,
    Band,
    CitedDocument,
    Component,
    Item,
    Measures,
    Node,
    Notice,
    ResponsibilityList,
    Role,
    Scoring,
    Section,
    Stage,
    Unit,
    Veto,
    known_body,
)
from .project import Overlay, Printing, Project, Repeal, RosterUnit, Wording, WordingRule
from .text import Text, evolve, line_starts

__all__ = ["KNOWN_BODIES", "ROLE_NAMES", "STANDARD_ROLES", "Band", "CitedDocument",
           "Component", "Item", "Measures", "Node", "Notice", "Overlay", "Printing",
           "Project", "Repeal", "ResponsibilityList", "Role", "RosterUnit", "Scoring",
           "Section", "Stage", "Text", "Unit", "Veto", "Wording", "WordingRule", "evolve",
           "known_body", "line_starts"]
