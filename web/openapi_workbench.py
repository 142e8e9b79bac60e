"""The clerk workbench in the OpenAPI document: inbox, delegation, comments, watches, desk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from web.openapi_types import BOOL, INT, STR, TIME, nullable, obj, ref

WORKBENCH_SCHEMAS: dict[str, Any] = {
    "InboxPage": obj({
        "items": {"type": "array", "items": ref("InboxItem")},
        "counts": obj({"mine": INT, "group": INT, "watched": INT},
                      ("mine", "group", "watched")),
        "tab": {"enum": ["mine", "group", "watched"]}, "sort": {"enum": ["due", "created"]},
        "limit": INT,
        "next_cursor": {**nullable(STR), "description": "pass as 'after' for the next page"},
    }, ("items", "counts", "tab", "sort", "limit", "next_cursor")),
    "InboxItem": {"allOf": [ref("WorkItem"), obj({
        "case_number": STR, "bundle": STR, "office": nullable(STR), "channel": nullable(STR),
        "case_title": STR, "overdue": BOOL}, closed=False)]},
    "Delegate": obj({"to": {"type": "string", "description": "username of the new assignee"},
                     "note": {"type": "string", "maxLength": 1000}}, ("to",)),
    "Comment": obj({"id": INT, "case_id": INT, "task_id": nullable(STR), "author": STR,
                    "body": STR, "created_at": TIME},
                   ("id", "case_id", "author", "body", "created_at")),
    "CommentList": obj({"items": {"type": "array", "items": ref("Comment")}}, ("items",)),
    "NewComment": obj({"body": {"type": "string", "maxLength": 4000},
                       "task_id": {"type": "string", "description": "a task of this case"}},
                      ("body",)),
    "Watching": obj({"case_id": INT, "number": STR, "watching": BOOL},
                    ("case_id", "number", "watching")),
    "WatchList": obj({"items": {"type": "array", "items": ref("Watching")}}, ("items",)),
    "WalkIn": obj({
        "bundle": STR, "answers": {"type": "object", "description": "situational answers"},
        "applicant": {"type": "string", "description": "applicant's name (person or firm)"},
        "applicant_user": {"type": "string", "description": "the applicant's account"},
        "new_applicant": {"type": "boolean", "default": False,
                          "description": "create the account with a generated password"},
        "display_name": STR,
        "office": {"type": "string", "description": "needed only for clerks of several "
                                                    "offices"},
    }, ("bundle", "applicant", "applicant_user")),
    "WalkInStarted": obj({"case": ref("Case"), "applicant_user": STR,
                          "password": {**nullable(STR),
                                       "description": "a new account's password, shown once"}},
                         ("case", "applicant_user", "password")),
}


def workbench_paths(op: Callable[..., dict[str, Any]], json: Callable[..., dict[str, Any]],
                    path: Callable[..., dict[str, Any]],
                    query: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The workbench's paths, built with the document's own helpers."""
    case_ref = path("case_ref", "case id or case number (LL-2026-000123)")
    watching = {"200": json(ref("Watching"), "Whether the caller watches the case")}
    return {
        "/api/v1/inbox": {
            "get": op("workbenchInbox", "One page of an inbox tab with every tab's count",
                      "workbench", {"200": json(ref("InboxPage"), "The page")}, "422",
                      params=[
                          query("tab", "mine: assigned to me; group: claimable by my groups "
                                       "in my offices; watched: work on cases I watch",
                                {"enum": ["mine", "group", "watched"], "default": "mine"}),
                          query("sort", "due (undated last) or created, then id",
                                {"enum": ["due", "created"], "default": "due"}),
                          query("bundle", "only cases of this bundle", STR),
                          query("office", "only cases accepted at this office", STR),
                          query("due_before", "due before this date or date-time", STR),
                          query("overdue", "only work past its due time", BOOL),
                          query("after", "next_cursor of the previous page", STR),
                          query("limit", "page size", {"type": "integer", "minimum": 1,
                                                       "maximum": 200, "default": 50})]),
        },
        "/api/v1/tasks/{item_id}/delegate": {
            "post": op("delegateTask", "Hand a task to another clerk who could work on it",
                       "workbench", {"200": json(ref("WorkItem"), "The task")},
                       "403", "404", "409", body="Delegate",
                       params=[path("item_id", "work item (task) id")]),
        },
        "/api/v1/cases/{case_ref}/comments": {
            "get": op("listComments", "The case's comments, oldest first", "workbench",
                      {"200": json(ref("CommentList"), "Comments")}, "403", "404",
                      params=[case_ref]),
            "post": op("addComment", "Leave a comment on a case", "workbench",
                       {"201": json(ref("Comment"), "The comment")}, "403", "404",
                       body="NewComment", params=[case_ref]),
        },
        "/api/v1/cases/{case_ref}/watch": {
            "post": op("watchCase", "Follow a case", "workbench", watching, "403", "404",
                       params=[case_ref]),
        },
        "/api/v1/cases/{case_ref}/unwatch": {
            "post": op("unwatchCase", "Stop following a case", "workbench", watching, "404",
                       params=[case_ref]),
        },
        "/api/v1/watches": {
            "get": op("listWatches", "The cases the caller watches", "workbench",
                      {"200": json(ref("WatchList"), "Watched cases")}),
        },
        "/api/v1/desk/cases": {
            "post": op("startWalkIn", "Acceptance desk: start a case at the caller's window "
                       "for a walk-in applicant", "workbench",
                       {"201": json(ref("WalkInStarted"), "The case (and a new account)")},
                       "403", "404", "409", body="WalkIn"),
        },
    }
