"""JSON Schemas of the agency (代办) and cooperation (协办) bodies, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from web.openapi_types import INT, STR, TIME
from web.openapi_types import nullable as _nullable
from web.openapi_types import obj as _obj

ACTION = {"enum": ["apply", "supplement", "receive_result", "all"]}
ON_BEHALF_OF = {"type": "string",
                "description": "act as agent of this applicant (needs an authorisation in force)"}


AUTHORIZATION = _obj({
    "id": INT, "principal": STR, "agent": STR,
    "scope": {"type": "array", "items": ACTION}, "bundle": _nullable(STR),
    "case_id": _nullable(INT), "valid_from": TIME, "valid_until": TIME,
    "revoked": {"type": "boolean"}, "revoked_at": _nullable(TIME),
    "revoked_by": _nullable(STR), "created_at": TIME, "created_by": STR,
}, ("id", "principal", "agent", "scope", "valid_until", "revoked"), closed=False)

COOPERATION = _obj({
    "id": INT, "case_id": INT,
    "task_id": {"type": "string", "description": "the main task asked about"},
    "cooperation_task_id": {"type": "string",
                            "description": "the work item in the group's inbox"},
    "group": STR, "question": STR, "requested_by": STR, "due_at": _nullable(TIME),
    "state": {"enum": ["open", "answered", "cancelled"]}, "answer": _nullable(STR),
    "answered_by": _nullable(STR), "answered_at": _nullable(TIME), "created_at": TIME,
}, ("id", "case_id", "task_id", "group", "question", "state"), closed=False)

AGENCY_SCHEMAS: dict[str, Any] = {
    "Authorization": AUTHORIZATION,
    "AuthorizationList": _obj({"items": {"type": "array", "items": {
        "$ref": "#/components/schemas/Authorization"}}}, ("items",)),
    "GrantAgency": _obj({
        "agent": STR, "scope": {"type": "array", "items": ACTION, "minItems": 1},
        "valid_until": {"type": "string", "format": "date-time",
                        "description": "in the future, with an offset"},
        "bundle": {"type": "string", "description": "only cases of this bundle"},
        "case_id": {"type": "integer", "minimum": 1, "description": "only this case"},
        "principal": {"type": "string", "description": "admins only: grant for this user"},
    }, ("agent", "scope", "valid_until")),
    "RevokeAgency": _obj({}),
    "Cooperation": COOPERATION,
    "AskCooperation": _obj({"group": {"type": "string", "maxLength": 120},
                            "question": {"type": "string", "maxLength": 4000},
                            "due_days": {"type": "integer", "minimum": 1, "maximum": 60,
                                         "default": 3}}, ("group", "question")),
    "AnswerCooperation": _obj({"answer": {"type": "string", "maxLength": 4000}}, ("answer",)),
}
