"""Catalogue fixtures: the web fixtures, the shipped files, and a catalogue loaded into the db."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.org.catalog import import_catalog
from engine.org.offices import import_offices
from tests.web.conftest import admin, app, client, make_user, runner  # noqa: F401

ROOT = Path(__file__).resolve().parents[3]
ITEMS = ROOT / "bpmn" / "catalog" / "items.yaml"
ORG = ROOT / "bpmn" / "offices" / "org.yaml"


@pytest.fixture
def loaded(db: sessionmaker[Session]) -> sessionmaker[Session]:
    """The database with the shipped catalogue and org model imported."""
    with unit_of_work(db) as session:
        import_catalog(session, ITEMS, actor=SYSTEM)
        import_offices(session, ORG, SYSTEM)
    return db
