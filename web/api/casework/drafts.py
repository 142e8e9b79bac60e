"""Application drafts: the merged form of a bundle saved as it is filled in, then submitted."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from engine.casework import cases, drafts
from web.api.validation import Fields, json_object
from web.context import actor, engine, transaction

bp = Blueprint("drafts", __name__, url_prefix="/drafts")

# larger ids cannot exist and would overflow the database driver: route them to 404
DRAFT_ID = "int:draft_id"


@bp.get("")
def index() -> dict[str, Any]:
    """The caller's unsubmitted drafts (as applicant or as the agent who wrote them)."""
    with transaction() as session:
        return {"items": [drafts.as_dict(d) for d in drafts.list_drafts(session, actor())]}


@bp.post("")
def create() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Start a draft of a bundle's application (for ON_BEHALF_OF when an agent writes it)."""
    body = Fields(json_object())
    key = body.text("bundle", required=True)
    data = body.mapping("data") or {}
    office = body.text("office")
    channel = body.text("channel")
    on_behalf_of = body.text("on_behalf_of")
    body.done()
    assert key is not None  # done() raised otherwise
    with transaction() as session:
        drafts.guide_of_bundle(engine(), session, key)
        draft = drafts.save_draft(session, actor(), key, data, office=office, channel=channel,
                                  on_behalf_of=on_behalf_of)
        out = drafts.as_dict(draft)
    return out, 201, {"Location": f"{request.path}/{out['id']}"}


@bp.get(f"/<{DRAFT_ID}>")
def show(draft_id: int) -> dict[str, Any]:
    """One draft of the caller's."""
    with transaction() as session:
        return drafts.as_dict(drafts.get_draft(session, draft_id, actor()))


@bp.put(f"/<{DRAFT_ID}>")
def update(draft_id: int) -> dict[str, Any]:
    """Replace a draft's data, office and channel; VERSION guards against a stale copy."""
    body = Fields(json_object())
    data = body.mapping("data") or {}
    office = body.text("office")
    channel = body.text("channel")
    version = body.integer("version", minimum=1, maximum=2**31 - 1)
    body.done()
    with transaction() as session:
        draft = drafts.get_draft(session, draft_id, actor())
        draft = drafts.save_draft(session, actor(), draft.bundle_key, data, office=office,
                                  channel=channel, draft_id=draft_id, version=version)
        return drafts.as_dict(draft)


@bp.delete(f"/<{DRAFT_ID}>")
def delete(draft_id: int) -> tuple[str, int]:
    """Throw an unsubmitted draft away."""
    with transaction() as session:
        drafts.delete_draft(session, draft_id, actor())
    return "", 204


@bp.post(f"/<{DRAFT_ID}>/submit")
def submit(draft_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Check the draft is complete and start its case; answers the new case."""
    body = Fields(json_object(optional=True))
    version = body.integer("version", minimum=1, maximum=2**31 - 1)
    body.done()
    with transaction() as session:
        case = drafts.submit_draft(engine(), session, draft_id, actor(), version=version)
        out = cases.as_dict(session, case, full=True)
    return out, 201, {"Location": f"/api/v1/cases/{out['id']}"}


def openapi_paths() -> dict[str, Any]:
    """The draft operations for the OpenAPI document."""
    from web.openapi import _json, _op, _path
    from web.openapi_types import INT, OBJ, STR, TIME, nullable, obj, ref

    draft = obj({"id": INT, "bundle": STR, "owner": STR, "created_by": STR, "data": OBJ,
                 "office": nullable(STR), "channel": nullable(STR),
                 "status": {"enum": ["draft", "submitted"]}, "case_id": nullable(INT),
                 "version": INT, "created_at": TIME, "updated_at": TIME},
                ("id", "bundle", "owner", "data", "status", "version"))
    fields = {"data": OBJ, "office": STR, "channel": STR}
    new = obj({"bundle": STR, **fields, "on_behalf_of": STR}, ("bundle",))
    change = obj({**fields, "version": {"type": "integer", "minimum": 1}})
    submit_body = obj({"version": {"type": "integer", "minimum": 1}})
    draft_id = [_path("draft_id", "draft id", INT)]

    def with_body(op: dict[str, Any], schema: dict[str, Any], required: bool = True
                  ) -> dict[str, Any]:
        op["requestBody"] = {"required": required,
                             "content": {"application/json": {"schema": schema}}}
        for code, name in (("400", "BadRequest"), ("413", "TooLarge"),
                           ("415", "UnsupportedMediaType"), ("422", "InvalidInput")):
            op["responses"][code] = {"$ref": f"#/components/responses/{name}"}
        return op

    return {
        "/api/v1/drafts": {
            "get": _op("listDrafts", "The caller's unsubmitted application drafts", "drafts",
                       {"200": _json(obj({"items": {"type": "array", "items": draft}},
                                         ("items",)), "Drafts")}),
            "post": with_body(_op("createDraft", "Start an application draft of a bundle",
                                  "drafts", {"201": _json(draft, "The draft")}, "403", "404"),
                              new),
        },
        "/api/v1/drafts/{draft_id}": {
            "get": _op("getDraft", "One draft", "drafts", {"200": _json(draft, "The draft")},
                       "404", params=draft_id),
            "put": with_body(_op("updateDraft", "Save a draft's data, office and channel",
                                 "drafts", {"200": _json(draft, "The draft")}, "404", "409",
                                 params=draft_id), change),
            "delete": _op("deleteDraft", "Throw a draft away", "drafts",
                          {"204": {"description": "Deleted"}}, "404", "409", params=draft_id),
        },
        "/api/v1/drafts/{draft_id}/submit": {
            "post": with_body(_op("submitDraft", "Submit a complete draft: the case starts",
                                  "drafts", {"201": _json(ref("Case"), "The new case")},
                                  "403", "404", "409", params=draft_id),
                              submit_body, required=False),
        },
    }
