"""The OpenAPI 3.1 document of the JSON API, built once from small parts."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from engine.casework.material_types import BY_SUFFIX
from web.openapi_schemas import SCHEMAS, ref
from web.openapi_service import service_paths
from web.openapi_time import time_paths
from web.openapi_workbench import workbench_paths

PROBLEM_JSON = "application/problem+json"
# the multipart field that carries the file(s) of each upload schema
UPLOAD_FIELDS = {"DeploymentUpload": "files", "MaterialUpload": "file"}
MATERIAL_TYPES = sorted({kind.content_type for kind in BY_SUFFIX.values()})

ERRORS = {
    "400": ("BadRequest", "Malformed request (for example a body that is not valid JSON)"),
    "401": ("Unauthorized", "No bearer token, or an unknown or revoked one"),
    "403": ("Forbidden", "The caller may not do this"),
    "404": ("NotFound", "No such object"),
    "409": ("Conflict", "The object is not in a state that allows this (already claimed, "
                        "already completed, changed meanwhile)"),
    "413": ("TooLarge", "The request body or an uploaded file is too large"),
    "415": ("UnsupportedMediaType", "The body is not JSON"),
    "422": ("InvalidInput", "Well-formed but invalid input; 'fields' or 'problems' say where"),
    "503": ("Unavailable", "The database does not answer, is busy or is not migrated"),
    "default": ("Unexpected", "An unexpected server error (500); the details are only logged"),
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _op(op_id: str, summary: str, tag: str, ok: dict[str, Any], *errors: str,
        body: str | None = None, params: list[dict[str, Any]] | None = None,
        optional_body: bool = False, public: bool = False,
        upload: str | None = None) -> dict[str, Any]:
    responses: dict[str, Any] = dict(ok)
    codes = list(errors) if public else ["401", "503", *errors]
    if body:
        codes += ["400", "413", "415", "422"]
    if upload:
        codes += ["400", "413", "422"]
    for code in [*sorted(set(codes)), "default"]:
        responses[code] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    op: dict[str, Any] = {"operationId": op_id, "summary": summary, "tags": [tag],
                          "responses": responses}
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = {"required": not optional_body,
                             "content": {"application/json": {"schema": ref(body)}}}
    if upload:
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {
            "schema": ref(upload),
            "encoding": {UPLOAD_FIELDS[upload]: {"contentType": "application/octet-stream"}}}}}
    if public:
        op["security"] = []
    return op


def _path(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or {"type": "string"}}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


PAGING = [_query("limit", "page size", {"type": "integer", "minimum": 1, "maximum": 200,
                                        "default": 50}),
          _query("offset", "rows to skip", {"type": "integer", "minimum": 0,
                                            "maximum": 10**9, "default": 0})]
CASE_REF = _path("case_ref", "case id or case number (LL-2026-000123)")
TASK_ID = _path("item_id", "work item (task) id")
DEP_ID = _path("deployment_id", "deployment id", {"type": "integer"})
CASE = _json(ref("Case"), "The case")


def _old(module: Any) -> dict[str, Any]:
    """The hand-written paths a module still has (none once its routes are declared)."""
    found: dict[str, Any] = getattr(module, "openapi_paths", dict)()
    return found


def _paths() -> dict[str, Any]:
    from web.api.casework import case_diagram, drafts
    from web.api.design import studio
    from web.api.org import admin
    from web.api.timelimits import dashboard

    return {
        "/api/v1/deployments": {
            "post": _op("deploy", "Deploy a bundle (BPMN, DMN, forms) as a new version",
                        "deployments",
                        {"201": _json(ref("Deployment"), "A new version was stored"),
                         "200": _json(ref("Deployment"), "Identical to a stored version")},
                        "403", upload="DeploymentUpload"),
            "get": _op("listDeployments", "List deployed versions", "deployments",
                       {"200": _json(ref("DeploymentPage"), "Deployments")}, "422",
                       params=[_query("bundle", "only this bundle key", {"type": "string"}),
                               *PAGING]),
        },
        "/api/v1/deployments/{deployment_id}": {
            "get": _op("getDeployment", "One deployment with its files", "deployments",
                       {"200": _json(ref("Deployment"), "The deployment")}, "404",
                       params=[DEP_ID]),
        },
        "/api/v1/deployments/{deployment_id}/files/{name}": {
            "get": _op("getDeploymentFile", "The raw bytes of one deployed file", "deployments",
                       {"200": {"description": "The file", "content": {
                           "application/xml": {}, "application/json": {}, "text/markdown": {},
                           "application/yaml": {}, "application/octet-stream": {}}}},
                       "404", params=[DEP_ID, _path("name", "file name")]),
        },
        "/api/v1/cases": {
            "post": _op("startCase", "Start a case and run it until it waits", "cases",
                        {"201": _json(ref("Case"), "The new case")}, "403", "404",
                        body="StartCase"),
            "get": _op("listCases", "List cases, newest first", "cases",
                       {"200": _json(ref("CasePage"), "Cases")}, "422", params=[
                           _query("status", "only cases in this status",
                                  {"enum": ["running", "completed", "cancelled", "error"]}),
                           _query("bundle", "only this bundle key", {"type": "string"}),
                           *PAGING]),
        },
        "/api/v1/cases/{case_ref}": {
            "get": _op("getCase", "One case with work items, waits and audit trail", "cases",
                       {"200": CASE}, "404", params=[CASE_REF]),
        },
        "/api/v1/cases/{case_ref}/cancel": {
            "post": _op("cancelCase", "Cancel a running case", "cases", {"200": CASE},
                        "403", "404", "409", body="CancelCase", optional_body=True,
                        params=[CASE_REF]),
        },
        "/api/v1/cases/{case_ref}/data": {
            "get": _op("getCaseData", "The case's current data its forms and decisions declare "
                       "(staff with work on the case)", "cases",
                       {"200": _json(ref("CaseData"), "Declared data")}, "403", "404",
                       params=[CASE_REF]),
        },
        "/api/v1/cases/{case_ref}/withdraw": {
            "post": _op("withdrawCase", "Withdraw an application before it is decided (its "
                        "applicant, or its agent for the whole chain)", "cases",
                        {"200": CASE}, "403", "404", "409", "422", body="WithdrawCase",
                        params=[CASE_REF]),
        },
        "/api/v1/cases/{case_ref}/retry": {
            "post": _op("retryCase", "Run a case stopped by an error again", "cases",
                        {"200": CASE}, "403", "404", "409", body="RetryCase",
                        optional_body=True, params=[CASE_REF]),
        },
        "/api/v1/cases/{case_ref}/materials": {
            "post": _op("uploadMaterial", "Hand in one material; it supersedes an earlier one "
                        "of its code", "materials",
                        {"201": _json(ref("Material"), "The stored material")},
                        "403", "404", "409", params=[CASE_REF], upload="MaterialUpload"),
            "get": _op("listMaterials", "The case's materials, the items reusing each, and "
                       "what is missing", "materials",
                       {"200": _json(ref("MaterialChecklist"), "The checklist")},
                       "403", "404", "422", params=[CASE_REF]),
        },
        "/api/v1/cases/{case_ref}/materials/{material_id}": {
            "get": _op("getMaterial", "The bytes of one uploaded material", "materials",
                       {"200": {"description": "The file, as an attachment", "content": {
                           kind: {"schema": {"type": "string", "contentMediaType": kind}}
                           for kind in MATERIAL_TYPES}}},
                       "403", "404", params=[CASE_REF, _path("material_id", "material id",
                                                             {"type": "integer"})]),
        },
        "/api/v1/tasks": {
            "get": _op("inbox", "The caller's open tasks", "tasks",
                       {"200": _json(ref("WorkItemPage"), "Tasks")}, "422", params=[
                           _query("tab", "mine: assigned to me; group: claimable; all: both",
                                  {"enum": ["mine", "group", "all"], "default": "all"}),
                           *PAGING]),
        },
        "/api/v1/tasks/{item_id}": {
            "get": _op("getTask", "One task", "tasks",
                       {"200": _json(ref("WorkItem"), "The task")}, "403", "404",
                       params=[TASK_ID]),
        },
        **{f"/api/v1/tasks/{{item_id}}/{verb}": {
            "post": _op(f"{verb}Task", f"{verb.capitalize()} a task", "tasks",
                        {"200": _json(ref("WorkItem"), "The task")}, "403", "404", "409",
                        params=[TASK_ID]),
        } for verb in ("claim", "unclaim")},
        "/api/v1/tasks/{item_id}/complete": {
            "post": _op("completeTask", "Submit a task's form and run the case on", "tasks",
                        {"200": _json(ref("Completed"), "The task and its case")},
                        "403", "404", "409", body="CompleteTask", optional_body=True,
                        params=[TASK_ID]),
        },
        "/api/v1/tasks/{item_id}/cooperation": {
            "post": _op("askCooperation", "Bring another department in on a task (协办)",
                        "cooperation", {"201": _json(ref("Cooperation"), "The request")},
                        "403", "404", "409", body="AskCooperation", params=[TASK_ID]),
        },
        "/api/v1/cooperation/{ref}/answer": {
            "post": _op("answerCooperation", "Answer a cooperation request for its group",
                        "cooperation", {"200": _json(ref("Cooperation"), "The request")},
                        "403", "404", "409", body="AnswerCooperation",
                        params=[_path("ref", "request id or its cooperation task id")]),
        },
        "/api/v1/agency": {
            "post": _op("grantAgency", "Authorise an agent to act for the caller (代办)",
                        "agency", {"201": _json(ref("Authorization"), "The authorisation")},
                        "403", "404", body="GrantAgency"),
            "get": _op("listAgency", "Authorisations the caller gave or holds", "agency",
                       {"200": _json(ref("AuthorizationList"), "Authorisations")}),
        },
        "/api/v1/agency/{authorization_id}/revoke": {
            "post": _op("revokeAgency", "Withdraw an authorisation", "agency",
                        {"200": _json(ref("Authorization"), "The authorisation")},
                        "403", "404", "409", body="RevokeAgency", optional_body=True,
                        params=[_path("authorization_id", "authorisation id",
                                      {"type": "integer"})]),
        },
        "/api/v1/messages": {
            "post": _op("sendMessage", "Deliver a message to the case it correlates with",
                        "events", {"200": _json(ref("Delivered"), "Cases it reached")},
                        "404", "409", body="Message"),
        },
        "/api/v1/signals": {
            "post": _op("sendSignal", "Broadcast a signal to every waiting case", "events",
                        {"200": _json(ref("Delivered"), "Cases it reached")},
                        body="Signal"),
        },
        "/api/v1/external-tasks/fetch-and-lock": {
            "post": _op("fetchAndLock", "Lock external tasks of some topics for a worker",
                        "external-tasks", {"200": _json({"type": "array",
                                                        "items": ref("LockedTask")},
                                                       "Locked tasks (maybe none)")},
                        body="FetchAndLock"),
        },
        "/api/v1/external-tasks/{item_id}/complete": {
            "post": _op("completeExternalTask", "Finish an external task", "external-tasks",
                        {"200": _json(ref("Completed"), "The task and its case")},
                        "404", "409", body="ExternalComplete", params=[TASK_ID]),
        },
        "/api/v1/external-tasks/{item_id}/failure": {
            "post": _op("failExternalTask", "Report that an external task failed",
                        "external-tasks", {"200": _json(ref("WorkItem"), "The task")},
                        "404", "409", body="ExternalFailure", params=[TASK_ID]),
        },
        "/api/v1/catalog/items": {
            "get": _op("listCatalogItems", "List catalogue items (事项), by code", "catalogue",
                       {"200": _json(ref("CatalogItemPage"), "Items")}, "422", params=[
                           _query("department", "only items of this department code (MS)",
                                  {"type": "string"}),
                           _query("q", "search text in the code and the Chinese and English "
                                       "names", {"type": "string"}),
                           *PAGING]),
        },
        "/api/v1/catalog/items/{code}": {
            "get": _op("getCatalogItem", "One item with legal basis, conditions, materials",
                       "catalogue", {"200": _json(ref("CatalogItem"), "The item")}, "404",
                       params=[_path("code", "item code (MS-010)")]),
        },
        "/api/v1/departments": {
            "get": _op("listDepartments", "Departments that own items", "catalogue",
                       {"200": _json(ref("DepartmentList"), "Departments")}),
        },
        "/api/v1/offices": {
            "get": _op("officeTree", "The offices as a tree, with staff counts per role",
                       "catalogue", {"200": _json(ref("OfficeTree"), "Root offices")}),
        },
        "/api/v1/bundles/{key}/guide": {
            "get": _op("getGuide", "A bundle's guide: items, materials, fees, channels, FAQ, "
                       "situational questions", "guides",
                       {"200": _json(ref("Guide"), "The guide")}, "404",
                       params=[_path("key", "bundle key (restaurant)")]),
        },
        "/api/v1/bundles/{key}/situation": {
            "post": _op("evaluateSituation", "Answer the situational questions: the items "
                        "that apply, their materials and the one-time notice (一次告知单)",
                        "guides", {"200": _json(ref("Situation"), "What applies")}, "404",
                        body="SituationAnswers", params=[_path("key", "bundle key")]),
        },
        **workbench_paths(_op, _json, _path, _query),
        **service_paths(_op, _json, _path, _query),
        **time_paths(_op, _json, _path, _query),
        **_old(studio), **_old(admin), **_old(dashboard), **_old(case_diagram), **_old(drafts),
        "/healthz": {
            "get": _op("health", "Is the service and its database up?", "operations",
                       {"200": _json(ref("Health"), "Up")}, "503", public=True),
        },
        "/api/openapi.json": {
            "get": _op("openapi", "This document", "operations",
                       {"200": _json({"type": "object"}, "OpenAPI 3.1 document")},
                       public=True),
        },
    }


@cache
def _legacy() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "onething API", "version": "1",
                 "description": "Deploy 'one thing' bundles, run cases, work tasks. Errors are "
                                "RFC 9457 application/problem+json."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer", "bearerFormat": "ot_ token",
                "description": "create one with 'onething token create USERNAME'"}},
            "schemas": SCHEMAS,
            "responses": {name: {"description": text, "content": {
                PROBLEM_JSON: {"schema": ref("Problem")}}} for name, text in ERRORS.values()},
        },
    }


def document() -> dict[str, Any]:
    """The OpenAPI document (a fresh copy the caller may change)."""
    return copy.deepcopy(_document())


@cache
def _document() -> dict[str, Any]:
    """The hand-written parts, with every operation declared beside its route instead."""
    from flask import Flask

    from web import api
    from web.api.declare import generated
    from web.refs import RowId

    app = Flask("onething-openapi")
    app.url_map.converters["int"] = RowId
    api.register(app)
    made = generated(app)
    doc = copy.deepcopy(_legacy())
    for path, item in made["paths"].items():
        doc["paths"].setdefault(path, {}).update(item)
    doc["components"]["schemas"].update(made["components"]["schemas"])
    return doc
