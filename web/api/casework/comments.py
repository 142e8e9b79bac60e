"""Comments on a case and watching it, in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint
from pydantic import Field

from engine.casework import cases, comments, watches
from web import refs
from web.api.declare import Body, Reply, operation
from web.context import actor, transaction

bp = Blueprint("comments", __name__)


class NewComment(Body):
    body: str = Field(min_length=1, max_length=comments.MAX_BODY)
    task_id: str | None = Field(None, description="a task of this case")


class Comment(Reply):
    """A comment a member of staff left on a case."""

    id: int
    case_id: int
    task_id: str | None = None
    author: str
    body: str
    created_at: datetime


class CommentList(Reply):
    items: list[Comment]


class Watching(Reply):
    """Whether the caller watches a case."""

    case_id: int
    number: str
    watching: bool


class WatchList(Reply):
    items: list[Watching]


@bp.get("/cases/<case_ref>/comments")
@operation("listComments", tag="workbench", ok={200: CommentList}, errors=("403", "404"))
def index(case_ref: str) -> dict[str, Any]:
    """The case's comments, oldest first."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        return {"items": [comments.as_dict(c)
                          for c in comments.list_for_case(session, case, actor())]}


@bp.post("/cases/<case_ref>/comments")
@operation("addComment", tag="workbench", body=NewComment, ok={201: Comment},
           errors=("403", "404"))
def add(case_ref: str, json: NewComment) -> tuple[dict[str, Any], int]:
    """Leave a comment on a case."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        made = comments.add(session, case, actor(), json.body, json.task_id)
        return comments.as_dict(made), 201


@bp.post("/cases/<case_ref>/watch")
@operation("watchCase", tag="workbench", ok={200: Watching}, errors=("403", "404"))
def watch(case_ref: str) -> dict[str, Any]:
    """Follow a case."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        watches.watch(session, case, actor())
        return watches.as_dict(case, True)


@bp.post("/cases/<case_ref>/unwatch")
@operation("unwatchCase", tag="workbench", ok={200: Watching}, errors=("404",))
def unwatch(case_ref: str) -> dict[str, Any]:
    """Stop following a case."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        watches.unwatch(session, case, actor())
        return watches.as_dict(case, False)


@bp.get("/watches")
@operation("listWatches", tag="workbench", ok={200: WatchList})
def watched() -> dict[str, Any]:
    """The cases the caller watches."""
    with transaction() as session:
        return {"items": [watches.as_dict(c, True)
                          for c in watches.watched_cases(session, actor())]}
