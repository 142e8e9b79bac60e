"""Comments on a case and watching it, in the API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from engine.casework import cases, comments, watches
from web import refs
from web.api.validation import Fields, json_object
from web.context import actor, transaction

bp = Blueprint("comments", __name__)


@bp.get("/cases/<case_ref>/comments")
def index(case_ref: str) -> dict[str, Any]:
    """The case's comments, oldest first."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        return {"items": [comments.as_dict(c)
                          for c in comments.list_for_case(session, case, actor())]}


@bp.post("/cases/<case_ref>/comments")
def add(case_ref: str) -> tuple[dict[str, Any], int]:
    """Leave a comment on the case (about one of its tasks when task_id is given)."""
    body = Fields(json_object())
    text = body.text("body", required=True)
    task_id = body.text("task_id")
    body.done()
    assert text is not None  # done() raised otherwise
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        return comments.as_dict(comments.add(session, case, actor(), text, task_id)), 201


@bp.post("/cases/<case_ref>/watch")
def watch(case_ref: str) -> dict[str, Any]:
    """Follow the case: its open work shows in the 'watched' inbox tab."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        watches.watch(session, case, actor())
        return watches.as_dict(case, True)


@bp.post("/cases/<case_ref>/unwatch")
def unwatch(case_ref: str) -> dict[str, Any]:
    """Stop following the case."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        watches.unwatch(session, case, actor())
        return watches.as_dict(case, False)


@bp.get("/watches")
def watched() -> dict[str, Any]:
    """The cases the caller watches."""
    with transaction() as session:
        return {"items": [watches.as_dict(c, True)
                          for c in watches.watched_cases(session, actor())]}
