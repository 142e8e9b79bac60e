"""Migration 0013 builds the case_search table exactly as the models declare."""

from __future__ import annotations

from tests.migration_check import check_tables_migration


def test_0013_matches_the_models_and_downgrades(tmp_path):
    check_tables_migration("0013_case_search.py", ("0013", "0012"), {"case_search"}, tmp_path)
