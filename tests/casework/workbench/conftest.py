"""Fixtures of the workbench tests: the web app and a county with two branches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from engine.core import clock
from tests.casework.workbench.support import County
from tests.ui.conftest import app, client

__all__ = ["app", "client"]


@pytest.fixture
def county(app: Flask) -> Iterator[County]:
    """The restaurant bundle deployed, two branches, two departments and their staff."""
    clock.reset()
    yield County(app).setup()
    clock.reset()
