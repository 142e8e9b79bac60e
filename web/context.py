"""What a request handler needs: its unit of work, the engine and who is acting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, g, request
from sqlalchemy import Engine as SqlEngine
from sqlalchemy.orm import Session, sessionmaker

from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.ports import FileStore
from engine.runtime.engine import Engine

EXTENSION = "onething"
FILES = "onething.files"


@dataclass
class Onething:
    """What every request shares: one engine, one database engine, one session factory."""

    rt: Engine
    db: SqlEngine
    factory: sessionmaker[Session]

    def close(self) -> None:
        """Release pooled database connections (tests and shutdown)."""
        self.db.dispose()


def onething(app: Flask | None = None) -> Onething:
    """The shared engine state of APP (default: the current app)."""
    target = app or current_app
    ext: Onething = target.extensions[EXTENSION]
    return ext


def file_store(app: Flask | None = None) -> FileStore:
    """Where APP (default: the current app) keeps uploaded materials."""
    target = app or current_app
    store: FileStore = target.extensions[FILES]
    return store


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
