"""Cooperation (协办): ask another department about a task, and answer such a request."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from engine.casework import cooperation
from engine.core.errors import NotFound
from web.api.validation import Fields, json_object
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("cooperation", __name__)



@bp.post("/tasks/<item_id>/cooperation")
def ask(item_id: str) -> tuple[dict[str, Any], int]:
    """Bring a department's group in on a task with a question, due in some days."""
    body = Fields(json_object())
    group = body.text("group", required=True)
    question = body.text("question", required=True)
    due_days = body.integer("due_days", default=3, minimum=1,
                            maximum=cooperation.MAX_DUE_DAYS) or 3
    body.done()
    assert group is not None and question is not None  # done() raised otherwise
    with transaction() as session:
        made = cooperation.ask(session, item_id, group, question, actor(), due_days)
        return cooperation.as_dict(made), 201


@bp.post("/cooperation/<ref>/answer")
def answer(ref: str) -> dict[str, Any]:
    """Answer a cooperation request (by its id or its task id) as a member of its group."""
    body = Fields(json_object())
    text = body.text("answer", required=True)
    body.done()
    assert text is not None
    if ref.isdigit() and (not ref.isascii() or int(ref) > MAX_ID):
        raise NotFound(f"cooperation request {ref} not found")
    with transaction() as session:
        return cooperation.as_dict(cooperation.answer(session, ref, text, actor()))
