"""Cooperation (协办): ask another department about a task, and answer such a request."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from pydantic import Field

from engine.casework import cooperation
from engine.core.errors import NotFound
from web.api.casework.shapes import Cooperation
from web.api.declare import PATH_WORDS, Body, operation
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("cooperation", __name__)

# the document describes each path parameter by its name; this one only these routes use
PATH_WORDS.setdefault("ref", "request id or its cooperation task id")


class AskCooperation(Body):
    group: str = Field(min_length=1, max_length=120, description="the department's group")
    question: str = Field(min_length=1, max_length=cooperation.MAX_TEXT)
    due_days: int = Field(3, ge=1, le=cooperation.MAX_DUE_DAYS)


class AnswerCooperation(Body):
    answer: str = Field(min_length=1, max_length=cooperation.MAX_TEXT)


@bp.post("/tasks/<item_id>/cooperation")
@operation("askCooperation", tag="cooperation", body=AskCooperation, ok={201: Cooperation},
           errors=("403", "404", "409"))
def ask(item_id: str, json: AskCooperation) -> tuple[dict[str, Any], int]:
    """Bring another department in on a task (协办)."""
    with transaction() as session:
        made = cooperation.ask(session, item_id, json.group, json.question, actor(),
                               json.due_days)
        return cooperation.as_dict(made), 201


@bp.post("/cooperation/<ref>/answer")
@operation("answerCooperation", tag="cooperation", body=AnswerCooperation,
           ok={200: Cooperation}, errors=("403", "404", "409"))
def answer(ref: str, json: AnswerCooperation) -> dict[str, Any]:
    """Answer a cooperation request for its group."""
    # an id no row can have would overflow the database driver: it names no request
    if ref.isdigit() and (not ref.isascii() or int(ref) > MAX_ID):
        raise NotFound(f"cooperation request {ref} not found")
    with transaction() as session:
        return cooperation.as_dict(cooperation.answer(session, ref, json.answer, actor()))
