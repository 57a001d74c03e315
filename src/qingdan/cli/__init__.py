"""The qingdan command: parse options, call a stage, print diagnostics, exit once.

common.py holds the group and what the commands share; each cmd_*.py registers its
commands on it (cmd_build: check and build); chinese.py is click in Chinese.
"""

from . import (  # noqa: F401 - each registers its commands on main
    cmd_absorb,
    cmd_build,
    cmd_diff,
    cmd_fmt,
    cmd_import,
    cmd_newyear,
    cmd_proof,
    cmd_report,
    cmd_rules,
    cmd_serve,
    cmd_sheets,
    cmd_upgrade,
)
from .common import main, run

__all__ = ["main", "run"]
