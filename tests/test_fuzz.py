"""A CI-sized run of the structure-aware fuzzer (tests/fuzzing.py): mutated real sources
never give a traceback, never run past the time limit, and every .docx they write opens.
bench/fuzz.py runs the same cases by the ten thousand."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from fuzzing import CASE, apply, base_files, describe, run_case


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(case=CASE)
def test_mutated_sources_give_diagnostics_and_valid_documents(case):
    mutations, with_roster = case
    files = apply(base_files(with_roster), mutations)
    with tempfile.TemporaryDirectory(prefix="qingdan-fuzz-") as folder:
        outcome = run_case(files, Path(folder))
    shown = describe(mutations, with_roster)
    assert outcome.traceback is None, f"{shown}\n{outcome.traceback}"
    assert outcome.exit_code in (0, 1), f"{shown}: ran past the time limit"
    assert not outcome.unopenable, f"{shown}: {outcome.unopenable}"
    if outcome.exit_code == 0:
        assert outcome.documents > 0, shown
