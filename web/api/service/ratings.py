"""Service ratings (好差评): rate a case or a window visit, statistics, follow-ups of bad ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, request

from engine.casework import cases
from engine.core.errors import NotFound
from engine.org import roles
from engine.service import ratings
from engine.timelimits import supervision
from web import refs
from web.api.validation import Fields, json_object
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("ratings", __name__)

CODES = tuple(code for code, _, _ in ratings.LEVELS)
FOLLOW_UP_STATES = (*ratings.FOLLOW_UP_STEPS, "closed")
# who reads rating statistics and follow-ups
OVERSEERS = supervision.SUPERVISORS | roles.OPERATORS


def _rating_body() -> tuple[Fields, str, str | None]:
    body = Fields(json_object())
    level = body.text("level", required=True, choices=CODES)
    comment = body.text("comment")
    return body, level or "", comment


@bp.post("/cases/<case_ref>/rating")
def rate_case(case_ref: str) -> tuple[dict[str, Any], int]:
    """Rate an ended case, once, as its applicant."""
    body, level, comment = _rating_body()
    body.done()
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        return ratings.as_dict(ratings.rate_case(session, case.id, actor(), level, comment)), 201


@bp.post("/visit-ratings")
def rate_visit() -> tuple[dict[str, Any], int]:
    """Rate one window visit, once, by its reference (the visit's number)."""
    body, level, comment = _rating_body()
    reference = body.text("reference", required=True)
    office = body.text("office")
    case_ref = body.text("case")
    body.done()
    assert reference is not None
    with transaction() as session:
        case_id = (cases.get_case(session, refs.case_ref(case_ref)).id
                   if case_ref is not None else None)
        made = ratings.rate_visit(session, reference, actor(), level, comment, office=office,
                                  case_id=case_id)
        return ratings.as_dict(made), 201


@bp.get("/ratings/stats")
def stats() -> dict[str, Any]:
    """Counts per level and average score per office and bundle, narrowed by both filters."""
    query = Fields(request.args, query=True)
    office, bundle = query.text("office"), query.text("bundle")
    query.done()
    roles.require(actor(), OVERSEERS, "read rating statistics")
    with transaction() as session:
        offices = ratings.statistics(session, by="office", office=office, bundle=bundle)
        bundles = ratings.statistics(session, by="bundle", office=office, bundle=bundle)
    return {"by_office": offices, "by_bundle": bundles,
            "levels": [{"code": code, "zh": zh, "en": en, "score": ratings.SCORES[code]}
                       for code, zh, en in ratings.LEVELS]}


@bp.get("/follow-ups")
def follow_ups() -> dict[str, Any]:
    """Follow-ups of bad ratings, soonest due first (supervisors and leaders)."""
    query = Fields(request.args, query=True)
    state = query.text("state", choices=FOLLOW_UP_STATES)
    office = query.text("office")
    query.done()
    roles.require(actor(), OVERSEERS, "read rating follow-ups")
    with transaction() as session:
        found = ratings.list_follow_ups(session, state=state, office=office)
        return {"items": [ratings.follow_up_dict(f) for f in found]}


def _step(step: str) -> Callable[[int], dict[str, Any]]:
    def advance(follow_up_id: int) -> dict[str, Any]:
        body = Fields(json_object())
        note = body.text("note", required=True)
        body.done()
        assert note is not None
        if follow_up_id > MAX_ID:
            raise NotFound(f"no follow-up {follow_up_id} / 整改记录不存在")
        with transaction() as session:
            return ratings.follow_up_dict(ratings.advance_follow_up(
                session, follow_up_id, actor(), step, note))
    advance.__doc__ = f"Record the '{step}' step of a follow-up."
    return advance


for _name in ratings.FOLLOW_UP_STEPS:
    bp.add_url_rule(f"/follow-ups/<int:follow_up_id>/{_name}", f"follow_up_{_name}",
                    _step(_name), methods=["POST"])
