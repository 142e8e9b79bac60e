"""What a request handler needs: its unit of work, the engine and who is acting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g, request
from sqlalchemy.orm import Session

from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.runtime.engine import Engine
from web.app import onething


@contextmanager
def transaction() -> Iterator[Session]:
    """One request, one unit of work: commit on success, roll back on any error."""
    read_only = request.method in ("GET", "HEAD")
    with unit_of_work(onething().factory, read_only=read_only) as session:
        yield session


def engine() -> Engine:
    """The app's shared onething engine."""
    return onething().rt


def actor() -> Actor:
    """The authenticated caller (set by web.auth before every protected request)."""
    who: Actor = g.actor
    return who
