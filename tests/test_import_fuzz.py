"""A CI-sized run of the import fuzzer (tests/import_fuzzing.py): mutated documents in
every format, some damaged, never give a traceback or a hang from `qingdan import`, and a
project it writes never gives one from `qingdan check`. bench/fuzz_import.py runs the
same cases, with larger shapes, by the thousand."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from import_fuzzing import CASE, CI, run_case, saved

# Generous: the limit stops a hang; a slow shared machine must not fail the test.
LIMIT = 60.0


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(case=CASE)
def test_mutated_documents_import_to_a_project_or_diagnostics(case):
    name, data = saved(case, CI)
    with tempfile.TemporaryDirectory(prefix="qingdan-import-fuzz-") as folder:
        outcome = run_case(name, data, Path(folder), LIMIT)
    shown = case.describe()
    assert outcome.traceback is None, f"{shown}\n{outcome.traceback}"
    assert outcome.check_traceback is None, f"{shown}\n{outcome.check_traceback}"
    assert outcome.findings() == [], shown
