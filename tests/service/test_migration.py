"""Migration 0008 builds the service tables exactly as the models declare."""

from __future__ import annotations

from tests.migration_check import check_tables_migration

TABLES = {"notifications", "appointment_slots", "appointments", "visits", "mobile_intakes"}


def test_0008_matches_the_models_and_downgrades(tmp_path):
    check_tables_migration("0008_service.py", ("0008", "0007"), TABLES, tmp_path)
