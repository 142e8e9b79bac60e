"""JSON Schemas of the API's bodies, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from web.openapi_agency import AGENCY_SCHEMAS, ON_BEHALF_OF
from web.openapi_service import SERVICE_SCHEMAS
from web.openapi_time import TIME_SCHEMAS
from web.openapi_types import BOOL, INT, OBJ, STR, TIME, nullable, obj, ref
from web.openapi_workbench import WORKBENCH_SCHEMAS

__all__ = ["BOOL", "INT", "OBJ", "STR", "TIME", "nullable", "obj", "ref"]


def page(item: str) -> dict[str, Any]:
    """A page of ITEM objects with paging numbers."""
    return obj({"items": {"type": "array", "items": ref(item)}, "total": INT, "limit": INT,
                "offset": INT}, ("items", "total", "limit", "offset"), closed=False)


PROBLEM = obj({
    "type": {"type": "string", "format": "uri"}, "title": STR, "status": INT, "detail": STR,
    "fields": {"type": "array", "description": "each field that is wrong (422)",
               "items": obj({"path": STR, "message": STR}, ("path", "message"))},
    "problems": {"type": "array", "description": "each problem in the diagrams (422)",
                 "items": obj({"file": STR, "line": nullable(INT),
                               "element": nullable(STR), "message": STR},
                              ("file", "message"))},
}, ("type", "title", "status", "detail"), closed=False,
    description="RFC 9457 problem details")

DEPLOYMENT = obj({
    "id": INT, "bundle": STR, "version": INT, "content_hash": STR, "flavour": STR,
    "main_process": STR, "processes": {"type": "array", "items": STR}, "created_at": TIME,
    "created_by": nullable(STR), "created": BOOL,
    "files": {"type": "array", "items": {"oneOf": [STR, obj(
        {"name": STR, "sha256": STR, "size": INT, "url": STR})]}},
}, ("id", "bundle", "version", "content_hash", "files"), closed=False)

WORK_ITEM = obj({
    "id": STR, "case_id": INT, "kind": {"enum": ["user", "manual", "external", "cooperation"]},
    "element": STR, "process": STR, "title": STR, "lane": nullable(STR),
    "documentation": nullable(STR), "state": {"enum": ["open", "completed", "cancelled"]},
    "assignee": nullable(STR), "candidate_groups": {"type": "array", "items": STR},
    "candidate_users": {"type": "array", "items": STR}, "form_schema": nullable(STR),
    "form_ui_schema": nullable(STR), "topic": nullable(STR), "created_at": TIME,
    "due_at": nullable(TIME), "completed_at": nullable(TIME), "completed_by": nullable(STR),
    "cooperation": {"type": "array", "items": ref("Cooperation"),
                    "description": "requests asked about this task (only on a single task)"},
}, ("id", "case_id", "kind", "element", "title", "state"), closed=False)

CASE = obj({
    "id": INT, "number": STR, "bundle": STR, "process": STR, "deployment_id": INT,
    "business_key": nullable(STR), "title": STR,
    "office": nullable(STR), "channel": nullable(STR),
    "status": {"enum": ["running", "completed", "cancelled", "error"]},
    "version": INT, "started_by": STR,
    "applicant": {"type": ["string", "null"],
                  "description": "the account the case is for; its own steps are theirs"},
    "created_at": TIME, "updated_at": TIME,
    "completed_at": nullable(TIME), "next_timer_at": nullable(TIME),
    "error": nullable(obj({"message": nullable(STR), "element": nullable(STR)})),
    "work_items": {"type": "array", "items": ref("WorkItem"),
                   "description": "only on a single case"},
    "waiting_on": {"type": "array", "items": OBJ,
                   "description": "timers, messages and signals the case waits for"},
    "audit": {"type": "array", "items": OBJ, "description": "who did what, oldest first"},
    "cooperation": {"type": "array", "items": ref("Cooperation"),
                    "description": "co-handling (协办) requests, only on a single case"},
}, ("id", "number", "bundle", "status"), closed=False)

TOPIC = {"oneOf": [STR, obj({"topicName": STR, "lockDuration": INT}, ("topicName",),
                            closed=False)]}

LEVELS = {"type": "array", "items": {"enum": ["county", "center", "branch", "town"]}}

CATALOG_ITEM = obj({
    "code": STR, "name_zh": STR, "name_en": STR, "department": STR,
    "statutory_days": INT, "committed_days": INT, "instant": BOOL,
    "fee": obj({"amount": {"type": "string", "description": "yuan, two decimals"},
                "text": STR}),
    "accept_levels": LEVELS, "decide_levels": LEVELS,
    "department_name_zh": STR, "department_name_en": STR, "legal_basis": STR,
    "conditions": STR, "updated_at": TIME,
    "materials": {"type": "array", "description": "only on a single item", "items": obj(
        {"code": STR, "name_zh": STR, "name_en": STR, "key": BOOL, "copies": INT,
         "note": STR}, ("code", "name_zh", "key"))},
}, ("code", "name_zh", "department", "statutory_days", "committed_days"), closed=False,
    description="Days are working days; committed_days <= statutory_days")

OFFICE = obj({
    "code": STR, "name_zh": STR, "name_en": STR,
    "level": {"enum": ["bureau", "center", "branch", "town", "department"]},
    "parent": nullable(STR), "town": STR, "department": nullable(STR), "timezone": STR,
    "staff": {"type": "object", "additionalProperties": INT,
              "description": "number of staff per role"},
    "children": {"type": "array", "items": ref("Office")},
}, ("code", "name_zh", "level", "children"), closed=False)

TEXT = obj({"zh": STR, "en": STR}, ("zh", "en"))
NEEDED = obj({"code": STR, "name": TEXT, "key": BOOL,
              "items": {"type": "array", "items": STR,
                        "description": "codes of the items that use this material"}},
             ("code", "name", "key", "items"))
MATERIAL = obj({
    "id": INT, "code": {"type": "string", "description": "the guide's material id"},
    "filename": STR, "content_type": STR, "size": INT, "sha256": STR, "uploaded_by": STR,
    "uploaded_at": TIME, "superseded": BOOL,
    "name": nullable(TEXT), "key": BOOL,
    "items": {"type": "array", "items": STR, "description": "only in a checklist"},
    "needed": {"type": "boolean", "description": "the case's situation calls for it"},
}, ("id", "code", "filename", "content_type", "size", "sha256"), closed=False)

SCHEMAS: dict[str, Any] = {
    "CatalogItem": CATALOG_ITEM,
    "CatalogItemPage": page("CatalogItem"),
    "Department": obj({"code": STR, "name_zh": STR, "name_en": STR, "items": INT},
                      ("code", "name_zh")),
    "DepartmentList": obj({"items": {"type": "array", "items": ref("Department")}},
                          ("items",)),
    "Office": OFFICE,
    "OfficeTree": obj({"items": {"type": "array", "items": ref("Office")}}, ("items",)),
    "Problem": PROBLEM,
    "Deployment": DEPLOYMENT,
    "DeploymentPage": page("Deployment"),
    "DeploymentUpload": obj({
        "files": {"type": "array", "items": {"type": "string", "contentMediaType":
                                             "application/octet-stream"}},
        "bundle": {"type": "string", "description": "bundle key; default: the first process"},
    }, ("files",)),
    "WorkItem": WORK_ITEM,
    "WorkItemPage": page("WorkItem"),
    "Case": CASE,
    "CasePage": page("Case"),
    "StartCase": obj({"process": STR, "data": OBJ, "business_key": STR,
                      "version": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                      "title": STR, "on_behalf_of": ON_BEHALF_OF,
                      "office": {"type": "string", "description": "code of the accepting "
                                 "office; any office may accept any bundle"},
                      "channel": {"enum": ["online", "window", "appointment", "after_hours",
                                           "door_to_door", "mobile_window"]}},
                     ("process",)),
    "CancelCase": obj({"reason": STR}),
    "CaseData": obj({"case_id": INT, "items": {"type": "array", "items": obj(
        {"name": STR, "title": STR, "value": {}}, ("name", "title", "value"))}},
        ("case_id", "items")),
    "WithdrawCase": obj({"reason": {"type": "string", "minLength": 1, "maxLength": 500}},
                        ("reason",)),
    "RetryCase": obj({"data": OBJ}),
    "CompleteTask": obj({"data": OBJ, "on_behalf_of": ON_BEHALF_OF}),
    "Completed": obj({"task": ref("WorkItem"), "case": ref("Case")}, ("task", "case")),
    "Message": obj({"name": STR, "correlation": OBJ, "payload": OBJ, "business_key": STR,
                    "all": BOOL}, ("name",)),
    "Signal": obj({"name": STR, "payload": OBJ}, ("name",)),
    "Guide": obj({"key": STR, "process": STR, "title": OBJ, "items": {"type": "array"},
                  "materials": {"type": "array"}, "questions": {"type": "array"},
                  "channels": {"type": "array"}, "faq": {"type": "array"}},
                 ("key", "items", "materials", "questions"), closed=False),
    "SituationAnswers": obj({"answers": OBJ, "lang": {"enum": ["zh", "en"]}}, ("answers",)),
    "Situation": obj({"items": {"type": "array", "items": STR}, "modes": OBJ,
                      "materials": {"type": "array"}, "notice": STR},
                     ("items", "materials", "notice"), closed=False),
    "Delivered": obj({"cases": {"type": "array", "items": ref("Case")}}, ("cases",)),
    "FetchAndLock": obj({"workerId": STR, "topics": {"type": "array", "items": TOPIC},
                         "maxTasks": {"type": "integer", "minimum": 1, "maximum": 100},
                         "lockDuration": {"type": "integer", "minimum": 1,
                                          "maximum": 604_800_000,
                                          "description": "milliseconds"}},
                        ("workerId", "topics"), closed=False),
    "LockedTask": obj({"id": STR, "topic": STR, "case_id": INT, "element": STR,
                       "lock_expires_at": TIME, "variables": OBJ}, closed=False),
    "ExternalComplete": obj({"workerId": STR, "variables": OBJ}, ("workerId",),
                            closed=False),
    "ExternalFailure": obj({"workerId": STR, "errorMessage": STR,
                            "retries": {"type": "integer", "minimum": 0, "maximum": 10_000},
                            "retryTimeout": {"type": "integer", "minimum": 0,
                                             "maximum": 604_800_000,
                                             "description": "milliseconds"}},
                           ("workerId",), closed=False),
    "Material": MATERIAL,
    "MaterialUpload": obj({
        "file": {"type": "string", "contentMediaType": "application/octet-stream",
                 "description": "PDF, PNG, JPEG, OFD, DOCX or XLSX; at most 10 MB"},
        "code": {"type": "string", "description": "the guide's material id"},
    }, ("file", "code")),
    "MaterialChecklist": obj({
        "materials": {"type": "array", "items": ref("Material"),
                      "description": "current uploads, each once, with the items reusing it"},
        "missing": obj({"key": {"type": "array", "items": NEEDED},
                        "other": {"type": "array", "items": NEEDED}}, ("key", "other")),
        "key_complete": {"type": "boolean",
                         "description": "only non-key materials missing: may accept with gaps"},
        "complete": BOOL,
    }, ("materials", "missing", "key_complete", "complete")),
    **AGENCY_SCHEMAS,
    **SERVICE_SCHEMAS,
    **TIME_SCHEMAS,
    **WORKBENCH_SCHEMAS,
    "Health": obj({"status": {"const": "ok"}, "database": {"const": "ok"}},
                  ("status", "database")),
}
