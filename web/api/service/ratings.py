"""Service ratings (好差评): rate a case or a window visit, statistics, follow-ups of bad ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from flask import Blueprint
from pydantic import Field

from engine.casework import cases
from engine.org import roles
from engine.service import ratings
from engine.timelimits import supervision
from web import refs
from web.api.declare import Body, Exact, Query, Reply, operation
from web.context import actor, transaction

bp = Blueprint("ratings", __name__)

# the codes of engine.service.ratings.LEVELS, best first
RatingLevel = Literal["very_satisfied", "satisfied", "basic", "dissatisfied",
                      "very_dissatisfied"]
LEVEL_WORDS = ", ".join(f"{code} ({zh})" for code, zh, _ in ratings.LEVELS)
FollowUpState = Literal["verify", "rectify", "reply", "closed"]
# who reads rating statistics and follow-ups
OVERSEERS = supervision.SUPERVISORS | roles.OPERATORS


class RateCase(Body):
    level: RatingLevel = Field(description=LEVEL_WORDS)
    comment: str | None = Field(None, max_length=ratings.MAX_COMMENT)


class RateVisit(RateCase):
    reference: str = Field(min_length=1, max_length=100,
                           description="the window visit's number")
    office: str | None = None
    case: str | None = Field(None, description="case id or number")


class RatingFilter(Exact):
    """Which ratings to count (a misspelt filter never counts them all)."""

    office: str | None = Field(None, description="count only this office's ratings")
    bundle: str | None = Field(None, description="count only this bundle's ratings")


class FollowUpFilter(Query):
    state: FollowUpState | None = Field(None, description="only this state")
    office: str | None = Field(None, description="only this office")


class FollowUpStep(Body):
    note: str = Field(min_length=1, max_length=4000, description="what was done")


class Rating(Reply):
    id: int
    subject: str = Field(description="case:<id> or visit:<reference>")
    case_id: int | None
    level: RatingLevel = Field(description=LEVEL_WORDS)
    level_zh: str
    level_en: str
    score: int = Field(ge=1, le=5)
    comment: str | None
    office: str | None
    bundle: str | None
    at: datetime


class RatingRow(Reply):
    """The ratings of one office or one bundle (the row names the one it groups by)."""

    office: str | None = None
    bundle: str | None = None
    count: int
    average: float
    bad: int
    levels: dict[str, int] = Field(description="count per level code")


class RatingLevelName(Reply):
    code: RatingLevel
    zh: str
    en: str
    score: int


class RatingStats(Reply):
    by_office: list[RatingRow]
    by_bundle: list[RatingRow]
    levels: list[RatingLevelName]


class FollowUpRecord(Reply):
    """One step of a follow-up: what was noted, by whom, when (null until it is done)."""

    note: str | None
    by: str | None
    at: datetime | None


class FollowUp(Reply):
    id: int
    rating_id: int
    case_id: int | None
    office: str | None
    state: FollowUpState
    due: datetime
    confirmed: bool
    verify: FollowUpRecord
    rectify: FollowUpRecord
    reply: FollowUpRecord
    created_at: datetime


class FollowUpList(Reply):
    items: list[FollowUp]


@bp.post("/cases/<case_ref>/rating")
@operation("rateCase", tag="ratings", body=RateCase, ok={201: Rating},
           errors=("403", "404", "409"))
def rate_case(case_ref: str, json: RateCase) -> tuple[dict[str, Any], int]:
    """Rate an ended case once, as its applicant (好差评); a bad rating opens a follow-up."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        made = ratings.rate_case(session, case.id, actor(), json.level, json.comment)
        return ratings.as_dict(made), 201


@bp.post("/visit-ratings")
@operation("rateVisit", tag="ratings", body=RateVisit, ok={201: Rating}, errors=("404", "409"))
def rate_visit(json: RateVisit) -> tuple[dict[str, Any], int]:
    """Rate one window visit once."""
    with transaction() as session:
        case_id = (cases.get_case(session, refs.case_ref(json.case)).id
                   if json.case is not None else None)
        made = ratings.rate_visit(session, json.reference, actor(), json.level, json.comment,
                                  office=json.office, case_id=case_id)
        return ratings.as_dict(made), 201


@bp.get("/ratings/stats")
@operation("ratingStats", tag="ratings", query=RatingFilter, ok={200: RatingStats},
           errors=("403",))
def stats(query: RatingFilter) -> dict[str, Any]:
    """Rating counts and averages per office and per bundle (supervisors, leaders,
    operators)."""
    roles.require(actor(), OVERSEERS, "read rating statistics")
    with transaction() as session:
        offices = ratings.statistics(session, by="office", office=query.office,
                                     bundle=query.bundle)
        bundles = ratings.statistics(session, by="bundle", office=query.office,
                                     bundle=query.bundle)
    return {"by_office": offices, "by_bundle": bundles,
            "levels": [{"code": code, "zh": zh, "en": en, "score": ratings.SCORES[code]}
                       for code, zh, en in ratings.LEVELS]}


@bp.get("/follow-ups")
@operation("listFollowUps", tag="ratings", query=FollowUpFilter, ok={200: FollowUpList},
           errors=("403",))
def follow_ups(query: FollowUpFilter) -> dict[str, Any]:
    """Follow-ups of bad ratings, soonest due first."""
    roles.require(actor(), OVERSEERS, "read rating follow-ups")
    with transaction() as session:
        found = ratings.list_follow_ups(session, state=query.state, office=query.office)
        return {"items": [ratings.follow_up_dict(f) for f in found]}


def _step(step: str) -> Callable[..., dict[str, Any]]:
    """The view that records STEP of a follow-up, declared as its own operation."""
    def advance(follow_up_id: int, json: FollowUpStep) -> dict[str, Any]:
        with transaction() as session:
            return ratings.follow_up_dict(ratings.advance_follow_up(
                session, follow_up_id, actor(), step, json.note))
    # the summary of the document is the view's docstring, so it is set before declaring
    advance.__doc__ = (f"Record the '{step}' step of a follow-up (verify, rectify, reply, "
                       "in that order).")
    advance.__name__ = f"follow_up_{step}"
    return operation(f"followUp{step.capitalize()}", tag="ratings", body=FollowUpStep,
                     ok={200: FollowUp}, errors=("403", "404", "409"))(advance)


for _name in ratings.FOLLOW_UP_STEPS:
    bp.add_url_rule(f"/follow-ups/<int:follow_up_id>/{_name}", f"follow_up_{_name}",
                    _step(_name), methods=["POST"])
