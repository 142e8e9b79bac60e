"""Commitment clocks, calendar, supervision, ratings and figures in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.service.ratings import FOLLOW_UP_STEPS, LEVELS
from engine.timelimits.commitment_figures import COLUMNS
from web.openapi_types import BOOL, INT, STR, TIME, nullable, obj, ref

NUMBER = {"type": "number"}
TEXT = {"type": "string", "maxLength": 4000}
LEVEL = {"enum": ["normal", "yellow", "red"]}
RATING_LEVEL = {"enum": [code for code, _, _ in LEVELS],
                "description": ", ".join(f"{code} ({zh})" for code, zh, _ in LEVELS)}
ORDER_STATE = {"enum": ["open", "escalated", "replied"]}
FOLLOW_UP_STATE = {"enum": [*FOLLOW_UP_STEPS, "closed"]}
STEP = obj({"note": nullable(STR), "by": nullable(STR), "at": nullable(TIME)})

CLOCK: dict[str, Any] = {
    "scope": {"type": "string", "description": "'case', or the item code"},
    "unit": {"enum": ["days", "hours"], "description": "hours for instant items (即办件)"},
    "started": TIME, "due": TIME, "statutory_due": TIME, "level": LEVEL,
    "paused": BOOL, "paused_reasons": {"type": "array", "items": STR}, "paused_days": NUMBER,
    "used": {**NUMBER, "description": "working days run, pauses taken off"},
    "committed": {**NUMBER, "description": "committed limit with the extension"},
    "committed_original": NUMBER, "statutory": NUMBER, "extended": BOOL,
    "extension": nullable(obj({"days": NUMBER, "by": STR, "reason": STR, "at": TIME})),
    "finished": nullable(TIME), "on_time": nullable(BOOL),
    "confirmed": {"type": "boolean",
                  "description": "false when a year without calendar data was counted"},
}
CLOCK_REQUIRED = ("scope", "unit", "started", "due", "level", "paused", "used", "committed",
                  "statutory", "extended", "confirmed")
RATING_ROW = obj({
    "office": nullable(STR), "bundle": nullable(STR), "count": INT, "average": NUMBER,
    "bad": INT, "levels": {"type": "object", "additionalProperties": INT}},
    ("count", "average", "bad", "levels"), closed=False)
FIGURE_TYPES: dict[str, Any] = {
    "office": nullable(STR), "bundle": STR,
    "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
    "cases": INT, "finished": INT, "overdue": INT, "ratings": INT, "ratings_bad": INT}

TIME_SCHEMAS: dict[str, Any] = {
    "Clock": obj(CLOCK, CLOCK_REQUIRED),
    "CaseClock": obj({**CLOCK, "case_id": INT, "number": STR,
                      "items": {"type": "array", "items": ref("Clock")}},
                     (*CLOCK_REQUIRED, "case_id", "number", "items")),
    "ExtendClock": obj({
        "days": {"type": "integer", "minimum": 1, "maximum": 60},
        "reason": {"type": "string", "maxLength": 2000},
        "scope": {"type": "string", "description": "item code; default the case clock"}},
        ("days", "reason")),
    "CalendarCoverage": obj({
        "year": INT, "source": {"enum": ["package", "file", "none"]}, "file": nullable(STR),
        "holidays": INT, "workdays": {**INT, "description": "swapped working days (调休)"},
        "closures": INT, "confirmed": BOOL, "covered": BOOL},
        ("year", "source", "holidays", "workdays", "closures", "confirmed", "covered")),
    "CalendarWarning": obj({
        "today": {"type": "string", "format": "date"},
        "warning": nullable(STR), "zh": nullable(STR), "en": nullable(STR)},
        ("today", "warning", "zh", "en")),
    "QueueEntry": obj({
        "case_id": INT, "number": STR, "title": STR, "bundle": STR, "office": nullable(STR),
        "level": {"enum": ["yellow", "red"]}, "due": TIME, "paused": BOOL, "confirmed": BOOL},
        ("case_id", "number", "level", "due")),
    "SupervisionQueue": obj({"items": {"type": "array", "items": ref("QueueEntry")}},
                            ("items",)),
    "SupervisionOrder": obj({
        "id": INT, "case_id": INT, "issued_by": STR, "to_user": nullable(STR),
        "to_group": nullable(STR), "message": STR, "deadline": TIME, "state": ORDER_STATE,
        "reply": nullable(STR), "replied_by": nullable(STR), "replied_at": nullable(TIME),
        "escalated_to": nullable(STR), "escalated_at": nullable(TIME), "created_at": TIME},
        ("id", "case_id", "message", "deadline", "state")),
    "SupervisionOrderList": obj({"items": {"type": "array", "items": ref("SupervisionOrder")}},
                                ("items",)),
    "IssueOrder": obj({
        "case": {"type": "string", "description": "case id or number"}, "message": TEXT,
        "deadline": {**TIME, "description": "a future time with an offset; escalated to "
                                            "the leaders when unanswered by then"},
        "to_user": STR, "to_group": STR}, ("case", "message", "deadline")),
    "ReplyOrder": obj({"reply": TEXT}, ("reply",)),
    "Rating": obj({
        "id": INT, "subject": STR, "case_id": nullable(INT), "level": RATING_LEVEL,
        "level_zh": STR, "level_en": STR, "score": {"type": "integer", "minimum": 1,
                                                    "maximum": 5},
        "comment": nullable(STR), "office": nullable(STR), "bundle": nullable(STR), "at": TIME},
        ("id", "subject", "level", "score", "at")),
    "RateCase": obj({"level": RATING_LEVEL, "comment": {"type": "string", "maxLength": 2000}},
                    ("level",)),
    "RateVisit": obj({
        "level": RATING_LEVEL, "comment": {"type": "string", "maxLength": 2000},
        "reference": {"type": "string", "maxLength": 100,
                      "description": "the window visit's number"},
        "office": STR, "case": {"type": "string", "description": "case id or number"}},
        ("level", "reference")),
    "RatingStats": obj({
        "by_office": {"type": "array", "items": RATING_ROW},
        "by_bundle": {"type": "array", "items": RATING_ROW},
        "levels": {"type": "array", "items": obj({"code": STR, "zh": STR, "en": STR,
                                                  "score": INT})}},
        ("by_office", "by_bundle", "levels")),
    "FollowUp": obj({
        "id": INT, "rating_id": INT, "case_id": nullable(INT), "office": nullable(STR),
        "state": FOLLOW_UP_STATE, "due": TIME, "confirmed": BOOL, "verify": STEP,
        "rectify": STEP, "reply": STEP, "created_at": TIME},
        ("id", "rating_id", "state", "due")),
    "FollowUpList": obj({"items": {"type": "array", "items": ref("FollowUp")}}, ("items",)),
    "FollowUpStep": obj({"note": TEXT}, ("note",)),
    "Figures": obj({
        "columns": {"type": "array", "items": STR},
        "items": {"type": "array", "items": obj(
            {c: FIGURE_TYPES.get(c, nullable(NUMBER)) for c in COLUMNS}, COLUMNS)}},
        ("columns", "items")),
}


def time_paths(op: Callable[..., dict[str, Any]], json: Callable[..., dict[str, Any]],
               path: Callable[..., dict[str, Any]],
               query: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The time and service-quality paths, built with the document's own helpers."""
    case_ref = path("case_ref", "case id or case number (LL-2026-000123)")
    order_id = path("order_id", "supervision order id", INT)
    follow_up_id = path("follow_up_id", "follow-up id", INT)
    order = {"200": json(ref("SupervisionOrder"), "The order")}
    follow_up = {"200": json(ref("FollowUp"), "The follow-up")}
    csv = {"text/csv": {"schema": {"type": "string"},
                        "example": ",".join(COLUMNS) + "\n"}}
    return {
        "/api/v1/cases/{case_ref}/clock": {
            "get": op("getCaseClock", "The case's commitment clock and its items' clocks "
                      "(404 before acceptance)", "clocks",
                      {"200": json(ref("CaseClock"), "The clocks")}, "403", "404",
                      params=[case_ref]),
        },
        "/api/v1/cases/{case_ref}/clock/extend": {
            "post": op("extendClock", "Extend a running clock once (延期); the caller, a "
                       "leader or supervisor, approves", "clocks",
                       {"200": json(ref("CaseClock"), "The clocks")}, "403", "404", "409",
                       body="ExtendClock", params=[case_ref]),
        },
        "/api/v1/calendar/coverage": {
            "get": op("calendarCoverage", "Where a year's working days come from",
                      "clocks", {"200": json(ref("CalendarCoverage"), "The coverage")},
                      "422", params=[query("year", "the year (required)",
                                           {"type": "integer", "minimum": 1900,
                                            "maximum": 2200})]),
        },
        "/api/v1/calendar/warning": {
            "get": op("calendarWarning", "The warning when the next 60 days are not covered "
                      "by confirmed calendar data (null when they are)", "clocks",
                      {"200": json(ref("CalendarWarning"), "The warning")}, "422"),
        },
        "/api/v1/supervision/queue": {
            "get": op("supervisionQueue", "Running yellow and red cases, red first "
                      "(supervisors, leaders)", "supervision",
                      {"200": json(ref("SupervisionQueue"), "The queue")}, "403", "422",
                      params=[query("level", "only this level", {"enum": ["yellow", "red"]})]),
        },
        "/api/v1/supervision/orders": {
            "post": op("issueOrder", "Issue a supervision order (督办) on a case", "supervision",
                       {"201": json(ref("SupervisionOrder"), "The order")}, "403", "404",
                       body="IssueOrder"),
            "get": op("listOrders", "Orders: all for supervisors, else those addressed to the "
                      "caller", "supervision",
                      {"200": json(ref("SupervisionOrderList"), "Orders")}, "404", "422",
                      params=[query("state", "only this state", ORDER_STATE),
                              query("case", "only this case (id or number)", STR)]),
        },
        "/api/v1/supervision/orders/{order_id}": {
            "get": op("getOrder", "One order", "supervision", order, "404",
                      params=[order_id]),
        },
        "/api/v1/supervision/orders/{order_id}/reply": {
            "post": op("replyOrder", "Answer an order (its addressee or a supervisor)",
                       "supervision", order, "403", "404", "409", body="ReplyOrder",
                       params=[order_id]),
        },
        "/api/v1/cases/{case_ref}/rating": {
            "post": op("rateCase", "Rate an ended case once, as its applicant (好差评); a bad "
                       "rating opens a follow-up", "ratings",
                       {"201": json(ref("Rating"), "The rating")}, "403", "404", "409",
                       body="RateCase", params=[case_ref]),
        },
        "/api/v1/visit-ratings": {
            "post": op("rateVisit", "Rate one window visit once", "ratings",
                       {"201": json(ref("Rating"), "The rating")}, "404", "409",
                       body="RateVisit"),
        },
        "/api/v1/ratings/stats": {
            "get": op("ratingStats", "Rating counts and averages per office and per bundle "
                      "(supervisors, leaders, operators)", "ratings",
                      {"200": json(ref("RatingStats"), "Statistics")}, "403", "422",
                      params=[query("office", "count only this office's ratings", STR),
                              query("bundle", "count only this bundle's ratings", STR)]),
        },
        "/api/v1/follow-ups": {
            "get": op("listFollowUps", "Follow-ups of bad ratings, soonest due first",
                      "ratings", {"200": json(ref("FollowUpList"), "Follow-ups")}, "403",
                      "422", params=[query("state", "only this state", FOLLOW_UP_STATE),
                                     query("office", "only this office", STR)]),
        },
        **{f"/api/v1/follow-ups/{{follow_up_id}}/{step}": {
            "post": op(f"followUp{step.capitalize()}", f"Record the '{step}' step of a "
                       "follow-up (verify, rectify, reply, in that order)", "ratings",
                       follow_up, "403", "404", "409", body="FollowUpStep",
                       params=[follow_up_id]),
        } for step in FOLLOW_UP_STEPS},
        "/api/v1/figures": {
            "get": op("figures", "Commitment figures per office, bundle and month of "
                      "acceptance; format=csv for a CSV download", "figures",
                      {"200": {"description": "The figures", "content": {
                          "application/json": {"schema": ref("Figures")}, **csv}}},
                      "403", "422", params=[
                          query("office", "only this office", STR),
                          query("bundle", "only this bundle", STR),
                          query("month", "only this month of acceptance (YYYY-MM)",
                                {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}),
                          query("format", "json (default) or csv",
                                {"enum": ["json", "csv"], "default": "json"})]),
        },
    }
